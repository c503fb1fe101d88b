"""POST /api/v1/imports: a FEC or a CSV / .xlsx export in, the (dry-run) report out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.errors import ValidationFailed
from app.models import ImportBatch
from app.services import imports
from app.services.context import Actor
from app.storage import FileStore
from app.web.api.deps import ApiActor
from app.web.deps import SessionDep, SettingsDep
from app.web.routes.imports import store_import
from app.web.upload_routes import form_fields, read_api_upload
from app.web.uploads import UploadedFile, UploadForm, is_multipart

router = APIRouter(prefix="/api/v1", tags=["imports"])
RESPONSES = {404: {"description": "Introuvable (ou appartient à un autre créancier)"},
             422: {"description": "Fichier refusé ou correspondance de colonnes incomplète"}}


class ImportOut(BaseModel):
    id: int
    kind: str
    source: str
    original_name: str
    sha256: str
    size: int
    status: str
    progress: int
    error: str
    attempts: int
    worker: str
    created_at: datetime
    applied_at: datetime | None
    report: dict[str, Any]

    @classmethod
    def of(cls, batch: ImportBatch) -> ImportOut:
        return cls.model_validate(batch, from_attributes=True)


class ImportForm(BaseModel):
    """The multipart fields besides `file`."""

    kind: str
    mapping: str = ""
    dry_run: bool = True
    source: str = ""
    term_days: str = ""


# The request body as the docs show it: the fields FastAPI described when they were `File()`
# and `Form()` parameters (the route now streams the file itself: app/web/uploads.py).
UPLOAD_FORM: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {
        "title": "Body_create_import_api_v1_imports_post", "type": "object",
        "required": ["file", "kind"],
        "properties": {
            "file": {"title": "File", "type": "string",
                     "contentMediaType": "application/octet-stream"},
            "kind": {"title": "Kind", "type": "string"},
            "mapping": {"title": "Mapping", "type": "string", "default": ""},
            "dry_run": {"title": "Dry Run", "type": "boolean", "default": True},
            "source": {"title": "Source", "type": "string", "default": ""},
            "term_days": {"title": "Term Days", "type": "string", "default": ""},
        }}}}}}


@router.post("/imports", response_model=ImportOut, responses=RESPONSES,
             openapi_extra=UPLOAD_FORM)
async def create_import(request: Request, actor: ApiActor, session: SessionDep,
                        settings: SettingsDep, response: Response) -> ImportOut:
    """Dry run by default (200); `dry_run=false` imports in one transaction (201).

    `mapping` (CSV only) is a JSON object {field: column header}, e.g.
    `{"number": "N° facture", "debtor_name": "Client", "amount_ttc": "Montant TTC"}`;
    without it the columns are guessed from the headers."""
    actor.require_write()  # the bearer (a dependency) and the role before the body is read
    form = await _read_form(request, session, settings)
    batch, dry_run = await run_in_threadpool(_create, session, actor, settings, form)
    response.status_code = 200 if dry_run else 201
    return ImportOut.of(batch)


async def _read_form(request: Request, session: Session, settings: Settings) -> UploadForm:
    """The file streamed to the store's staging area (app/web/uploads.py), its reading stopped
    at the size limit; a body that is no multipart form carries no file, only fields (the
    answer then names what is missing, as it did)."""
    if not is_multipart(request):
        return await form_fields(request)
    return await read_api_upload(request, session, FileStore(settings.files_dir),
                                 settings.max_upload_bytes, stop_at_refusal=True)


def _create(session: Session, actor: Actor, settings: Settings, form: UploadForm
            ) -> tuple[ImportBatch, bool]:
    """The import of the streamed form, checked as FastAPI checked its `File()` and `Form()`
    parameters (same 422 answers); the staged file is discarded whenever it is refused."""
    try:
        item = form.last_file()
        if item is not None and item.staged is None:  # over the limit: the reading stopped
            raise imports.too_large(settings)
        fields = _fields(form, item)
        columns = _mapping(fields.mapping)
    except BaseException:
        form.discard()
        raise
    assert item is not None
    batch = store_import(session, actor, settings, item,
                         {"kind": fields.kind, "source": fields.source})
    imports.configure(session, actor, settings, batch, mapping=columns or None,
                      term_days=fields.term_days)
    run = imports.check if fields.dry_run else imports.apply
    run(session, actor, settings, batch)
    return imports.get(session, actor, batch.id), fields.dry_run  # type: ignore[arg-type]


def _fields(form: UploadForm, item: UploadedFile | None) -> ImportForm:
    """The form's fields; RequestValidationError as FastAPI's for a missing or bad one (an
    empty field counts as missing, as with `Form()`)."""
    errors: list[dict[str, Any]] = []
    if item is None:
        errors.append({"type": "missing", "loc": ("body", "file"), "msg": "Field required",
                       "input": None})
    sent = {name: value for name, value in form.data().items() if value != ""}
    try:
        fields = ImportForm.model_validate(sent)
    except ValidationError as exc:
        errors += [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
    if errors:
        raise RequestValidationError(errors)
    return fields


def _mapping(text: str) -> dict[str, str]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValidationFailed({"mapping": "Correspondance invalide : un objet JSON "
                                           '{"champ": "en-tête de colonne"} est attendu.'})
    return value


@router.get("/imports", response_model=list[ImportOut])
def list_imports(actor: ApiActor, session: SessionDep) -> list[ImportOut]:
    return [ImportOut.of(batch) for batch, _ in imports.history(session, actor)]


@router.get("/imports/{batch_id}", response_model=ImportOut, responses=RESPONSES)
def get_import(batch_id: int, actor: ApiActor, session: SessionDep) -> ImportOut:
    return ImportOut.of(imports.get(session, actor, batch_id))

