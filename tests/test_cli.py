"""The command line: createuser without prompting, demo data."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from app import cli, db
from app.config import get_settings
from app.evidence import ocr
from app.main import create_app
from app.models import Creditor, Debtor, Evidence, Membership, User
from app.queue import make_queue
from tests.conftest import TEST_DB_URL


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONTENTIEUX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CONTENTIEUX_TODAY", "2026-11-22")
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def _session(data_dir: Path) -> Session:
    return Session(db.make_engine(f"sqlite:///{data_dir / 'contentieux.sqlite3'}"))


def test_createuser_creates_user_and_creditor(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(["createuser", "--email", "Anne@Example.fr", "--password",
                     "un long mot de passe", "--creditor", "Atelier Anne"])
    assert code == 0
    assert "anne@example.fr" in capsys.readouterr().out.lower()
    with _session(data_dir) as session:
        user = session.exec(select(User)).one()
        creditor = session.exec(select(Creditor)).one()
        membership = session.exec(select(Membership)).one()
        assert (user.email, creditor.legal_name) == ("anne@example.fr", "Atelier Anne")
        assert (membership.user_id, membership.creditor_id, membership.role) == \
            (user.id, creditor.id, "owner")
        assert user.password_hash.startswith("$argon2")


def test_createuser_refuses_a_short_password(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = cli.main(["createuser", "--email", "a@b.fr", "--password", "court",
                     "--creditor", "X"])
    assert code == 2
    assert "au moins 10 caractères" in capsys.readouterr().err


def test_demo_seeds_five_debtors_once(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["demo"]) == 0
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "demo@contentieux.test / demo-contentieux" in out
    with _session(data_dir) as session:
        names = sorted(d.legal_name for d in session.exec(select(Debtor)))
    assert names == ["Boulangerie Martin", "Durand BTP", "Garage Central", "Hôtel du Port",
                     "M. Julien Moreau"]


def test_the_demo_pieces_are_read_as_uploaded_ones(data_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Left unread until "Lire le texte", they were missing from a fresh demo's search."""
    monkeypatch.setattr(ocr, "available", lambda: False)  # the scans: no OCR, quickly
    assert cli.main(["demo"]) == 0
    with _session(data_dir) as session:
        assert {e.text_status for e in session.exec(select(Evidence))} == {"pending"}
    app = create_app(get_settings())  # `serve`: reads what is pending
    try:
        app.state.queue.drain()
    finally:
        app.state.queue.close()
    with _session(data_dir) as session:
        pieces = list(session.exec(select(Evidence)))
    read = {e.original_name for e in pieces if e.text_status == "done"}
    assert {"Devis D-2026-011 signé.pdf", "Relance et réponse.eml"} <= read
    assert {e.text_status for e in pieces if e.original_name.endswith(".jpg")} == {"none"}


def test_worker_refuses_without_a_queue_to_work_on(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["worker"]) == 2
    assert "« contentieux serve » exécute lui-même les tâches" in capsys.readouterr().err


@pytest.mark.skipif(not TEST_DB_URL, reason="needs PostgreSQL: runs in the PostgreSQL run "
                    "(CONTENTIEUX_TEST_DATABASE_URL)")
