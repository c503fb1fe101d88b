"""The search box: the creditor's pièces found by their text, title, kind, date and invoice
numbers, across every file (/recherche, the box in the top bar) or within one debtor's file
(the box of the debtor page's pièces, which swaps the `search_results` block in)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.errors import ValidationFailed
from app.services import debtors, search
from app.web.deps import ActorDep, SessionDep
from app.web.templating import render

router = APIRouter()


@router.get("/recherche", name="evidence_search")
def evidence_search(request: Request, actor: ActorDep, session: SessionDep, q: str = "",
                    debtor_id: int | None = None) -> Response:
    debtor = debtors.get(session, actor, debtor_id) if debtor_id is not None else None
    context = {"q": q, "debtor": debtor, "hits": [], "error": "", "searched": bool(q.strip())}
    status = 200
    if context["searched"]:
        try:
            context["hits"] = search.search(session, actor, search.checked(q), debtor_id)
        except ValidationFailed as exc:
            context["error"], status = exc.errors["q"], 422
    return render(request, "search/results.html", context, block="search_results",
                  status_code=status)
