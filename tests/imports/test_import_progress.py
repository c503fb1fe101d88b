"""An import's progress lives in the database on SQLite too: any server answers the bar.

The embedded default is a SQLite file, which another connection (another server process, or
the page's request) reads while the import runs. Progress is written there as the file is
read and planned; the import's own bulk write, at the end, does not wait for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import db
from app.config import Settings
from app.models import ImportBatch, Invoice
from app.services import import_jobs, imports
from tests.bench.bench_fec_import import generate
from tests.factories import make_user


@pytest.fixture
def file_engine(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """A SQLite file, as `contentieux serve` uses (on PostgreSQL: the tests' database)."""
    if engine.dialect.name != "sqlite":
        yield engine
        return
    on_disk = db.make_engine(f"sqlite:///{tmp_path / 'contentieux.sqlite3'}")
    db.create_all(on_disk)
    yield on_disk
    on_disk.dispose()


def test_progress_is_read_from_the_database_while_the_import_runs(
        file_engine: Engine, settings: Settings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings.ensure_dirs()
    path = tmp_path / "812345678FEC20261231.txt"
    generate(path, 12_000, customers=600)
    seen: list[tuple[str, int]] = []
    real = import_jobs._reporter

    def watched(*args):  # type: ignore[no-untyped-def]
        report = real(*args)

        def progress(fraction: float) -> None:
            report(fraction)
            with file_engine.connect() as other:  # what another server reads meanwhile
                seen.append((mode, other.execute(select(ImportBatch.progress).where(
                    ImportBatch.id == batch_id)).scalar_one()))

        return progress

    monkeypatch.setattr(import_jobs, "_reporter", watched)
    with Session(file_engine, expire_on_commit=False) as session:
        owner = make_user(session, "progress@lefevre.test", "Menuiserie Lefèvre")
        with path.open("rb") as handle:
            batch = imports.upload(session, owner, settings, handle, path.name, "fec")
        batch_id = batch.id
        for mode in ("check", "apply"):
            import_jobs.launch(None, settings, session, owner,  # type: ignore[arg-type]
                               imports.get(session, owner, batch_id), mode,
                               inline_bytes=10**12)
        session.expire_all()
        done = imports.get(session, owner, batch_id)
        assert (done.status, done.progress, done.error) == ("done", 100, "")
        assert done.invoices_created == len(session.exec(select(Invoice)).all()) > 0
    for mode in ("check", "apply"):
        stored = [percent for step, percent in seen if step == mode]
        assert any(0 < percent < 100 for percent in stored), (mode, stored)
        assert stored == sorted(stored)
