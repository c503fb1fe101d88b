"""Two runs at once (two threads, their own sessions, one database) send each message once.

On the embedded default this is a SQLite file shared by both; with
CONTENTIEUX_TEST_DATABASE_URL set, the suite's PostgreSQL database.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app import db
from app.config import Settings
from app.law.reminder_scenario import DEFAULT_NAME, DEFAULT_STEPS
from app.models import Creditor, ReminderMessage, ReminderScenario
from app.services.reminders import scenarios
from app.services.reminders.run import (
    Outcome,
    collect,
    prepare,
    record_plan,
    run,
    send_pending,
    system_actor,
)
from app.services.reminders.scenario_admin import list_scenarios
from tests.conftest import TEST_DB_URL
from tests.factories import make_debtor, make_invoice, make_user
from tests.reminders.conftest import TODAY, Recorder

DEBTORS = 6


@pytest.fixture
def shared_engine(tmp_path: Path, engine: Engine) -> Iterator[Engine]:
    if TEST_DB_URL:
        yield engine
        return
    on_disk = db.make_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    db.create_all(on_disk)
    yield on_disk
    on_disk.dispose()


def test_two_concurrent_runs_send_each_message_once(
        shared_engine: Engine, smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    with Session(shared_engine, expire_on_commit=False) as session:
        owner = make_user(session, "claire@lefevre.test", "Menuiserie Lefèvre")
        for n in range(DEBTORS):
            debtor = make_debtor(session, owner, legal_name=f"Client {n}", siren="",
                                 email=f"client{n}@exemple.test")
            make_invoice(session, owner, debtor, number=f"F-{n}", issue_date="2026-10-06",
                         due_date="2026-11-05")
    start = threading.Barrier(2)
    results: list[list[Outcome]] = []
    errors: list[BaseException] = []

    def one_run() -> None:
        try:
            start.wait()
            results.append(run(shared_engine, smtp_settings, owner.creditor_id, TODAY))
        except BaseException as exc:  # reported below: a thread swallows it otherwise
            errors.append(exc)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    recipients = Counter(message_from_bytes(m.data, policy=policy.default)["To"].addresses[0]
                         .addr_spec for m in smtp[0].messages)
    assert recipients == Counter({f"client{n}@exemple.test": 1 for n in range(DEBTORS)})
    sent = [o for outcomes in results for o in outcomes if o.status == "sent"]
    assert sorted(o.debtor for o in sent) == sorted(f"Client {n}" for n in range(DEBTORS))
    with Session(shared_engine) as session:
        rows = session.exec(select(ReminderMessage)).all()
        assert len(rows) == DEBTORS and {r.status for r in rows} == {"sent"}
        assert all(r.attempts == 1 and r.evidence_id and r.step_id for r in rows)


def test_the_run_that_loses_the_race_skips_the_message(
        shared_engine: Engine, smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    """Both runs planned the same message before either recorded it: the unique key lets one
    record its intent; the other is told it is taken and sends nothing."""
    with Session(shared_engine, expire_on_commit=False) as session:
        owner = make_user(session, "claire@lefevre.test", "Menuiserie Lefèvre")
        debtor = make_debtor(session, owner, email="compta@durand.test")
        make_invoice(session, owner, debtor, number="F-1", issue_date="2026-10-06",
                     due_date="2026-11-05")
    first = prepare(shared_engine, owner.creditor_id, TODAY)
    second = prepare(shared_engine, owner.creditor_id, TODAY)
    actor = system_actor(owner.creditor_id)
    won = record_plan(shared_engine, actor, first)
    lost = record_plan(shared_engine, actor, second)
    assert [m is not None for _, m in won] == [True]
    assert [m for _, m in lost] == [None]
    assert [(o.status, o.reason) for o in collect(shared_engine, second, lost)] == \
        [("skipped", "déjà pris en charge par une autre exécution")]
    send_pending(shared_engine, smtp_settings, actor, [m for _, m in won if m])
    send_pending(shared_engine, smtp_settings, actor, [m for _, m in won if m])
    assert len(smtp[0].messages) == 1


def test_a_page_that_loses_the_race_for_the_default_scenario_reads_the_winners(
        shared_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two pages open the reminder settings of a new creditor at once: both find no default
    scenario; the other commits it first. The unique (creditor, name) refuses the second insert:
    the page that lost shows the default that won, and its transaction goes on."""
    with Session(shared_engine, expire_on_commit=False) as session:
        owner = make_user(session, "claire@lefevre.test", "Menuiserie Lefèvre")
    real_find = scenarios.find_default
    seen_before_the_other: list[bool] = []

    def find_then_lose(session: Session, creditor_id: int) -> ReminderScenario | None:
        if not seen_before_the_other:  # read before the other page committed its default
            seen_before_the_other.append(True)
            with Session(shared_engine) as other:
                scenarios.ensure_default(other, creditor_id)
                other.commit()
            return None
        return real_find(session, creditor_id)

    monkeypatch.setattr(scenarios, "find_default", find_then_lose)
    with Session(shared_engine, expire_on_commit=False) as session:
        creditor = session.get(Creditor, owner.creditor_id)
        assert creditor is not None
        views = list_scenarios(session, owner.creditor_id)
        creditor.reminder_min_amount = Decimal("50.00")  # the page's transaction goes on
        session.add(creditor)
        session.commit()
    assert [(v.scenario.name, v.scenario.is_default) for v in views] == [(DEFAULT_NAME, True)]
    assert len(views[0].steps) == len(DEFAULT_STEPS)
    with Session(shared_engine) as session:
        assert len(session.exec(select(ReminderScenario)).all()) == 1
        assert session.get(Creditor, owner.creditor_id).reminder_min_amount == Decimal("50.00")


