"""The commands as an operator types them: backup while the app writes, restore, check."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app import cli, db
from app.config import get_settings
from app.models import Creditor, Debtor, GeneratedDocument, Membership
from app.services.context import Actor
from app.storage import FileStore
from tests.ops.conftest import add_document


@pytest.fixture
def use_data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def point_at(folder: Path) -> None:
        monkeypatch.setenv("CONTENTIEUX_DATA_DIR", str(folder))
        monkeypatch.setenv("CONTENTIEUX_TODAY", "2026-11-22")
        monkeypatch.delenv("CONTENTIEUX_DATABASE_URL", raising=False)
        get_settings.cache_clear()

    yield point_at
    get_settings.cache_clear()


def demo_actor(session: Session) -> Actor:
    membership = session.exec(select(Membership)).first()
    assert membership is not None
    creditor = session.get(Creditor, membership.creditor_id)
    assert creditor is not None
    return Actor(user_id=membership.user_id, creditor_id=creditor.id)  # type: ignore[arg-type]


def test_backup_while_the_app_writes_then_restore_and_check(
        use_data_dir, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    live = tmp_path / "live"
    use_data_dir(live)
    assert cli.main(["demo"]) == 0
    engine = db.make_engine(f"sqlite:///{live / 'contentieux.sqlite3'}")
    store = FileStore(live / "files")
    stop = threading.Event()
    written: list[int] = []

    errors: list[BaseException] = []

    def keep_writing() -> None:  # another server storing letters during the backup
        try:
            with Session(engine, expire_on_commit=False) as session:
                actor, debtor = demo_actor(session), session.get(Debtor, 1)
                while not stop.is_set() and len(written) < 400:
                    content = f"%PDF-1.7\n% lettre {len(written)}\n%%EOF\n".encode()
                    written.append(add_document(session, actor, store, debtor, content).id)  # type: ignore[arg-type]
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while len(written) < 5 and writer.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(written) >= 5, f"the writer did not start: {errors}"
        assert cli.main(["backup", str(tmp_path / "a-chaud.tar.gz")]) == 0
    finally:
        stop.set()
        writer.join(timeout=60)
        engine.dispose()
    assert errors == []
    out = capsys.readouterr().out
    assert "Sauvegarde écrite" in out and "5 débiteurs" in out

    use_data_dir(tmp_path / "restored")
    assert cli.main(["restore", str(tmp_path / "a-chaud.tar.gz")]) == 0
    assert "Sauvegarde restaurée" in capsys.readouterr().out
    restored = db.make_engine(f"sqlite:///{tmp_path / 'restored' / 'contentieux.sqlite3'}")
    with Session(restored) as session:
        documents = session.exec(select(GeneratedDocument)).all()
    restored.dispose()
    assert 5 <= len(documents) <= len(written)
    code = cli.main(["check"])
    report = capsys.readouterr().out
    assert "Fichier manquant" not in report and "Fichier corrompu" not in report
    assert code == (0 if "orphelin" not in report else 1)


def test_restore_into_a_used_folder_is_refused_in_french(
        use_data_dir, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    use_data_dir(tmp_path / "live")
    assert cli.main(["demo"]) == 0
    assert cli.main(["backup", str(tmp_path / "b.tar")]) == 0
    capsys.readouterr()

    assert cli.main(["restore", str(tmp_path / "b.tar")]) == 2

    err = capsys.readouterr().err
    assert "n'est pas vide" in err and "n'écrase jamais" in err
    assert "Traceback" not in err


def test_check_exits_non_zero_on_a_corrupted_file(
        use_data_dir, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    use_data_dir(tmp_path / "live")
    assert cli.main(["demo"]) == 0
    engine = db.make_engine(f"sqlite:///{tmp_path / 'live' / 'contentieux.sqlite3'}")
    store = FileStore(tmp_path / "live" / "files")
    with Session(engine, expire_on_commit=False) as session:
        debtor = session.get(Debtor, 1)
        document = add_document(session, demo_actor(session), store, debtor,  # type: ignore[arg-type]
                                b"%PDF-1.7\n% original\n%%EOF\n")
    engine.dispose()
    assert cli.main(["check"]) == 0
    store.path_for(document.sha256).write_bytes(b"%PDF-1.7\n% altered\n%%EOF\n")
    capsys.readouterr()

    assert cli.main(["check"]) == 1

    assert "Fichier corrompu" in capsys.readouterr().out


def test_an_unreadable_archive_is_refused(use_data_dir, tmp_path: Path,  # type: ignore[no-untyped-def]
                                          capsys: pytest.CaptureFixture[str]) -> None:
    use_data_dir(tmp_path / "empty")
    bogus = tmp_path / "not-a-backup.tar.gz"
    bogus.write_bytes(b"\x1f\x8b\x08 this is not gzip")

    assert cli.main(["restore", str(bogus)]) == 2

    assert "Archive illisible" in capsys.readouterr().err
    assert not any(p.is_file() for p in (tmp_path / "empty").rglob("*"))
