"""Generate, keep and send the letters and the requête of a debtor's file.

Every generated PDF is stored by its SHA-256 like an exhibit and recorded with the
parameters used; regenerating makes a new version, never overwrites. A mise en demeure is a
draft ("PROJET") until recorded as sent: then the final PDF is filed as an exhibit and the
step is created. Refusals and warnings follow LAW.md §4 and §10.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from app.documents.declaration import render_declaration
from app.documents.letters import claimed_part, render_letter
from app.documents.model import LetterInput, RequeteInput
from app.documents.render import RenderedPdf
from app.documents.requete import render_requete
from app.errors import NotFound
from app.formatting import date_fr, eur
from app.law import territory
from app.law.calendar import department_from_postcode, holiday_calendar
from app.law.facts import CollectiveProceedingsFacts
from app.law.interest import Decompte
from app.law.notice import notice_deadline as estimate
from app.models import Court, Creditor, Debtor, GeneratedDocument, Step
from app.parsing import FormReader
from app.services import audit, courts, declarations
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.document_checks import assess
from app.services.document_inputs import (
    court_input,
    creditor_party,
    debtor_party,
    produced_pieces,
)
from app.storage import FileStore
from app.vocabulary import DOCUMENT_KINDS

LETTER_KINDS = ("relance_1", "relance_2", "relance_3", "mise_en_demeure")
DECLARATION = declarations.DECLARATION
SENDABLE_KINDS = (*LETTER_KINDS, DECLARATION)  # drafts until recorded as sent
GENERATED_KINDS = {
    **{k: DOCUMENT_KINDS[k] for k in LETTER_KINDS},
    "requete_injonction": DOCUMENT_KINDS["requete_injonction"],
    DECLARATION: DOCUMENT_KINDS[DECLARATION],
}
# C. com. L622-21: once collective proceedings are opened, the déclaration is the only paper.
COLLECTIVE_KINDS = {DECLARATION: DOCUMENT_KINDS[DECLARATION]}
DEADLINES = {"8": "8 jours", "15": "15 jours"}
CHANNELS = {"lrar": "Lettre recommandée avec AR", "lre": "Lettre recommandée électronique"}
EXHIBIT_LIMIT = 50 * 1024 * 1024


@dataclass(frozen=True)
class DocumentRequest:
    kind: str
    date: date
    deadline_days: int = 8
    channel: str = "lrar"
    court_id: int | None = None
    refer_if_opposed: bool = False
    security: str = ""  # déclaration de créance: nature of any privilege or security


@dataclass(frozen=True)
class Generated:
    document: GeneratedDocument
    warnings: tuple[str, ...]


def read_request(data: Mapping[str, Any]) -> DocumentRequest:
    r = FormReader(data)
    kind = r.choice("kind", GENERATED_KINDS, default="relance_1")
    day = r.date("date", label="La date du document")
    deadline = r.choice("deadline_days", DEADLINES, default="8")
    channel = r.choice("channel", CHANNELS, default="lrar")
    court_id = r.integer("court_id", minimum=1)
    security = r.text("security", max_length=500)
    r.check()
    assert day is not None
    return DocumentRequest(kind, day, int(deadline), channel, court_id, r.flag("refer_if_opposed"),
                           security)


def get(session: Session, actor: Actor, document_id: int) -> GeneratedDocument:
    document = session.get(GeneratedDocument, document_id)
    if document is None or document.creditor_id != actor.creditor_id:
        raise NotFound("Document")
    return document


OF_DEBTOR = (  # read by every debtor page: built once, the debtor's id bound at each run
    select(GeneratedDocument)
    .where(GeneratedDocument.debtor_id == bindparam("debtor_id"))
    .order_by(col(GeneratedDocument.created_at).desc(), col(GeneratedDocument.id).desc())
)


def of_debtor(session: Session, debtor: Debtor) -> list[GeneratedDocument]:
    return list(session.exec(OF_DEBTOR, params={"debtor_id": debtor.id}))


def content(store: FileStore, document: GeneratedDocument) -> bytes:
    return store.read(document.sha256)


def notice_deadline(debtor: Debtor, day: date, days: int) -> date:
    """The date the letter can give: N days from its receipt, estimated at 3 days of post, moved
    off a holiday of the debtor's own calendar (LAW.md §4, §8; CPC 641, 642)."""
    place = territory.territory(debtor.country, debtor.postal_code)
    department = territory.department(place) or department_from_postcode(debtor.postal_code)
    holidays = holiday_calendar(department, [day.year, day.year + 1])
    return estimate(sent=day, days=days, received=None, holidays=holidays).deadline


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60] or "debiteur"


