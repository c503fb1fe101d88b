"""psycopg cursors whose description is made on first use (app/pg_cursors.py) describe every
result as psycopg's own do, and the app's engines use them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from app import db, pg_cursors
from tests.conftest import TEST_DB_URL

pytestmark = pytest.mark.skipif(not TEST_DB_URL, reason="needs PostgreSQL: runs in the "
                                "PostgreSQL run (CONTENTIEUX_TEST_DATABASE_URL)")

QUERY = ("SELECT 1 AS id, 'Durand BTP'::varchar(120) AS legal_name, 1250.40::numeric(12, 2)"
         " AS amount, DATE '2026-11-22' AS due_date, NULL::text AS note")


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = db.make_engine(TEST_DB_URL, connections=1)
    yield engine
    engine.dispose()


def conninfo() -> str:
    return make_url(TEST_DB_URL).set(drivername="postgresql").render_as_string(
        hide_password=False)


def described(description: Any) -> list[tuple[Any, ...]]:
    return [(c.name, c.type_code, c.display_size, c.internal_size, c.precision, c.scale,
             c.type_display) for c in description]


def test_a_result_is_described_as_psycopg_describes_it() -> None:
    with psycopg.connect(conninfo()) as plain, \
            psycopg.connect(conninfo(), cursor_factory=pg_cursors.Cursor) as lazy:
        expected = plain.execute(QUERY).description
        cursor = lazy.execute(QUERY)
        description = cursor.description
        assert isinstance(description, pg_cursors.Description)
        assert len(description) == 5 and description  # what SQLAlchemy asks of a known statement
        cursor.execute("SELECT 2 AS other")  # the columns are those of the statement that ended
        assert described(description) == described(expected)
        assert [c.name for c in description[1:3]] == ["legal_name", "amount"]
        assert description == list(description)
        assert cursor.description is not None and cursor.description[0].name == "other"


def test_no_rows_no_description_and_zero_columns_an_empty_one() -> None:
    with psycopg.connect(conninfo(), cursor_factory=pg_cursors.Cursor) as lazy:
        assert lazy.execute("SET application_name = 'contentieux-test'").description is None
        empty = lazy.execute("SELECT").description
        assert empty is not None and len(empty) == 0 and list(empty) == []


def test_the_apps_engines_read_rows_through_them(engine: Engine) -> None:
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        assert isinstance(cursor, pg_cursors.Cursor)
        cursor.close()
        row = connection.execute(text(QUERY)).one()
        first = connection.execute(text(QUERY))  # compiled before: SQLAlchemy's kept columns
        assert first.keys() == ["id", "legal_name", "amount", "due_date", "note"]
        assert row == first.one() == (1, "Durand BTP", Decimal("1250.40"), date(2026, 11, 22),
                                      None)


def test_the_readers_connections_use_them_too(engine: Engine) -> None:
    async def read() -> tuple[object, tuple[Any, ...]]:
        reader = db.make_reader(engine, connections=1)
        assert reader is not None
        try:
            async with reader.connect() as connection:
                raw = await connection.get_raw_connection()
                cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
                row = (await connection.execute(text(QUERY))).one()
                return cursor, tuple(row)
        finally:
            await reader.dispose()

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever the test runner runs
        cursor, row = thread.submit(lambda: asyncio.run(read())).result()
    assert isinstance(cursor, pg_cursors.AsyncCursor)
    assert row[:3] == (1, "Durand BTP", Decimal("1250.40"))


def test_another_driver_keeps_its_own_cursors() -> None:
    assert pg_cursors.connect_args("sqlite:///contentieux.sqlite3") == {}
    assert pg_cursors.connect_args("postgresql+psycopg://u@h/db") == \
        {"cursor_factory": pg_cursors.Cursor}
