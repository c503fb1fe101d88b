"""Recording a letter as sent, and offering a reminder as a ready-to-send e-mail.

Recording a letter as sent (date, recommandé number) renders the final PDF without the
"PROJET" mark at the letter's own date and makes it the file of that same version (no new
version: sending is recorded once), files it as an exhibit and creates the step; the draft's
bytes stay in the store, named in the version's parameters. If the file changed since the
draft (a payment, an invoice), the totals differ and the user must generate a new draft
first: what is filed is what was shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from app.documents.eml import build_eml
from app.documents.owed import relance_subject
from app.documents.render import RenderedPdf
from app.errors import DomainError
from app.formatting import date_fr, eur
from app.models import Creditor, Debtor, GeneratedDocument, Step, StepEvidence
from app.parsing import FormReader
from app.services import audit, balances, evidence
from app.services.context import Actor
from app.services.document_checks import postal_refusal, refuse_if_collective
from app.services.documents import (
    EXHIBIT_LIMIT,
    LETTER_KINDS,
    SENDABLE_KINDS,
    claimed_for,
    content,
    render_document,
    request_of,
)
from app.storage import FileStore

EXHIBIT_KINDS = {"mise_en_demeure": "mise_en_demeure_copy", "declaration_creance": "other"}
# The step a sent document records; a déclaration interrupts prescription (L622-25-1).
STEP_KINDS_SENT = {"mise_en_demeure": "mise_en_demeure", "declaration_creance": "claim_declaration"}
STEP_CHANNELS = {"lrar": "lrar", "lre": "lre", "letter": "letter", "email": "email"}
POSTAL_CHANNELS = {"letter", "lrar"}
SENT_CHANNELS = {"letter": "Courrier simple", "email": "E-mail", "lrar": "LRAR", "lre": "LRE"}


def _read_sent(document: GeneratedDocument, data: Mapping[str, Any]) -> tuple[date, str, str]:
    r = FormReader(data)
    sent_on = r.date("sent_on", label="La date d'envoi")
    notice = document.kind == "mise_en_demeure"
    reference = r.text("reference", required=notice, max_length=120, label="Le numéro du recommandé")
    default = document.params.get("channel", "lrar") if notice else "letter"
    channel = r.choice("channel", SENT_CHANNELS, default=default)
    if sent_on and sent_on < document.document_date:
        r.error("sent_on", "L'envoi ne peut pas précéder la date de la lettre.")
    r.check()
    assert sent_on is not None
    return sent_on, reference, channel


def _step(actor: Actor, document: GeneratedDocument, sent_on: date, reference: str, channel: str) -> Step:
    notice = document.kind == "mise_en_demeure"
    reminder = document.kind.startswith("relance_")
    return Step(
        creditor_id=actor.creditor_id,
        debtor_id=document.debtor_id,
        kind=STEP_KINDS_SENT.get(document.kind, "reminder"),
        date=sent_on,
        channel=STEP_CHANNELS[channel],
        level=int(document.kind[-1]) if reminder else None,
        reference=reference,
        deadline_days=document.params.get("deadline_days") if notice else None,
        notes=f"{document.filename} (document n° {document.id})",
    )


def record_sent(
    session: Session, actor: Actor, store: FileStore, document: GeneratedDocument, data: Mapping[str, Any]
) -> GeneratedDocument:
    """Final PDF (no PROJET) on that version + exhibit + step, in one transaction."""
    actor.require_write()
    if document.kind not in SENDABLE_KINDS:
        raise DomainError("Seules les relances, la mise en demeure et la déclaration de créance "
                          "s'enregistrent comme envoyées.")
    if document.status != "draft":
        raise DomainError("Ce document est déjà enregistré comme envoyé.")
    sent_on, reference, channel = _read_sent(document, data)
    debtor = session.get(Debtor, document.debtor_id)
    assert debtor is not None
    if document.kind in LETTER_KINDS:
        refuse_if_collective(session, debtor)  # a draft made before the opening judgment stays unsent
    if (document.kind in LETTER_KINDS and channel in POSTAL_CHANNELS
            and (refused := postal_refusal(session, debtor, document.kind))):
        raise refused  # LAW.md §11: no letter by post without the debtor's postal address
    request = request_of(document)
    claimed = claimed_for(session, debtor, request)
    if str(claimed.total) != document.params.get("total"):
        raise DomainError(
            f"Le dossier a changé depuis ce projet (total {eur(claimed.total)} au lieu de "
            f"{eur(Decimal(document.params.get('total') or '0'))}) : générez un nouveau projet avant l'envoi."
        )
    rendered = render_document(session, actor, debtor, request, claimed, draft=False, reference=reference)
    final = _mark_sent(store, document, rendered, sent_on, reference)
    step = _step(actor, document, sent_on, reference, channel)
    session.add(step)
    session.flush()
    balances.after_step(session, step.kind, debtor.id)
    final.step_id = step.id
    session.add(final)
    audit.record(
        session,
        actor,
        action="create",
        obj=step,
        debtor_id=debtor.id,
        summary=f"Envoi enregistré : {final.filename} le {date_fr(sent_on)}"
        f"{' (n° ' + reference + ')' if reference else ''}",
    )
    exhibit = evidence.add_bytes(
        session,
        actor,
        store,
        debtor,
        rendered.data,
        final.filename,
        EXHIBIT_LIMIT,
        data={
            "kind": EXHIBIT_KINDS.get(document.kind, "reminder_copy"),
            "title": _exhibit_title(document, sent_on, reference),
            "document_date": request.date.isoformat(),
            "invoices": ",".join(document.params.get("invoices", [])),
        },
    )
    session.add(StepEvidence(step_id=step.id, evidence_id=exhibit.id))  # type: ignore[arg-type]
    session.commit()
    return final


def _mark_sent(store: FileStore, document: GeneratedDocument, rendered: RenderedPdf,
               sent_on: date, reference: str) -> GeneratedDocument:
    """That version becomes the sent letter (its final PDF, without PROJET): no new version.
    The draft's bytes stay in the store, named in the parameters."""
    document.params = {**document.params, "draft_sha256": document.sha256,
                       "sent_on": sent_on.isoformat(), "reference": reference}
    document.sha256 = store.put(rendered.data)
    document.size, document.pages = len(rendered.data), rendered.pages
    document.status, document.sent_on, document.sent_reference = "sent", sent_on, reference
    return document


