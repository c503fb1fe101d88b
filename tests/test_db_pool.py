"""The PostgreSQL pool checks a connection that sat idle, and only that one (app/db.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app import db
from tests.conftest import TEST_DB_URL

pytestmark = pytest.mark.skipif(not TEST_DB_URL, reason="needs PostgreSQL: runs in the "
                                "PostgreSQL run (CONTENTIEUX_TEST_DATABASE_URL)")


@pytest.fixture
def pool_engine() -> Iterator[Engine]:
    engine = db.make_engine(TEST_DB_URL, connections=1)
    yield engine
    engine.dispose()


@pytest.fixture
def pings(pool_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    seen: list[object] = []
    ping = pool_engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        seen.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(pool_engine.dialect, "do_ping", counted)
    return seen


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_used_a_moment_ago_is_not_pinged(pool_engine: Engine,
                                                      pings: list[object]) -> None:
    first = backend_pid(pool_engine)
    assert backend_pid(pool_engine) == first  # the same pooled connection, taken again
    assert pings == []


def test_a_connection_killed_while_idle_is_replaced(pool_engine: Engine, pings: list[object],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    killed = backend_pid(pool_engine)
    other = db.make_engine(TEST_DB_URL, connections=1)
    try:
        with other.begin() as connection:  # as a restart of the server or a network cut does
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed})
    finally:
        other.dispose()
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # as if it sat idle for long

    replacement = backend_pid(pool_engine)  # no error: the dead one is dropped, a new one taken

    assert replacement != killed
    assert len(pings) == 2  # the dead one, then its replacement (idle by this test's clock)


def test_the_first_reads_engine_replaces_a_connection_killed_while_idle(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine of a page's first reads (autocommit, on the event loop) has the same check:
    after a restart of the server, the next page signs its user in, not a 500."""
    engine = db.make_engine(TEST_DB_URL, connections=1)

    async def reads() -> tuple[int, int, bool]:
        reader = db.make_reader(engine, connections=1)
        assert reader is not None
        try:
            async with reader.connect() as connection:
                killed = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            with engine.begin() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed})
            monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
            async with reader.connect() as connection:
                replacement = (await connection.execute(
                    text("SELECT pg_backend_pid()"))).scalar_one()
                outside = (await connection.get_raw_connection()).dbapi_connection.autocommit
            return killed, replacement, outside
        finally:
            await reader.dispose()

    try:  # in a thread of its own: the browser tests leave this one's event loop set
        with ThreadPoolExecutor(1) as thread:
            killed, replacement, outside_transaction = thread.submit(
                lambda: asyncio.run(reads())).result()
    finally:
        engine.dispose()
    assert replacement != killed
    assert outside_transaction  # autocommit: no BEGIN, no ROLLBACK around a read


def test_sqlite_has_no_first_reads_engine(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        assert db.make_reader(engine) is None  # a local file: read in place
    finally:
        engine.dispose()
