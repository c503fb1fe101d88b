"""Writing Alembic revisions for developers (`contentieux makemigration`).

Autogenerate compares the models with a scratch SQLite database migrated to the current head,
so the revision never depends on the state of anyone's data folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from app.db import MIGRATIONS_DIR, is_modelled, make_engine


def make_revision(message: str) -> Path | None:
    """The new revision's path, or None when the models match the last revision."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'scratch.sqlite3'}")
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                  "include_object": is_modelled})
            if not compare_metadata(context, SQLModel.metadata):
                return None
            script = command.revision(config, message=message, autogenerate=True)
        engine.dispose()
    revision = script[0] if isinstance(script, list) else script
    return Path(revision.path) if revision is not None else None
