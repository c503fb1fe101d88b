"""Generated documents over the API: generate a letter or requête, list them, download one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from app.errors import DocumentRefused
from app.models import GeneratedDocument
from app.services import documents as docs
from app.storage import FileStore
from app.web.api.deps import ApiActor, ApiDebtor
from app.web.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["documents"])
RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"description": "Introuvable (ou appartient à un autre créancier)"},
    409: {"description": "Génération refusée : la raison en français dans `detail`, et dans "
                         "`missing` chaque élément manquant (`label`, `article`, `url` du "
                         "formulaire qui le corrige)"},
    422: {"description": "Champs invalides, message en français par champ"},
}


class DocumentIn(BaseModel):
    kind: str
    date: str
    deadline_days: int = 8
    channel: str = "lrar"
    court_id: int | None = None
    refer_if_opposed: bool = False


class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    version: int
    document_date: date
    status: str
    pages: int
    size: int
    sha256: str
    filename: str
    sent_on: date | None
    sent_reference: str
    created_at: datetime
    params: dict[str, Any]
    download_url: str = ""


class GeneratedOut(BaseModel):
    id: int
    download_url: str
    warnings: list[str]
    document: DocumentOut


def store_of(settings: SettingsDep) -> FileStore:
    return FileStore(settings.files_dir)


StoreDep = Annotated[FileStore, Depends(store_of)]


def _url(document: GeneratedDocument) -> str:
    return f"/api/v1/documents/{document.id}/download"


def _out(document: GeneratedDocument) -> DocumentOut:
    return DocumentOut.model_validate(document).model_copy(update={"download_url": _url(document)})


@router.post("/debtors/{debtor_id}/documents", status_code=201, response_model=GeneratedOut,
             responses=RESPONSES)
def generate(body: DocumentIn, debtor: ApiDebtor, actor: ApiActor, session: SessionDep,
             store: StoreDep) -> Any:
    # Synchronous for API clients (201 with the document, as before): the debtor page renders
    # through a job of the queue instead (app/services/document_jobs.py).
    data = {**body.model_dump(), "deadline_days": str(body.deadline_days),
            "court_id": str(body.court_id or "")}
    try:
        made = docs.generate(session, actor, store, debtor, data)
    except DocumentRefused as exc:
        session.rollback()
        return JSONResponse({"detail": exc.message, "missing": list(exc.missing)},
                            status_code=409)
    document = made.document
    return GeneratedOut(id=document.id, download_url=_url(document),  # type: ignore[arg-type]
                        warnings=list(made.warnings), document=_out(document))


@router.get("/debtors/{debtor_id}/documents", response_model=list[DocumentOut],
            responses=RESPONSES)
def list_documents(debtor: ApiDebtor, session: SessionDep) -> list[DocumentOut]:
    return [_out(d) for d in docs.of_debtor(session, debtor)]


@router.get("/documents/{document_id}/download", responses=RESPONSES)
def download(document_id: int, actor: ApiActor, session: SessionDep, store: StoreDep) -> Response:
    document = docs.get(session, actor, document_id)
    return Response(docs.content(store, document), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{document.filename}"',
        "X-Content-Type-Options": "nosniff"})
