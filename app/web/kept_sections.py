"""Sections of a debtor's page rendered once for what they show, for the pages kept for a team.

The account, the décompte, the steps, the alerts and the checklist show the file's rows and
what the law makes of them, nothing else: the same facts (app/services/law_view_keep.py
`facts_key`: every column of every row they come from, the rates and the day) give the same
HTML, for whoever may write, or for whoever may only read. So after a change that leaves
those facts as they were (a letter generated, a pièce added, a hold, the creditor's scenarios),
the page is rendered around them.

The other sections (reminders, pièces, letters, claim file, identity) are kept by the value
of every name their template reads (jinja2.meta, their includes too; app/web/value_keys.py):
after a change, those it leaves as they were are not drawn again. A section that reads
something with no key (the request) is drawn each time. The names are read once per process,
as the templates are loaded: a template edited while the server runs needs a restart.

Only for a page rendered to be kept (app/web/page_cache.py): its CSRF token is then a mark,
never a user's own, and its forms are empty.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import cache
from typing import Any

from jinja2 import Environment, meta
from markupsafe import Markup

from app.kept import KeptValues, ValueKey
from app.models import Creditor, Debtor
from app.services.law_view_keep import CREDITOR_BOOKKEEPING, DEBTOR_OUTPUTS
from app.web.value_keys import UNKEYABLE, key_of

# The block of templates/debtors/detail.html, and the template it includes.
SECTIONS = {"account": "debtors/_account.html", "decompte": "debtors/_decompte.html",
            "steps": "debtors/_steps.html", "alerts": "debtors/_alerts.html",
            "readiness": "debtors/_readiness.html"}
BY_VALUE = {"reminders": "debtors/_reminders.html", "evidence": "debtors/_evidence.html",
            "documents": "debtors/_documents.html", "claim_file": "debtors/_claim_file.html",
            "identity": "debtors/_identity.html"}
# Columns these sections never show, which every change to the file moves (its revision, its
# next action): left out of their keys (tests/web/test_value_keys.py reads their templates).
LEAVE_OUT = {Debtor: DEBTOR_OUTPUTS, Creditor: CREDITOR_BOOKKEEPING}
KEPT = KeptValues(max_entries=2048 * (len(SECTIONS) + len(BY_VALUE)))
MISSING = ("missing",)  # a name the context does not hold


def sections(env: Environment, context: dict[str, Any], facts: Hashable,
             can_write: bool) -> dict[str, Markup]:
    """Each section's HTML for `context` (a whole page's, with the page globals)."""
    drawn = {name: KEPT.get((name, facts, can_write), _drawing(env, template, context))
             for name, template in SECTIONS.items()}
    for name, template in BY_VALUE.items():
        key = inputs_key(env, template, context)
        if key is not UNKEYABLE:
            drawn[name] = KEPT.get((name, key), _drawing(env, template, context))
    return drawn


def inputs_key(env: Environment, template: str, context: dict[str, Any]) -> Hashable:
    """The value of every name `template` reads from `context`, or UNKEYABLE."""
    parts = []
    for name in reads(env, template):
        part = key_of(context[name], LEAVE_OUT) if name in context else MISSING
        if part is UNKEYABLE:
            return UNKEYABLE
        parts.append(part)
    return ValueKey((template, *parts))


@cache
def reads(env: Environment, template: str) -> tuple[str, ...]:
    """The names `template` and the templates it includes read, but the environment's own
    (filters, form controls, vocabulary): constants of the process. An include whose name is
    made at render time is refused."""
    names: set[str] = set()
    seen, todo = set(), [template]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parsed = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
        names |= meta.find_undeclared_variables(parsed)
        for included in meta.find_referenced_templates(parsed):
            if included is None:
                raise ValueError(f"{name}: an include whose name is made at render time")
            todo.append(included)
    return tuple(sorted(names - set(env.globals)))


def _drawing(env: Environment, template: str, context: dict[str, Any]) -> Any:
    return lambda: Markup(env.get_template(template).render(context))
