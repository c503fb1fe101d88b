"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from app import db


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": db.is_modelled})
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_migrating_twice_is_harmless(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.migrate(engine)
    db.migrate(engine)
    engine.dispose()


def test_makemigration_writes_nothing_when_the_models_match(capsys) -> None:  # type: ignore[no-untyped-def]
    from app import cli

    assert cli.main(["makemigration", "-m", "nothing to do"]) == 0
    assert "Le schéma correspond déjà aux modèles." in capsys.readouterr().out
