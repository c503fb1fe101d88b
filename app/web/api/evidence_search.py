"""Full-text search of the pièces over the JSON API (before /evidence/{id}: "search" is no id)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from app.errors import ValidationFailed
from app.services import debtors, search
from app.web.api.deps import ApiActor
from app.web.deps import SessionDep

router = APIRouter(prefix="/api/v1", tags=["pièces"])


class SearchHit(BaseModel):
    evidence_id: int
    debtor_id: int
    title: str
    kind: str
    snippet: str


@router.get("/evidence/search", response_model=list[SearchHit], responses={
    404: {"description": "Débiteur introuvable (ou d'un autre créancier)"},
    422: {"description": "Recherche vide ou trop longue (200 caractères au plus)"}})
def search_evidence(actor: ApiActor, session: SessionDep, q: str = "",
                    debtor_id: int | None = None) -> Response:
    """The creditor's pièces (withdrawn ones left out) whose text, title, kind, date or
    linked invoice numbers hold every word of `q`, best first, at most 50; within one debtor's
    file with `debtor_id`. Quotes, parentheses, `*` or `NEAR` are searched as plain words.
    `snippet` is HTML: the text escaped, the words found in `<mark>`."""
    try:
        terms = search.checked(q)
    except ValidationFailed as exc:
        return JSONResponse({"detail": [{"loc": ["query", name], "msg": message,
                                         "type": "value_error"}
                                        for name, message in exc.errors.items()]},
                            status_code=422)
    if debtor_id is not None:
        debtors.get(session, actor, debtor_id)  # 404 unless the creditor's own
    hits = search.search(session, actor, terms, debtor_id)
    return JSONResponse([SearchHit(evidence_id=h.evidence_id, debtor_id=h.debtor_id,
                                   title=h.title, kind=h.kind, snippet=str(h.snippet)
                                   ).model_dump() for h in hits])
