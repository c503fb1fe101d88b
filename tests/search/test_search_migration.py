"""The migration 0004_search builds the index for the pièces already there, and its
downgrade removes it; what `contentieux serve` runs (migrations) searches like the tests
(create_all). On PostgreSQL too when CONTENTIEUX_TEST_DATABASE_URL is set."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlmodel import Session

from app import db
from app.services import search
from tests.conftest import TEST_DB_URL
from tests.factories import make_debtor, make_user
from tests.search.conftest import DELIVERY, piece


def _alembic(engine, target: str, downgrade: bool = False) -> None:  # type: ignore[no-untyped-def]
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if downgrade else command.upgrade)(config, target)


def _round_trip(engine) -> None:  # type: ignore[no-untyped-def]
    db.migrate(engine)
    with Session(engine, expire_on_commit=False) as session:
        owner = make_user(session, "claire@lefevre.test", "Menuiserie Lefèvre")
        found = piece(session, owner, make_debtor(session, owner), DELIVERY)
        assert [h.evidence_id for h in search.search(session, owner, search.checked("BL-2026-77"))
                ] == [found.id]
    _alembic(engine, "0004_lead", downgrade=True)
    names = set(inspect(engine).get_table_names())
    assert not names & {"evidence_fts", "evidencesearch"}
    _alembic(engine, "head")  # built again from the pièces already there
    with Session(engine) as session:
        assert [h.evidence_id for h in search.search(session, owner, search.checked("fenêtres"))
                ] == [found.id]


def test_sqlite_migration_builds_and_drops_the_index(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    _round_trip(engine)
    engine.dispose()


@pytest.mark.skipif(not TEST_DB_URL, reason="needs PostgreSQL (CONTENTIEUX_TEST_DATABASE_URL)")
def test_postgresql_migration_builds_and_drops_the_index(scratch_database_url: str) -> None:
    engine = db.make_engine(scratch_database_url)
    _round_trip(engine)
    engine.dispose()
