"""Factur-X / ZUGFeRD invoices embedded in an exhibit: offer to create or complete the
invoice record, after checking that the invoice's buyer is the debtor."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from app.errors import DomainError
from app.models import Debtor, Evidence, EvidenceInvoice, Invoice
from app.services import audit, invoices
from app.services import evidence as exhibits
from app.services.context import Actor


@dataclass
class FacturxOffer:
    """What the embedded Factur-X invoice would create or complete, and whether it may."""

    data: dict[str, Any]
    action: str  # create | complete | up_to_date | refused
    problem: str = ""
    invoice: Invoice | None = None
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)

    def amount(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        return Decimal(value) if value is not None else None

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        return date.fromisoformat(value) if value else None


INVOICE_FIELDS = {"issue_date": "issue_date", "due_date": "due_date", "amount_ht": "total_ht",
                  "amount_tva": "total_tva", "amount_ttc": "total_ttc"}


def offer(session: Session, actor: Actor, evidence: Evidence) -> FacturxOffer | None:
    """What the exhibit's Factur-X data would do to the invoices, or None without one."""
    data = evidence.meta.get("facturx")
    if not data or evidence.withdrawn_at is not None:
        return None
    debtor = session.get(Debtor, evidence.debtor_id)
    assert debtor is not None
    problem = buyer_problem(debtor, data.get("buyer") or {})
    if not problem and not data.get("number"):
        problem = "la facture Factur-X n'indique pas de numéro."
    existing = session.exec(select(Invoice).where(Invoice.creditor_id == actor.creditor_id,
                                                  Invoice.number == data.get("number"))).first()
    if not problem and existing is not None and existing.debtor_id != debtor.id:
        problem = f"la facture n° {existing.number} existe déjà chez un autre débiteur."
    if problem:
        return FacturxOffer(data, "refused", problem, existing)
    if existing is None:
        return FacturxOffer(data, "create")
    changes = {}
    for name, key in INVOICE_FIELDS.items():
        new = data.get(key)
        old = getattr(existing, name)
        if new is not None and str(old) != str(new):
            changes[name] = (str(old), str(new))
    return FacturxOffer(data, "complete" if changes else "up_to_date", invoice=existing,
                        changes=changes)


def buyer_problem(debtor: Debtor, buyer: Mapping[str, str]) -> str:
    """Empty when the invoice's buyer is this debtor; else why not, in French."""
    siren, name = buyer.get("siren", ""), buyer.get("name", "")
    if siren and debtor.siren:
        if siren == debtor.siren:
            return ""
        return (f"l'acheteur de la facture ({name or 'sans nom'}, SIREN {siren}) n'est pas "
                f"{debtor.legal_name} (SIREN {debtor.siren}).")
    if name and _same_name(name, debtor.legal_name):
        return ""
    if not name and not siren:
        return "la facture Factur-X ne nomme pas son acheteur."
    return f"l'acheteur de la facture ({name or siren}) n'est pas {debtor.legal_name}."


LEGAL_FORMS = {"sa", "sas", "sasu", "sarl", "eurl", "sci", "snc", "scop", "ei", "eirl", "selarl"}


def _same_name(a: str, b: str) -> bool:
    """Same company name, ignoring case, accents, punctuation and the legal form."""
    def norm(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
        plain = re.sub(r"(?<=\b[a-z])\.", "", plain)  # B.T.P. -> BTP
        words = [w for w in re.split(r"[^a-z0-9]+", plain) if w and w not in LEGAL_FORMS]
        return "".join(words)
    return bool(norm(a)) and norm(a) == norm(b)


def apply(session: Session, actor: Actor, evidence: Evidence) -> Invoice:
    """Create or complete the invoice from the Factur-X data and link the exhibit to it."""
    actor.require_write()
    found = offer(session, actor, evidence)
    if found is None:
        raise DomainError("Cette pièce ne contient pas de facture Factur-X.")
    if found.action == "refused":
        raise DomainError("Facture non reprise : " + found.problem)
    debtor = session.get(Debtor, evidence.debtor_id)
    assert debtor is not None
    data = found.data
    if found.invoice is None:
        if not data.get("due_date"):
            raise DomainError("La facture Factur-X n'indique pas d'échéance : créez la facture "
                              "à la main avec sa date d'échéance.")
        invoice = invoices.create(session, actor, debtor, {
            "number": data["number"], "issue_date": data.get("issue_date") or "",
            "due_date": data["due_date"], "amount_ht": data.get("total_ht") or "",
            "amount_tva": data.get("total_tva") or "", "amount_ttc": data.get("total_ttc") or "",
            "description": f"Reprise de la facture Factur-X « {evidence.original_name} »"})
    else:
        invoice = found.invoice
        if found.changes:
            current = {k: ("" if v is None else str(v))
                       for k, v in invoice.model_dump().items() if k in invoices.EDITABLE}
            current.update({name: new for name, (_old, new) in found.changes.items()})
            invoice = invoices.update(session, actor, invoice, current)
    links = exhibits.linked_invoices(session, [evidence.id])  # type: ignore[list-item]
    if invoice.id not in {i.id for i in links.get(evidence.id, [])}:  # type: ignore[arg-type]
        session.add(EvidenceInvoice(evidence_id=evidence.id, invoice_id=invoice.id))  # type: ignore[arg-type]
        audit.record(session, actor, action="update", obj=evidence, debtor_id=debtor.id,
                     summary=f"Pièce « {evidence.title or evidence.original_name} » liée à la "
                             f"facture {invoice.number} (Factur-X)",
                     changes={"invoices": [[], [invoice.number]]})
        session.commit()
    return invoice
