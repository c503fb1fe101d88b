"""Official Cerfa requêtes: install the user's official PDF, fill it, attach the annexes.

The official PDF is looked for in `<data folder>/forms/<creditor id>/<key>/official.pdf`
(uploaded by one of the creditor's owners from a debtor page: it serves that creditor only,
never another one's requêtes), then in `forms/<key>/` (dropped there by an administrator, for
every creditor). The form is chosen by the court type (12948*06 tribunal judiciaire, 12946*02
tribunal de commerce / TAE).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.documents import cerfa
from app.documents.letters import claimed_part
from app.documents.render import RenderedPdf, page_count
from app.documents.requete import render_bordereau_and_decompte
from app.errors import DomainError
from app.law.interest import Decompte
from app.models import Court, Debtor
from app.services import courts
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.document_checks import assess
from app.services.documents import (
    DocumentRequest,
    Generated,
    cerfa_form,
    read_request,
    requete_input,
    store_document,
)
from app.storage import FileStore

UPLOAD_NAME = "official.pdf"


def official_pdf(key: str, uploads_dir: Path, creditor_id: int) -> bytes | None:
    candidates = [uploaded(uploads_dir, creditor_id, key),
                  *sorted((cerfa.FORMS_DIR / key).glob("*.pdf"))]
    return next((path.read_bytes() for path in candidates if path.is_file()), None)


def uploaded(uploads_dir: Path, creditor_id: int, key: str) -> Path:
    """Where a creditor's own upload of form `key` is kept."""
    return uploads_dir / str(creditor_id) / key / UPLOAD_NAME


def install(actor: Actor, key: str, pdf: bytes, uploads_dir: Path) -> None:
    """Check the uploaded official PDF against the mapping, then keep it for the actor's
    creditor (atomic write)."""
    actor.require_owner()
    form = _load(key)
    try:
        cerfa.check_mapping(form, cerfa.form_fields(pdf))
    except cerfa.CerfaError as exc:
        raise DomainError(str(exc)) from exc
    folder = uploaded(uploads_dir, actor.creditor_id, key).parent
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / (UPLOAD_NAME + ".tmp")
    temporary.write_bytes(pdf)
    os.replace(temporary, folder / UPLOAD_NAME)


def _load(key: str) -> cerfa.FormSpec:
    try:
        return cerfa.load_form(key)
    except cerfa.CerfaError as exc:
        raise DomainError(str(exc)) from exc


@dataclass(frozen=True)
class CheckedCerfa:
    request: DocumentRequest
    key: str
    form: cerfa.FormSpec
    court: Court | None
    claimed: Decompte
    warnings: tuple[str, ...]
    blank: bytes


def check_cerfa(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any],
                uploads_dir: Path) -> CheckedCerfa:
    """Everything that refuses the Cerfa before it is filled: the requête's checks (LAW.md
    §11) first, then the official blank form, which must be there."""
    actor.require_write()
    request = read_request({**data, "kind": "requete_injonction"})
    key = cerfa_form(debtor)["key"]
    form = _load(key)
    court = courts.get(session, actor, request.court_id) if request.court_id else None
    claimed = claimed_part(debtor_decompte(session, debtor, request.date), request.date)
    warnings = assess(session, debtor, "requete_injonction", claimed, court)  # LAW.md §11 first
    blank = official_pdf(key, uploads_dir, actor.creditor_id)
    if blank is None:
        raise DomainError(
            f"Cerfa {form.number} absent : déposez le PDF officiel remplissable "
            f"(service-public.fr) dans forms/{key}/ ou téléversez-le."
        )
    return CheckedCerfa(request, key, form, court, claimed, tuple(warnings), blank)


def make_cerfa(
    session: Session,
    actor: Actor,
    store: FileStore,
    debtor: Debtor,
    data: Mapping[str, Any],
    uploads_dir: Path,
) -> Generated:
    """The official form filled, followed by the bordereau and the décompte; recorded, not
    yet committed."""
    c = check_cerfa(session, actor, debtor, data, uploads_dir)
    request, claimed = c.request, c.claimed
    req = requete_input(session, actor, debtor, request, claimed)
    try:
        filled = cerfa.fill(c.form, c.blank, cerfa.cerfa_values(req))
    except cerfa.CerfaError as exc:
        raise DomainError(str(exc)) from exc
    annexes = render_bordereau_and_decompte(req)
    combined = cerfa.append_pdf(filled, annexes.data)
    rendered = RenderedPdf(combined, page_count(combined), annexes.warnings)
    params = {
        "kind": c.key,
        "date": request.date.isoformat(),
        "form": c.form.number,
        "invoices": [row.number for row in claimed.invoices],
        "total": str(claimed.total),
        "principal": str(claimed.principal),
        "interest": str(claimed.interest),
        "indemnities": str(claimed.indemnities),
        "warnings": list(c.warnings),
    }
    document = store_document(
        session, actor, store, debtor, replace(request, kind=c.key), rendered, params,
        status="final"
    )
    if c.court is not None:
        courts.remember(session, actor, debtor, c.court)
    return Generated(document, c.warnings)


def generate_cerfa(
    session: Session,
    actor: Actor,
    store: FileStore,
    debtor: Debtor,
    data: Mapping[str, Any],
    uploads_dir: Path,
) -> Generated:
    """`make_cerfa`, committed at once (the API)."""
    made = make_cerfa(session, actor, store, debtor, data, uploads_dir)
    session.commit()
    return made
