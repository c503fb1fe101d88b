"""A key made of a value's content, for parts of pages kept by what they show.

Two values with the same key are drawn alike by a template: plain values as their kind and
their text (Decimal("1.50") and Decimal("1.5") are equal, but not drawn alike), mappings as
their items in their order, sequences as tuples, rows as the value of each of their columns
(app/row_values.py: the models have no relationships, so a row shows its
columns only), dataclasses as their fields; each marked by its kind, so that a mapping and a
tuple of pairs, or 1 and True, never meet. Anything else (a request, a function, an open
file) is UNKEYABLE: what reads it is drawn each time.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from app.row_values import row_values

PLAIN = (str, int, float, Decimal, date, type(None))  # a datetime is a date
UNKEYABLE: Any = object()


NOTHING_LEFT_OUT: Mapping[type, frozenset[str]] = {}


def key_of(value: Any, leave_out: Mapping[type, frozenset[str]] = NOTHING_LEFT_OUT) -> Hashable:
    """`value`'s key, or UNKEYABLE when something in it is none of the kinds above. `leave_out`:
    columns of a model that the template never shows (bookkeeping). Plain text, and choices
    all plain text (a select's options), the most common, cost no call each."""
    if type(value) is str:  # not Markup, which is drawn as it is, not escaped
        return (str, value)
    if type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items()):
        return ("text map", tuple(value.items()))
    if isinstance(value, PLAIN):
        return (type(value), str(value))
    if isinstance(value, Mapping):
        return _tagged("map", (part for k, v in value.items()
                               for part in (key_of(k, leave_out), key_of(v, leave_out))))
    if isinstance(value, tuple | list):
        return _tagged("seq", (key_of(v, leave_out) for v in value))
    if isinstance(value, Enum):
        return (type(value), key_of(value.value))
    if hasattr(type(value), "__table__"):  # a row
        return ("row", row_values(value, leave_out.get(type(value), frozenset())))
    if is_dataclass(value) and not isinstance(value, type):
        return _tagged(type(value), (key_of(getattr(value, f.name), leave_out)
                                     for f in fields(value)))
    return UNKEYABLE


def _tagged(tag: Hashable, parts: Any) -> Hashable:
    keyed = tuple(parts)
    return UNKEYABLE if any(part is UNKEYABLE for part in keyed) else (tag, keyed)
