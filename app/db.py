"""Database engine, session factory and migrations.

SQLite by default (WAL mode, busy timeout, foreign keys on); PostgreSQL when
`CONTENTIEUX_DATABASE_URL` says so. The schema is owned by Alembic (`app/migrations`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from app import (
    models,  # noqa: F401  (registers every table on SQLModel.metadata)
    pg_cursors,
    revisions,  # noqa: F401  (every flush bumps the revision of the creditors it changes)
)
from app.services.dashboard import maintain  # noqa: F401  (every flush keeps the aggregates)
from app.services.search import INDEX_TABLES  # (creates the search index with the tables)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


BACKGROUND_CONNECTIONS = 4  # jobs run by the server's own worker (app/queue.py, inline)
IDLE_PING_SECONDS = 10.0  # a pooled server connection idle longer is checked before use


def make_engine(url: str, connections: int = 4) -> Engine:
    """An engine with the pragmas the app relies on, and a connection kept for each request
    the app admits at once (app/web/admission.py) plus a few for background jobs."""
    pool = {"pool_size": connections + BACKGROUND_CONNECTIONS, "max_overflow": 10}
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            **({"poolclass": StaticPool} if memory else pool),
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, connect_args=pg_cursors.connect_args(url), **pool)
    _ping_when_idle(engine)
    return engine


def make_reader(engine: Engine, connections: int = 4) -> AsyncEngine | None:
    """For a database server: an engine on the event loop, in autocommit, for the reads a page
    makes before any other (who is signed in, the revision a kept page is found at): one
    round trip, without a BEGIN and a ROLLBACK around it, nor a hop to a worker thread
    (app/web/deps.py read_first). A connection for each request the app admits at once.
    None for SQLite: a local file, read in place. Made and disposed of by the app's lifespan,
    in the event loop it serves (app/main.py)."""
    if engine.dialect.name == "sqlite":
        return None
    reader = create_async_engine(engine.url, isolation_level="AUTOCOMMIT",
                                 connect_args=pg_cursors.connect_args(engine.url, sync=False),
                                 pool_size=connections, max_overflow=0)
    _ping_when_idle(reader.sync_engine)
    return reader


def _ping_when_idle(engine: Engine) -> None:
    """A connection back from the pool is checked with a round trip only when it sat idle:
    one that served a request a moment ago is alive, and a ping at every checkout (SQLAlchemy's
    pool_pre_ping) was a fourth of a kept page's round trips (as pgbouncer's server_check_delay).
    A dead one makes the pool take another (DisconnectionError), after a restart of the server
    or a network cut."""

    def note_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["checked_in"] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("checked_in", 0.0) < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError(f"a pooled connection is dead: {error}") from error

    event.listen(engine, "connect", note_checkin)
    event.listen(engine, "checkin", note_checkin)
    event.listen(engine, "checkout", ping_if_idle)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def is_modelled(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Whether a schema object is the models' to compare (Alembic `include_object`): not
    Procrastinate's tables (PostgreSQL), nor the search index and FTS5's shadow tables."""
    if type_ != "table" or not reflected:
        return True
    return not str(name).startswith(("procrastinate_", *INDEX_TABLES))


def create_all(engine: Engine) -> None:
    """Create the tables straight from the models (tests; migrations are checked separately),
    and the search index with them (app/services/search)."""
    SQLModel.metadata.create_all(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
