"""psycopg cursors whose `description` makes its columns when one is first read.

After every statement, SQLAlchemy reads `cursor.description`; for a statement it compiled
before (each of a page's, after the first request), it only asks whether there is one: it keeps
the result's columns with the compiled statement. psycopg makes a `Column` at each read (name
decoded, type looked up): about 130 on a debtor page, a tenth of its CPU on PostgreSQL
(tests/bench/bench_load.py). Here they are made only when a column is asked for, from the
result the statement left, so a later statement on the same cursor changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import psycopg
from psycopg import Column
from psycopg.pq import ExecStatus
from sqlalchemy.engine import URL, make_url

# psycopg's own rule (BaseCursor.description): columns when the result has fields, or when
# it said it returns rows (the zero-column "SELECT ;")
ROWS = frozenset(getattr(ExecStatus, name) for name in ("TUPLES_OK", "SINGLE_TUPLE", "TUPLES_CHUNK")
                 if hasattr(ExecStatus, name))


class _Ended:
    """What `Column` reads of a cursor, as it was when the statement ended."""

    __slots__ = ("_encoding", "adapters", "pgresult")

    def __init__(self, cursor: Any, result: Any) -> None:
        self.pgresult = result
        self._encoding = cursor._encoding
        self.adapters = cursor.adapters


class Description(Sequence[Column]):
    """`cursor.description`, as a list of `Column`s made on first use."""

    __slots__ = ("_columns", "_count", "_cursor", "_result")

    def __init__(self, cursor: Any, result: Any) -> None:
        self._cursor, self._result, self._count = cursor, result, result.nfields
        self._columns: list[Column] | None = None

    def __len__(self) -> int:
        return self._count  # type: ignore[no-any-return]

    @overload
    def __getitem__(self, index: int) -> Column: ...
    @overload
    def __getitem__(self, index: slice) -> list[Column]: ...
    def __getitem__(self, index: int | slice) -> Column | list[Column]:
        return self._made()[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == other if isinstance(other, (list, Description)) else NotImplemented

    __hash__ = None  # type: ignore[assignment]  (a list's, unhashable)

    def _made(self) -> list[Column]:
        if self._columns is None:
            ended = _Ended(self._cursor, self._result)
            self._columns = [Column(ended, i) for i in range(self._count)]  # type: ignore[arg-type]
            self._cursor = self._result = None
        return self._columns


def _description(cursor: Any) -> Description | None:
    result = cursor.pgresult
    if result and (result.nfields or result.status in ROWS):
        return Description(cursor, result)
    return None


class Cursor(psycopg.Cursor[Any]):
    @property
    def description(self) -> Description | None:  # type: ignore[override]
        return _description(self)


class AsyncCursor(psycopg.AsyncCursor[Any]):
    @property
    def description(self) -> Description | None:  # type: ignore[override]
        return _description(self)


def connect_args(url: str | URL, sync: bool = True) -> dict[str, Any]:
    """The engine's `connect_args` for a database at `url`: these cursors with psycopg."""
    if make_url(url).get_driver_name() != "psycopg":
        return {}
    return {"cursor_factory": Cursor if sync else AsyncCursor}
