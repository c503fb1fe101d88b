"""The form controls of templates/_macros.html, each drawn once for the same arguments.

A debtor's page draws some forty controls (the empty forms to add an invoice, a payment, a
step, a call, a "stop relance"…), and a Jinja macro call costs tens of microseconds: over a
millisecond a page. A control is the same HTML for the same arguments (its name, label,
options, the values and errors it shows), so it is kept under them, least recently used out
first; a call whose arguments cannot make a key (a value that is no plain one) is drawn each
time. The pages' templates find the controls among the environment's globals
(app/web/templating.py), so they import nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from app.kept import KeptValues

MACROS = ("field", "select", "textarea", "checkbox", "form_errors")
# What a control shows as its text: kept by it (any other value is drawn each time).
PLAIN = (str, int, float, Decimal, date, type(None))
MAX_ENTRIES = 4096
_UNKEYABLE = object()


def form_controls(env: Environment) -> dict[str, Callable[..., Markup]]:
    """Each macro of _macros.html, kept by its arguments."""
    module = env.get_template("_macros.html").module
    kept = KeptValues(MAX_ENTRIES)
    return {name: _kept(kept, name, getattr(module, name)) for name in MACROS}


def _kept(kept: KeptValues, name: str, macro: Callable[..., Markup]) -> Callable[..., Markup]:
    def control(*args: Any, **kwargs: Any) -> Markup:
        key = _key((name, *args, *sorted(kwargs.items())))
        if key is _UNKEYABLE:
            return macro(*args, **kwargs)
        return kept.get(key, lambda: macro(*args, **kwargs))

    control.__name__ = name
    return control


def _key(value: Any) -> Hashable:
    """`value` as a key: a plain value as its kind and its text (what a control shows and
    compares: Decimal("1.50") and Decimal("1.5") are equal, but not drawn alike), mappings as
    their items (in their order: the same items in another order only miss), sequences as
    tuples, each marked by its kind so that a mapping and a tuple of pairs, or 1 and True,
    never meet; _UNKEYABLE when something in it is no plain value. Plain text, and choices
    all plain text (a select's options), the most common, are keyed without a call each."""
    if type(value) is str:  # not Markup, which is drawn as it is, not escaped
        return (str, value)
    if type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items()):
        return ("text map", tuple(value.items()))
    if isinstance(value, PLAIN):
        return (type(value), str(value))
    if isinstance(value, Mapping):
        items = tuple((_key(k), _key(v)) for k, v in value.items())
        return _UNKEYABLE if any(_UNKEYABLE in pair for pair in items) else ("map", items)
    if isinstance(value, tuple | list):
        parts = tuple(_key(v) for v in value)
        return _UNKEYABLE if _UNKEYABLE in parts else ("seq", parts)
    return _UNKEYABLE