def _next_version(session: Session, debtor: Debtor, kind: str) -> int:
    query = select(func.max(GeneratedDocument.version)).where(
        GeneratedDocument.debtor_id == debtor.id, GeneratedDocument.kind == kind
    )
    return (session.exec(query).one() or 0) + 1


def _reminders(session: Session, debtor: Debtor, before: date) -> int:
    query = (
        select(func.count())
        .select_from(Step)
        .where(Step.debtor_id == debtor.id, Step.kind == "reminder", Step.date <= before)
    )
    return int(session.exec(query).one())


def _letter(
    session: Session,
    debtor: Debtor,
    request: DocumentRequest,
    claimed: Decompte,
    draft: bool,
    reference: str = "",
) -> LetterInput:
    creditor = session.get(Creditor, debtor.creditor_id)
    assert creditor is not None
    notice = request.kind == "mise_en_demeure"
    return LetterInput(
        kind=request.kind,
        date=request.date,
        creditor=creditor_party(creditor),
        debtor=debtor_party(debtor),
        decompte=claimed,
        deadline=notice_deadline(debtor, request.date, request.deadline_days) if notice else None,
        deadline_days=request.deadline_days if notice else None,
        channel=request.channel,
        draft=draft,
        sent_reference=reference,
        notice_by_due_date=creditor.notice_by_due_date,  # C. civ. 1344 clause (LAW.md §2.3)
    )


def requete_input(
    session: Session, actor: Actor, debtor: Debtor, request: DocumentRequest, claimed: Decompte
) -> RequeteInput:
    creditor = session.get(Creditor, debtor.creditor_id)
    assert creditor is not None
    court = courts.get(session, actor, request.court_id) if request.court_id else None
    notices = session.exec(
        select(Step.date)
        .where(Step.debtor_id == debtor.id, Step.kind == "mise_en_demeure", Step.date <= request.date)
        .order_by(col(Step.date).desc())
    ).first()
    return RequeteInput(
        date=request.date,
        creditor=creditor_party(creditor),
        debtor=debtor_party(debtor),
        court=court_input(debtor, court),
        decompte=claimed,
        pieces=produced_pieces(session, debtor),  # kept from now on (LAW.md §5)
        refer_if_opposed=request.refer_if_opposed,
        notice_date=notices,
    )


def render_document(
    session: Session,
    actor: Actor,
    debtor: Debtor,
    request: DocumentRequest,
    claimed: Decompte,
    draft: bool,
    reference: str = "",
) -> RenderedPdf:
    if request.kind == DECLARATION:
        return render_declaration(declarations.declaration_input(
            session, debtor, request.date, claimed, request.security, request.channel, reference,
            draft))
    reminders = _reminders(session, debtor, request.date)
    if request.kind == "requete_injonction":
        return render_requete(requete_input(session, actor, debtor, request, claimed), reminders)
    return render_letter(_letter(session, debtor, request, claimed, draft, reference), reminders)


def _params(
    request: DocumentRequest, claimed: Decompte, debtor: Debtor, court: Court | None
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "kind": request.kind,
        "date": request.date.isoformat(),
        "invoices": [row.number for row in claimed.invoices],
        "principal": str(claimed.principal),
        "interest": str(claimed.interest),
        "indemnities": str(claimed.indemnities),
        "total": str(claimed.total),
    }
    if request.kind == "mise_en_demeure":
        params |= {
            "deadline_days": request.deadline_days,
            "channel": request.channel,
            "deadline": notice_deadline(debtor, request.date, request.deadline_days).isoformat(),
        }
    if request.kind == DECLARATION:
        params |= {"security": request.security, "channel": request.channel,
                   "opened_on": str(claimed.as_of)}  # declared_decompte: at the opening
    if request.kind == "requete_injonction":
        params |= {
            "court_id": court.id if court else None,
            "court": court.name if court else "",
            "refer_if_opposed": request.refer_if_opposed,
        }
    return params


@dataclass(frozen=True)
class Checked:
    """A request that passed every check (LAW.md §4, §10, §11): what to render."""

    request: DocumentRequest
    court: Court | None
    claimed: Decompte
    warnings: tuple[str, ...]


def check(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any]) -> Checked:
    """Everything that refuses a document, before any rendering: ValidationFailed next to the
    field, DocumentRefused with every item missing."""
    actor.require_write()
    request = read_request(data)
    court = courts.get(session, actor, request.court_id) if request.court_id else None
    if request.kind == DECLARATION:
        claimed, warnings = declarations.assess(session, debtor, request.date)
    else:
        claimed = claimed_for(session, debtor, request)
        warnings = assess(session, debtor, request.kind, claimed, court, request.channel)
    return Checked(request, court, claimed, tuple(warnings))


