"""Answering a form posted from a section of the debtor page: one truth per page.

htmx gets the section's block back (with the errors next to the fields, 422 on error) and,
after a change, every other block that shows a figure, swapped out of band, so the headline,
the décompte, the alerts and the checklist never contradict the section just changed.
A browser without JavaScript gets the whole page, or a redirect after success (PRG).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2_fragments import render_block
from sqlmodel import Session

from app.models import Debtor
from app.services.context import Actor
from app.services.debtor_page import debtor_page
from app.web.htmx import is_fragment_request, redirect
from app.web.templating import page_globals, render, templates

PAGE = "debtors/detail.html"
# The blocks of the debtor page that show a figure, a deadline or a status.
FIGURES = ("headline", "next_action", "account", "decompte", "alerts", "readiness", "steps",
           "documents", "history", "reminders")
# What a change of the pièces can alter besides the list itself.
EVIDENCE_FIGURES = ("headline", "next_action", "readiness", "claim_file", "history")
# Blocks of the page that live in an included template (jinja2-fragments renders a block of
# the template that defines it).
DEFINED_IN = {"evidence_list": "debtors/_evidence.html"}
_FIRST_TAG = re.compile(r"^(\s*<[a-zA-Z][\w-]*)")


def section_response(request: Request, session: Session, actor: Actor, debtor: Debtor,
                     today: date, *, block: str, form: str | None = None,
                     values: dict[str, str] | None = None,
                     errors: dict[str, str] | None = None, confirm: Any = None) -> Response:
    """After a change: the section and every figure. On errors, or when a change must be
    confirmed first (`confirm`, e.g. an overpayment), the section with its form filled in."""
    if confirm is not None:
        context = debtor_page(session, actor, debtor, today)
        context["forms"] = {form: values or {}}
        context["confirm"] = {form: confirm}
        return render(request, PAGE, context, block=block)
    if not errors and not is_fragment_request(request):
        return redirect(request, f"/debtors/{debtor.id}?ok=saved#{block.replace('_', '-')}")
    context = debtor_page(session, actor, debtor, today)
    if form and errors:
        context["forms"] = {form: values or {}}
        context["errors"] = {form: errors}
        return render(request, PAGE, context, block=block, status_code=422)
    return with_figures(request, context, block=block)


def with_figures(request: Request, context: dict[str, Any], *, block: str,
                 template: str = PAGE, others: Sequence[str] = FIGURES,
                 status_code: int = 200) -> Response:
    """`block` for the htmx target, then each other figure block out of band."""
    if not is_fragment_request(request):
        return render(request, template, context, block=block, status_code=status_code)
    full = {**page_globals(request), "request": request, **context}
    parts = [render_block(templates.env, template, block, full)]
    parts += [out_of_band(render_block(templates.env, DEFINED_IN.get(name, PAGE), name, full))
              for name in others if name != block]
    response = HTMLResponse("".join(parts), status_code=status_code)
    response.headers.append("Vary", "HX-Request")
    return response


def out_of_band(html: str) -> str:
    """Mark a block's outer element for htmx to swap by its id, wherever it is on the page."""
    marked, count = _FIRST_TAG.subn(r'\1 hx-swap-oob="true"', html, count=1)
    if not count:
        raise ValueError("a block swapped out of band must start with its element")
    return marked