def test_a_cancelled_message_is_recorded_again_by_one_run_only(
        shared_engine: Engine, smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    """A message cancelled before it left (a hold put on in between) is planned again by two
    runs at once: one frees its key and records it anew, the other is told it is taken; the
    cancelled row stays, with its reason, and the message goes once."""
    with Session(shared_engine, expire_on_commit=False) as session:
        owner = make_user(session, "claire@lefevre.test", "Menuiserie Lefèvre")
        debtor = make_debtor(session, owner, email="compta@durand.test")
        make_invoice(session, owner, debtor, number="F-1", issue_date="2026-10-06",
                     due_date="2026-11-05")
    actor = system_actor(owner.creditor_id)
    [(_, first)] = record_plan(shared_engine, actor, prepare(shared_engine, owner.creditor_id, TODAY))
    with Session(shared_engine) as session:
        row = session.get(ReminderMessage, first)
        assert row is not None
        row.status, row.reason = "cancelled", "annulé avant l'envoi : Négociation en cours"
        session.add(row)
        session.commit()
    plans = [prepare(shared_engine, owner.creditor_id, TODAY) for _ in range(2)]
    start = threading.Barrier(2)
    recorded: list[int | None] = []
    errors: list[BaseException] = []

    def record(index: int) -> None:
        try:
            start.wait()
            recorded.extend(m for _, m in record_plan(shared_engine, actor, plans[index]))
        except BaseException as exc:  # reported below: a thread swallows it otherwise
            errors.append(exc)

    threads = [threading.Thread(target=record, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    [again] = [m for m in recorded if m is not None]
    assert recorded.count(None) == 1
    send_pending(shared_engine, smtp_settings, actor, [again, again])
    assert len(smtp[0].messages) == 1
    with Session(shared_engine) as session:
        rows = {r.id: r for r in session.exec(select(ReminderMessage)).all()}
    assert sorted(rows) == sorted([first, again])
    assert (rows[first].status, rows[first].reason) == \
        ("cancelled", "annulé avant l'envoi : Négociation en cours")
    assert rows[first].meta["planned_again"] == TODAY.isoformat()
    assert (rows[again].status, rows[again].meta["replaces"]) == ("sent", first)
