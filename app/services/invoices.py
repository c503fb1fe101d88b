"""Invoices of a debtor: create, edit, read; balances refreshed on every change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from app.errors import DomainError, NotFound
from app.formatting import eur
from app.models import Debtor, EvidenceInvoice, Invoice, Payment
from app.parsing import FormReader
from app.services import audit, balances
from app.services.context import Actor

EDITABLE = ("number", "issue_date", "delivery_date", "due_date", "amount_ht", "amount_tva",
            "amount_ttc", "description", "contractual_rate", "goods_transport")


def read_invoice(session: Session, actor: Actor, data: Mapping[str, Any],
                 current: Invoice | None = None) -> dict[str, Any]:
    r = FormReader(data)
    values: dict[str, Any] = {
        "number": r.text("number", required=True, max_length=60, label="Le numéro"),
        "issue_date": r.date("issue_date", label="Date d'émission"),
        "delivery_date": r.date("delivery_date", required=False),
        "due_date": r.date("due_date", label="Date d'échéance"),
        "amount_ht": r.money("amount_ht"),
        "amount_tva": r.money("amount_tva"),
        "amount_ttc": r.money("amount_ttc"),
        "description": r.text("description", max_length=2000),
        "contractual_rate": r.rate("contractual_rate"),
        "goods_transport": r.flag("goods_transport"),  # C. com. L133-6
    }
    ht, tva, ttc = values["amount_ht"], values["amount_tva"], values["amount_ttc"]
    if None not in (ht, tva, ttc) and ht + tva != ttc:
        r.error("amount_ttc", f"TTC ≠ HT + TVA ({eur(ht + tva)} attendus).")
    if ttc is not None and ttc <= 0:
        r.error("amount_ttc", "Le montant TTC doit être positif.")
    issue, due = values["issue_date"], values["due_date"]
    if issue and due and due < issue:
        r.error("due_date", "L'échéance ne peut pas précéder la date d'émission.")
    if values["number"] and _number_taken(session, actor, values["number"], current):
        r.error("number", f"La facture n° {values['number']} existe déjà pour ce créancier.")
    r.check()
    return values


def _number_taken(session: Session, actor: Actor, number: str, current: Invoice | None) -> bool:
    other = session.exec(select(Invoice).where(Invoice.creditor_id == actor.creditor_id,
                                               Invoice.number == number)).first()
    return other is not None and (current is None or other.id != current.id)


def get(session: Session, actor: Actor, invoice_id: int) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.creditor_id != actor.creditor_id:
        raise NotFound("Facture")
    return invoice


def of_debtor(session: Session, debtor: Debtor) -> list[Invoice]:
    return list(session.exec(select(Invoice).where(Invoice.debtor_id == debtor.id)
                             .order_by(Invoice.due_date, Invoice.id)))  # type: ignore[arg-type]


def create(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any]) -> Invoice:
    actor.require_write()
    values = read_invoice(session, actor, data)
    invoice = Invoice(creditor_id=actor.creditor_id, debtor_id=debtor.id, **values)  # type: ignore[arg-type]
    session.add(invoice)
    session.flush()
    balances.refresh(session, debtor)
    audit.record(session, actor, action="create", obj=invoice, debtor_id=debtor.id,
                 summary=f"Facture {invoice.number} ajoutée",
                 changes=audit.snapshot(invoice, EDITABLE))
    session.commit()
    return invoice


def update(session: Session, actor: Actor, invoice: Invoice, data: Mapping[str, Any]) -> Invoice:
    actor.require_write()
    values = read_invoice(session, actor, data, current=invoice)
    audit.apply_changes(session, actor, invoice, values, EDITABLE, debtor_id=invoice.debtor_id,
                        summary=f"Facture {values['number']} modifiée")
    debtor = session.get(Debtor, invoice.debtor_id)
    assert debtor is not None
    balances.refresh(session, debtor)
    session.commit()
    return invoice


def delete(session: Session, actor: Actor, invoice: Invoice) -> None:
    """Only an invoice with no payment and no exhibit attached; the audit keeps its values."""
    actor.require_write()
    if session.exec(select(Payment).where(Payment.invoice_id == invoice.id)).first() or \
            session.exec(select(EvidenceInvoice).where(EvidenceInvoice.invoice_id == invoice.id)).first():
        raise DomainError(f"La facture {invoice.number} a des paiements ou des pièces : "
                          "elle ne peut pas être supprimée.")
    debtor = session.get(Debtor, invoice.debtor_id)
    assert debtor is not None
    audit.record(session, actor, action="delete", obj=invoice, debtor_id=debtor.id,
                 summary=f"Facture {invoice.number} supprimée",
                 changes=audit.snapshot(invoice, EDITABLE))
    session.delete(invoice)
    session.flush()
    balances.refresh(session, debtor)
    session.commit()
