"""The form controls of templates/_macros.html, each drawn once for the same arguments.

A debtor's page draws some forty controls (the empty forms to add an invoice, a payment, a
step, a call, a "stop relance"…), and a Jinja macro call costs tens of microseconds: over a
millisecond a page. A control is the same HTML for the same arguments (its name, label,
options, the values and errors it shows), so it is kept under them, least recently used out
first; a call whose arguments cannot make a key (app/web/value_keys.py) is drawn each
time. The pages' templates find the controls among the environment's globals
(app/web/templating.py), so they import nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from app.kept import KeptValues
from app.web.value_keys import UNKEYABLE, key_of

MACROS = ("field", "select", "textarea", "checkbox", "form_errors")
MAX_ENTRIES = 4096


def form_controls(env: Environment) -> dict[str, Callable[..., Markup]]:
    """Each macro of _macros.html, kept by its arguments."""
    module = env.get_template("_macros.html").module
    kept = KeptValues(MAX_ENTRIES)
    return {name: _kept(kept, name, getattr(module, name)) for name in MACROS}


def _kept(kept: KeptValues, name: str, macro: Callable[..., Markup]) -> Callable[..., Markup]:
    def control(*args: Any, **kwargs: Any) -> Markup:
        key = key_of((name, *args, *sorted(kwargs.items())))
        if key is UNKEYABLE:
            return macro(*args, **kwargs)
        return kept.get(key, lambda: macro(*args, **kwargs))

    control.__name__ = name
    return control