def _exhibit_title(document: GeneratedDocument, sent_on: date, reference: str) -> str:
    if document.kind == "mise_en_demeure":
        return (
            f"Mise en demeure du {date_fr(document.document_date)} (envoyée le "
            f"{date_fr(sent_on)}{', n° ' + reference if reference else ''})"
        )
    if document.kind == "declaration_creance":
        return (
            f"Déclaration de créance du {date_fr(document.document_date)} (envoyée le "
            f"{date_fr(sent_on)}{', n° ' + reference if reference else ''})"
        )
    return f"Relance n° {document.kind[-1]} du {date_fr(document.document_date)}"


def as_email(session: Session, store: FileStore, document: GeneratedDocument) -> bytes:
    """A reminder as an .eml (RFC 5322) addressed to the debtor, the PDF attached."""
    if not document.kind.startswith("relance_"):
        raise DomainError(
            "Seules les relances se téléchargent en e-mail ; la mise en demeure "
            "part en recommandé (LRAR ou LRE)."
        )
    debtor = session.get(Debtor, document.debtor_id)
    creditor = session.get(Creditor, document.creditor_id)
    assert debtor is not None and creditor is not None
    refuse_if_collective(session, debtor)
    if not debtor.email:
        raise DomainError(f"{debtor.legal_name} n'a pas d'adresse e-mail : renseignez-la dans "
                          "sa fiche, ou envoyez la relance par courrier.")
    level = int(document.kind[-1])
    total = document.params.get("total", "")
    invoices = document.params.get("invoices", [])
    body = (
        "Madame, Monsieur,\n\n"
        f"Veuillez trouver ci-joint notre courrier du {date_fr(document.document_date)} "
        f"concernant {'les factures' if len(invoices) > 1 else 'la facture'} "
        f"n° {', '.join(invoices)}, pour un total de "
        f"{eur(Decimal(total or '0'))} à ce jour.\n\n"
        "Nous vous remercions de votre règlement.\n\n"
        f"Cordialement,\n{creditor.representative or creditor.legal_name}\n{creditor.legal_name}\n"
    )
    domain = creditor.contact_email.partition("@")[2] or "contentieux.invalid"
    return build_eml(
        sender=(creditor.legal_name, creditor.contact_email),
        recipient=(debtor.contact_name or debtor.legal_name, debtor.email),
        subject=f"{relance_subject(level, len(invoices)).capitalize()} — {creditor.legal_name}",
        body=body,
        pdf=content(store, document),
        filename=document.filename,
        day=document.document_date,
        message_id=f"<document-{document.id}-v{document.version}@{domain}>",
    )
