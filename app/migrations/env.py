"""Alembic environment: runs on the connection `app.db.migrate()` hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from app import models  # noqa: F401  (registers the tables)
from app.db import is_modelled

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from app.config import get_settings
        from app.db import make_engine

        with make_engine(get_settings().db_url).begin() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True, include_object=is_modelled)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
