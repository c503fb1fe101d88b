"""The OCR'd copy of a pièce: whether the claim file uses it, and which file the claim file
reads. The original stays as uploaded; the copy (a PDF with a text layer, searchable by the
lawyer) is a blob of its own, named by `Evidence.ocr_sha256`."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from app.errors import DomainError
from app.models import Evidence
from app.services import audit
from app.services.context import Actor
from app.storage import FileStore

PDF = "application/pdf"


def set_use_ocr_copy(session: Session, actor: Actor, evidence: Evidence, wanted: bool) -> None:
    """The user's choice: the claim file carries the OCR'd copy (True) or the original."""
    actor.require_write()
    if evidence.withdrawn_at is not None:
        raise DomainError("Cette pièce a été retirée du dossier : elle ne peut plus être modifiée.")
    if wanted and not evidence.ocr_sha256:
        raise DomainError("Cette pièce n'a pas de copie lue par OCR.")
    if evidence.use_ocr_copy == wanted:
        return
    evidence.use_ocr_copy = wanted
    session.add(evidence)
    audit.record(session, actor, action="update", obj=evidence, debtor_id=evidence.debtor_id,
                 summary=f"Pièce « {evidence.title or evidence.original_name} » : "
                         + ("copie OCR (texte sélectionnable) dans le dossier" if wanted
                            else "original dans le dossier"),
                 changes={"use_ocr_copy": [not wanted, wanted]})
    session.commit()


def claim_file_source(store: FileStore, evidence: Evidence) -> tuple[Path, str, str]:
    """(path, media type, sha256) of the file the claim file reproduces for this pièce: the
    OCR'd copy when the user chose it and it is there, else the original."""
    if evidence.use_ocr_copy and evidence.ocr_sha256 and store.exists(evidence.ocr_sha256):
        return store.path_for(evidence.ocr_sha256), PDF, evidence.ocr_sha256
    return store.path_for(evidence.sha256), evidence.media_type, evidence.sha256
