"""A row as the values of its columns, compared by value (what kept parts of pages and the law
views are keyed by: app/services/law_view_keep.py, app/web/value_keys.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import JSON, inspect

Getter = Callable[[Any], tuple[Any, ...]]
_readers: dict[tuple[type, frozenset[str]], tuple[Getter, Getter, tuple[int, ...]]] = {}


def _reader(kind: type, leave_out: frozenset[str]) -> tuple[Getter, Getter, tuple[int, ...]]:
    """Getters of the row's columns but `leave_out`: from its loaded values (one C call: a
    debtor's file has some 250 values, read at every page), else through the ORM; and where
    among them the JSON ones are."""
    found = _readers.get((kind, leave_out))
    if found is None:
        columns = [attr for attr in inspect(kind).column_attrs if attr.key not in leave_out]
        keys = [attr.key for attr in columns]
        json_at = tuple(i for i, attr in enumerate(columns)
                        if isinstance(attr.columns[0].type, JSON))
        found = _readers[(kind, leave_out)] = (_getter(itemgetter, keys),
                                               _getter(attrgetter, keys), json_at)
    return found


def _getter(make: Callable[..., Callable[[Any], Any]], keys: list[str]) -> Getter:
    get = make(*keys)
    return get if len(keys) > 1 else lambda row: (get(row),)  # one key: a value, not a tuple


def row_values(row: object, leave_out: frozenset[str] = frozenset()) -> tuple[Hashable, ...]:
    """The row's table and the value of each of its columns (a JSON one as its text)."""
    loaded, through, json_at = _reader(type(row), leave_out)
    try:
        values = loaded(row.__dict__)
    except KeyError:  # a column not loaded (expired): the ORM loads it
        values = through(row)
    if json_at:
        values = tuple(json.dumps(value, sort_keys=True, default=str) if i in json_at else value
                       for i, value in enumerate(values))
    return (type(row).__name__, *values)
