"""POST /api/v1/imports: a FEC or a CSV / .xlsx export in, the (dry-run) report out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, File, Form, Response, UploadFile
from pydantic import BaseModel

from app.errors import ValidationFailed
from app.models import ImportBatch
from app.services import imports
from app.web.api.deps import ApiActor
from app.web.deps import SessionDep, SettingsDep

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


@router.post("/imports", response_model=ImportOut, responses=RESPONSES)
def create_import(actor: ApiActor, session: SessionDep, settings: SettingsDep,
                  response: Response, file: UploadFile = File(...), kind: str = Form(...),
                  mapping: str = Form(""), dry_run: bool = Form(True), source: str = Form(""),
                  term_days: str = Form("")) -> ImportOut:
    """Dry run by default (200); `dry_run=false` imports in one transaction (201).

    `mapping` (CSV only) is a JSON object {field: column header}, e.g.
    `{"number": "N° facture", "debtor_name": "Client", "amount_ttc": "Montant TTC"}`;
    without it the columns are guessed from the headers."""
    columns = _mapping(mapping)
    batch = imports.upload(session, actor, settings, file.file, file.filename or "", kind,
                           source)
    imports.configure(session, actor, settings, batch, mapping=columns or None,
                      term_days=term_days)
    run = imports.check if dry_run else imports.apply
    run(session, actor, settings, batch)
    response.status_code = 200 if dry_run else 201
    return ImportOut.of(imports.get(session, actor, batch.id))  # type: ignore[arg-type]


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

