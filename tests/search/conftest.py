"""Search tests: pièces written straight into the tables, with their text (as the OCR
helper would leave it) and their suggestions: no file, no OCR run."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from app.models import Debtor, Evidence, EvidenceInvoice, EvidenceText, Invoice
from app.services.context import Actor
from tests.factories import make_debtor, make_invoice


def piece(session: Session, actor: Actor, debtor: Debtor, text: str = "", *,
          invoices: tuple[Invoice, ...] = (), **fields: Any) -> Evidence:
    """One pièce of `debtor`, its text stored beside it (text_status done)."""
    name = fields.pop("original_name", "scan.pdf")
    evidence = Evidence(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                        sha256=hashlib.sha256(f"{debtor.id}{name}{text}".encode()).hexdigest(),
                        size=1000, media_type="application/pdf", original_name=name,
                        text_status="done" if text else "none", **fields)
    session.add(evidence)
    session.flush()
    if text:
        session.add(EvidenceText(evidence_id=evidence.id, creditor_id=actor.creditor_id,  # type: ignore[arg-type]
                                 debtor_id=debtor.id, text=text, pages=1))  # type: ignore[arg-type]
    for invoice in invoices:
        session.add(EvidenceInvoice(evidence_id=evidence.id, invoice_id=invoice.id))  # type: ignore[arg-type]
    session.commit()
    return evidence


DELIVERY = ("BON DE LIVRAISON N° BL-2026-77\nLivré le 12/03/2026 : 14 fenêtres PVC.\n"
            "Facture F-2026-140 à suivre. Reçu en bon état, facturé selon devis.")


@pytest.fixture
def durand(session: Session, owner: Actor) -> Debtor:
    return make_debtor(session, owner)


@pytest.fixture
def f140(session: Session, owner: Actor, durand: Debtor) -> Invoice:
    return make_invoice(session, owner, durand, number="F-2026-140", issue_date="2026-03-12",
                        due_date="2026-04-11")


@pytest.fixture
def delivery(session: Session, owner: Actor, durand: Debtor) -> Evidence:
    return piece(session, owner, durand, DELIVERY, original_name="IMG_2041.jpg",
                 suggested_kind="delivery_note", suggested_date=date(2026, 3, 12),
                 suggested_invoices=["F-2026-140"])