def test_worker_runs_the_jobs_waiting_in_postgresql(data_dir: Path, scratch_database_url: str,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CONTENTIEUX_DATABASE_URL", scratch_database_url)
    get_settings.cache_clear()
    assert cli.main(["demo"]) == 0
    engine = db.make_engine(scratch_database_url)
    with engine.begin() as connection:  # as if the day had changed: every alert is stale
        connection.execute(update(Debtor).values(alerts_on=None))
    queue = make_queue(engine, get_settings())
    assert queue.mode == "queue"
    queue.defer("alerts.refresh", timestamp=0)

    # In a thread of its own, as in its own process: an earlier test (Playwright's sync API)
    # may leave an event loop running in this one, and the worker runs asyncio.run().
    exits: list[int] = []
    worker = threading.Thread(target=lambda: exits.append(cli.main(["worker", "--once"])))
    worker.start()
    worker.join(timeout=300)
    assert exits == [0]

    with Session(engine) as session:
        assert {d.alerts_on for d in session.exec(select(Debtor))} == {date(2026, 11, 22)}
    engine.dispose()


def _durand_with_overdue_invoice(data_dir: Path) -> int:
    from tests.factories import make_debtor, make_invoice, make_user

    cli.main(["createuser", "--email", "claire@lefevre.test", "--password",
              "un long mot de passe", "--creditor", "Menuiserie Lefèvre"])
    with _session(data_dir) as session:
        owner = make_user(session, "hugo@lefevre.test", "Menuiserie Lefèvre", role="member")
        debtor = make_debtor(session, owner, email="compta@durand.test")
        make_invoice(session, owner, debtor, number="F-1", issue_date="2026-10-06",
                     due_date="2026-11-05")
        return owner.creditor_id


def test_reminders_run_dry_run_lists_and_sends_nothing(data_dir: Path, capsys,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from app.models import ReminderMessage

    monkeypatch.setenv("CONTENTIEUX_SMTP_FROM", "relances@lefevre.test")
    get_settings.cache_clear()
    creditor_id = _durand_with_overdue_invoice(data_dir)
    code = cli.main(["reminders", "run", "--dry-run", "--today", "2026-11-22",
                     "--creditor", str(creditor_id)])
    out = capsys.readouterr().out
    assert code == 0
    assert "relances du 22/11/2026 (simulation : rien n’est envoyé) : 1 action(s)" in out
    assert "Durand BTP | Relance 2 (E-mail) | F-1 | boîte d'envoi : non envoyé — aucun " \
           "serveur SMTP configuré" in out
    with _session(data_dir) as session:
        assert session.exec(select(ReminderMessage)).all() == []


def test_reminders_run_writes_to_the_outbox_once(data_dir: Path, capsys,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from app.models import ReminderMessage

    monkeypatch.setenv("CONTENTIEUX_SMTP_FROM", "relances@lefevre.test")
    get_settings.cache_clear()
    creditor_id = _durand_with_overdue_invoice(data_dir)
    args = ["reminders", "run", "--today", "2026-11-22", "--creditor", str(creditor_id)]
    assert cli.main(args) == 0
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert out.count("boîte d'envoi : non envoyé — aucun serveur SMTP configuré") == 1
    assert "0 action(s)" in out  # the second run: nothing left to do
    with _session(data_dir) as session:
        row = session.exec(select(ReminderMessage)).one()
        assert (row.status, row.template) == ("outbox", "relance_2")
    assert len(list((data_dir / "outbox" / "new").iterdir())) == 1


def test_a_real_reminders_run_on_another_day_is_refused(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    # its messages would leave now with their proof dated 10/11 (as the API refuses it)
    creditor_id = _durand_with_overdue_invoice(data_dir)
    args = ["reminders", "run", "--today", "2026-11-10", "--creditor", str(creditor_id)]
    assert cli.main(args) == 2
    assert "n'est possible qu'avec --dry-run" in capsys.readouterr().err
    assert cli.main([*args, "--dry-run"]) == 0


def test_reminders_run_refuses_a_bad_date(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["reminders", "run", "--today", "22/11/2026", "--creditor", "1"]) == 2
    assert "Date invalide : 22/11/2026 (attendu AAAA-MM-JJ)." in capsys.readouterr().err


def test_serve_runs_on_the_event_loop_of_its_database(data_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite the pages render on the event loop: asyncio's, which takes requests in
    turn (app/web/event_loop.py); on a server database, uvicorn's pick (uvloop)."""
    import uvicorn

    from app.web.event_loop import event_loop

    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    assert cli.main(["serve", "--port", "8765"]) == 0
    assert served["loop"] == "asyncio" and served["port"] == 8765
    assert event_loop("postgresql+psycopg://u@db/contentieux") == "auto"
    assert event_loop("sqlite:////srv/contentieux.sqlite3") == "asyncio"
