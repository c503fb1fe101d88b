"""Keeping a pièce's text (EvidenceText) and the suggestions read from it (Evidence.suggested_*).

The suggestions are only offered: the pièce's kind, date and invoice links stay as they are
until a person accepts them.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from app.evidence.suggest import suggest
from app.models import Evidence, EvidenceText, Invoice
from app.models.types import utcnow
from app.services.evidence_text.reading import EML

SOURCES = ("pdf", "ocr", "email", "facturx")
MAX_CHARACTERS = 2_000_000  # a 5,000-page PDF's text; beyond, the rest is not kept
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # NUL… (PostgreSQL refuses NUL); \f kept


def clean(text: str) -> str:
    lines = (line.rstrip() for line in _CONTROL.sub(" ", text).splitlines())
    return "\n".join(lines).strip()[:MAX_CHARACTERS]


def invoice_numbers(session: Session, evidence: Evidence) -> list[str]:
    return list(session.exec(select(Invoice.number).where(Invoice.debtor_id == evidence.debtor_id)))


def store_text(session: Session, evidence: Evidence, text: str, source: str, pages: int
               ) -> EvidenceText:
    """Keep the pièce's text (replacing any earlier one), mark it read, and set the
    suggestions it gives. The caller commits."""
    if source not in SOURCES:
        raise ValueError(f"unknown text source: {source!r}")
    text = clean(text)
    row = session.get(EvidenceText, evidence.id)
    if row is None:
        row = EvidenceText(evidence_id=evidence.id, creditor_id=evidence.creditor_id,  # type: ignore[arg-type]
                           debtor_id=evidence.debtor_id)
    row.text, row.pages, row.updated_at = text, pages, utcnow()
    found = suggest(text, invoice_numbers(session, evidence))
    evidence.text_status, evidence.text_source = "done", source
    # An e-mail stays an exchange of e-mails, whatever it speaks of ("Relance facture …"):
    # its attachments are pièces of their own, each with its own nature.
    evidence.suggested_kind = "email" if evidence.media_type == EML else found.kind
    evidence.suggested_date = found.date
    evidence.suggested_invoices = found.invoices
    evidence.suggested_amounts = found.amounts
    evidence.meta = {k: v for k, v in evidence.meta.items() if k != "text_error"}
    session.add(row)
    session.add(evidence)
    session.flush()
    return row
