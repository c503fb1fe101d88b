"""Answering a form posted from a section of the debtor page.

htmx gets the section's block back (with the errors next to the fields, 422 on error);
a browser without JavaScript gets the whole page, or a redirect after success (PRG).
"""

from __future__ import annotations

from datetime import date

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from app.models import Debtor
from app.services.context import Actor
from app.services.debtor_page import debtor_page
from app.web.htmx import is_fragment_request, redirect
from app.web.templating import render


def section_response(request: Request, session: Session, actor: Actor, debtor: Debtor,
                     today: date, *, block: str, form: str | None = None,
                     values: dict[str, str] | None = None,
                     errors: dict[str, str] | None = None) -> Response:
    if not errors and not is_fragment_request(request):
        return redirect(request, f"/debtors/{debtor.id}?ok=saved#{block.replace('_', '-')}")
    context = debtor_page(session, actor, debtor, today)
    if form and errors:
        context["forms"] = {form: values or {}}
        context["errors"] = {form: errors}
    return render(request, "debtors/detail.html", context, block=block,
                  status_code=422 if errors else 200)