def make(
    session: Session, actor: Actor, store: FileStore, debtor: Debtor, data: Mapping[str, Any]
) -> Generated:
    """Check, render, store and record a new version, not yet committed (the caller commits
    it with what else belongs to the same transaction, e.g. a background job's row)."""
    checked = check(session, actor, debtor, data)
    request, court, claimed, warnings = (checked.request, checked.court, checked.claimed,
                                         checked.warnings)
    rendered = render_document(session, actor, debtor, request, claimed, draft=True)
    params = _params(request, claimed, debtor, court) | {"warnings": list(warnings)}
    document = store_document(
        session,
        actor,
        store,
        debtor,
        request,
        rendered,
        params,
        status="draft" if request.kind in SENDABLE_KINDS else "final",
    )
    if court is not None:
        courts.remember(session, actor, debtor, court)
    return Generated(document, warnings)


def generate(
    session: Session, actor: Actor, store: FileStore, debtor: Debtor, data: Mapping[str, Any]
) -> Generated:
    """Render, check, store and record a new version, at once (the API, the reminder runs);
    DocumentRefused with the reason. The debtor page renders through a job instead
    (app/services/document_jobs.py)."""
    made = make(session, actor, store, debtor, data)
    session.commit()
    return made


def store_document(
    session: Session,
    actor: Actor,
    store: FileStore,
    debtor: Debtor,
    request: DocumentRequest,
    rendered: RenderedPdf,
    params: dict[str, Any],
    status: str,
) -> GeneratedDocument:
    version = _next_version(session, debtor, request.kind)
    sha = store.put(rendered.data)
    name = f"{request.kind}-{_slug(debtor.legal_name)}-{request.date.isoformat()}-v{version}.pdf"
    document = GeneratedDocument(
        creditor_id=actor.creditor_id,
        debtor_id=debtor.id,
        kind=request.kind,  # type: ignore[arg-type]
        version=version,
        document_date=request.date,
        params=params,
        sha256=sha,
        size=len(rendered.data),
        filename=name,
        pages=rendered.pages,
        status=status,
        created_by=actor.user_id,
    )
    session.add(document)
    session.flush()
    audit.record(
        session,
        actor,
        action="generate",
        obj=document,
        debtor_id=debtor.id,
        summary=f"Document généré : {DOCUMENT_KINDS[request.kind]} v{version} du "
        f"{date_fr(request.date)} ({eur(Decimal(params['total']))})",
        changes={"sha256": sha, **params},
    )
    return document


def request_of(document: GeneratedDocument) -> DocumentRequest:
    p = document.params
    return DocumentRequest(
        document.kind,
        document.document_date,
        int(p.get("deadline_days", 8)),
        p.get("channel", "lrar"),
        p.get("court_id"),
        bool(p.get("refer_if_opposed", False)),
        p.get("security", ""),
    )


def claimed_for(session: Session, debtor: Debtor, request: DocumentRequest) -> Decompte:
    """What the document claims: the overdue invoices at its date, or for a déclaration
    every sum still owed at the opening judgment (C. com. L622-25)."""
    if request.kind == DECLARATION:
        return declarations.declared_decompte(session, debtor)
    return claimed_part(debtor_decompte(session, debtor, request.date), request.date)


def total_of(document: GeneratedDocument) -> Decimal | None:
    """The sum the document claims, as recorded in its parameters."""
    total = document.params.get("total")
    return Decimal(total) if total else None


def cerfa_form(debtor: Debtor) -> dict[str, str]:
    """The official form that fits this debtor's court (LAW.md §6)."""
    kind = courts.court_type(debtor).kind
    key = "cerfa_12948" if kind in ("tribunal_judiciaire", "chambre_commerciale_tj") else "cerfa_12946"
    return {"key": key, "label": DOCUMENT_KINDS[key]}


def page_context(session: Session, actor: Actor, debtor: Debtor, today: date, *,
                 listed: list[GeneratedDocument], proposed_court: Court | None,
                 court_choices: Sequence[courts.CourtChoice],
                 collective: CollectiveProceedingsFacts) -> dict[str, Any]:
    """The debtor page's "Courriers et requête" section, from the debtor's documents
    (`of_debtor`), its proposed court (`courts.proposed`) and the creditor's courts, read once
    for the page; in collective proceedings (`collective`, the file's), the déclaration."""
    return {
        "documents": listed,
        "document_totals": {d.id: total_of(d) for d in listed},
        "courts": court_choices,
        "proposed_court": proposed_court,
        "court_kinds": courts.COURT_KINDS,
        "expected_court": courts.court_type(debtor),
        "document_kinds": COLLECTIVE_KINDS if collective.in_progress
        else {k: v for k, v in GENERATED_KINDS.items() if k != DECLARATION},
        "document_result": None,  # {"document": …, "warnings": […]} or {"error": "…"}
        "cerfa": cerfa_form(debtor),
    }
