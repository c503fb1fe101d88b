"""Counting the SQL statements a request sends: on the app's engine, and on a server, on the
engine of its pages' first reads (app/db.py make_reader)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.conftest import Browser


def engines(client: Browser, engine: Engine) -> list[Engine]:
    """The app's engine, and on a server the one of its pages' first reads (app/db.py)."""
    reader = client.app.state.reader  # type: ignore[attr-defined]
    return [engine] if reader is None else [engine, reader.sync_engine]


@contextmanager
def counted(client: Browser, engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    with listening(engines(client, engine), count):
        yield statements


@contextmanager
def listening(watched: list[Engine], hook: Callable[..., None]) -> Iterator[None]:
    for each in watched:
        event.listen(each, "before_cursor_execute", hook)
    try:
        yield
    finally:
        for each in watched:
            event.remove(each, "before_cursor_execute", hook)
