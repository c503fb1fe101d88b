"""Exhibits over the JSON API: upload (multipart, streamed), list, download, classify and
link (PATCH, the page's validation), withdraw. Each pièce says what its text suggests.

A refused file answers 4xx with `{"detail": "« name » refusé : reason"}` (415 type, 413 size,
409 duplicate, 422 unreadable / protected / empty); invalid fields answer 422 per field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from app.evidence import Refusal
from app.models import Debtor, Evidence
from app.services import evidence as exhibits
from app.services import evidence_suggestions as suggestions
from app.storage import FileStore
from app.web.api.deps import ApiActor, ApiDebtor
from app.web.deps import SessionDep, SettingsDep
from app.web.routes.evidence import StoreDep, evidence_download, read_later
from app.web.upload_routes import read_api_upload

router = APIRouter(prefix="/api/v1", tags=["pièces"])
RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "Introuvable (ou appartient à un autre créancier)"},
    409: {"description": "Fichier déjà présent pour ce débiteur"},
    413: {"description": "Fichier trop volumineux"},
    415: {"description": "Type de fichier refusé (décidé d'après le contenu)"},
    422: {"description": "Fichier illisible, protégé, vide, ou champ invalide"},
}


class EvidenceOut(BaseModel):
    id: int
    debtor_id: int
    number: int | None
    sha256: str
    size: int
    media_type: str
    pages: int
    original_name: str
    kind: str
    title: str
    document_date: date | None
    invoices: list[str]
    note: str
    meta: dict[str, Any]
    parent_id: int | None
    created_at: datetime
    withdrawn_at: datetime | None
    withdrawn_reason: str
    # What the pièce's text says (issue 19): none | pending | done | failed, and suggestions
    # a person applies (PATCH, or the page's "Accepter").
    text_status: str
    suggested_kind: str
    suggested_date: date | None
    suggested_invoices: list[str]
    suggested_amounts: list[str]


class EvidencePatch(BaseModel):
    """The fields to change; those left out keep their value. `invoices`: the numbers of
    this debtor's invoices the pièce justifies (replaces the links; [] unlinks all)."""

    model_config = ConfigDict(extra="allow")

    kind: Any = None
    title: Any = None
    document_date: Any = None
    invoices: Any = None


class WithdrawIn(BaseModel):
    reason: str = ""


def api_evidence(evidence_id: int, actor: ApiActor, session: SessionDep) -> Evidence:
    return exhibits.get(session, actor, evidence_id)


ApiEvidence = Annotated[Evidence, Depends(api_evidence)]


def _out(session: Any, evidence: Evidence, number: int | None = None) -> EvidenceOut:
    links = exhibits.linked_invoices(session, [evidence.id]).get(evidence.id, [])  # type: ignore[list-item,arg-type]
    fields = evidence.model_dump(exclude={"number"})  # the bordereau's number, given here
    return EvidenceOut(**fields, number=number, invoices=[i.number for i in links])


@router.post("/debtors/{debtor_id}/evidence", response_model=EvidenceOut, status_code=201,
             responses=RESPONSES)
async def upload(request: Request, debtor: ApiDebtor, actor: ApiActor, session: SessionDep,
                 store: StoreDep, settings: SettingsDep) -> Response:
    """Multipart fields: `file` (one), `kind`, `title`, `document_date` (AAAA-MM-JJ),
    `invoices` (numbers or ids, repeated or comma-separated)."""
    actor.require_write()
    form = await read_api_upload(request, session, store, settings.max_upload_bytes)
    if len(form.files) != 1:
        form.discard()
        raise HTTPException(400, "Envoyez exactement un fichier dans le champ « file ».")
    item = form.files[0]
    if item.refusal is not None or item.staged is None:
        refusal = item.refusal or Refusal(item.filename, "envoi incomplet.", "damaged")
        return JSONResponse({"detail": refusal.message}, status_code=refusal.status)
    try:
        stored = await run_in_threadpool(exhibits.add_file, session, actor, debtor,
                                         item.staged, item.filename, form.data())
    except Refusal as exc:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)
    await run_in_threadpool(read_later, request, session, settings,
                            [exhibits.Outcome(stored.original_name, stored)])
    number = exhibits.numbers(exhibits.of_debtor(session, debtor)).get(stored.id)  # type: ignore[arg-type]
    out = _out(session, stored, number)
    return JSONResponse(out.model_dump(mode="json"), status_code=201,
                        headers={"Location": f"/api/v1/evidence/{stored.id}"})


@router.get("/debtors/{debtor_id}/evidence", response_model=list[EvidenceOut],
            responses=RESPONSES)
def list_evidence(debtor: ApiDebtor, session: SessionDep,
                  include_withdrawn: bool = False) -> list[EvidenceOut]:
    items = exhibits.of_debtor(session, debtor)
    numbered = exhibits.numbers(items)
    return [_out(session, e, numbered.get(e.id)) for e in items  # type: ignore[arg-type]
            if include_withdrawn or e.withdrawn_at is None]


@router.get("/evidence/{evidence_id}", response_model=EvidenceOut, responses=RESPONSES)
def get_evidence(evidence: ApiEvidence, session: SessionDep) -> EvidenceOut:
    debtor = session.get(Debtor, evidence.debtor_id)
    number = exhibits.numbers(exhibits.of_debtor(session, debtor)).get(evidence.id)  # type: ignore[arg-type]
    return _out(session, evidence, number)


@router.get("/evidence/{evidence_id}/download", responses=RESPONSES)
def download(evidence: ApiEvidence, settings: SettingsDep, inline: bool = False) -> Response:
    return evidence_download(evidence, FileStore(settings.files_dir), inline)


@router.post("/evidence/{evidence_id}/withdraw", response_model=EvidenceOut,
             responses=RESPONSES)
def withdraw(body: WithdrawIn, evidence: ApiEvidence, actor: ApiActor,
             session: SessionDep) -> EvidenceOut:
    return _out(session, exhibits.withdraw(session, actor, evidence, body.model_dump()))


@router.patch("/evidence/{evidence_id}", response_model=EvidenceOut, responses=RESPONSES)
def update(body: EvidencePatch, evidence: ApiEvidence, actor: ApiActor,
           session: SessionDep) -> EvidenceOut:
    """Set `kind`, `title`, `document_date` (AAAA-MM-JJ, or null) and `invoices` (numbers),
    checked as on the page; 422 with a French message per field, nothing saved."""
    given = body.model_dump(exclude_unset=True)
    suggestions.patch(session, actor, evidence, given)
    return _out(session, evidence)
