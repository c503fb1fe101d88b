"""Sections of a debtor's page rendered once per law facts, for the pages kept for a team.

The account, the décompte, the steps, the alerts and the checklist show the file's rows and
what the law makes of them, nothing else: the same facts (app/services/law_view_keep.py
`facts_key`: every column of every row they come from, the rates and the day) give the same
HTML, for whoever may write, or for whoever may only read. So after a change that leaves
those facts as they were (a letter generated, a pièce added, a hold, the creditor's scenarios),
the page is rendered around them. Only for a page rendered to be kept (app/web/page_cache.py):
its CSRF token is then a mark, never a user's own, and its forms are empty.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from app.kept import KeptValues

# The block of templates/debtors/detail.html, and the template it includes.
SECTIONS = {"account": "debtors/_account.html", "decompte": "debtors/_decompte.html",
            "steps": "debtors/_steps.html", "alerts": "debtors/_alerts.html",
            "readiness": "debtors/_readiness.html"}
KEPT = KeptValues(max_entries=2048 * len(SECTIONS))


def sections(env: Environment, context: dict[str, Any], facts: Hashable,
             can_write: bool) -> dict[str, Markup]:
    """Each section's HTML for `context` (a whole page's, with the page globals)."""
    return {name: KEPT.get((name, facts, can_write),
                           lambda name=name: Markup(env.get_template(SECTIONS[name])
                                                    .render(context)))
            for name in SECTIONS}
