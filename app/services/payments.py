"""Payments received from a debtor, on one invoice or unassigned (oldest due first)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from app.errors import NotFound
from app.formatting import eur
from app.models import Debtor, Invoice, Payment
from app.parsing import FormReader
from app.services import audit, balances
from app.services.context import Actor
from app.vocabulary import PAYMENT_KINDS

FIELDS = ("invoice_id", "date", "amount", "reference", "kind")


def read_payment(session: Session, debtor: Debtor, data: Mapping[str, Any]) -> dict[str, Any]:
    r = FormReader(data)
    invoice_id = r.integer("invoice_id", minimum=1)
    values = {
        "date": r.date("date", label="Date du paiement"),
        "amount": r.money("amount"),
        "reference": r.text("reference", max_length=120),
        "invoice_id": invoice_id,
        "kind": r.choice("kind", PAYMENT_KINDS, default="payment"),
    }
    if values["amount"] is not None and values["amount"] <= 0:
        r.error("amount", "Le montant du paiement doit être positif.")
    if invoice_id is not None:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None or invoice.debtor_id != debtor.id:
            r.error("invoice_id", "Cette facture n'appartient pas à ce débiteur.")
    r.check()
    return values


def get(session: Session, actor: Actor, payment_id: int) -> Payment:
    payment = session.get(Payment, payment_id)
    if payment is None or payment.creditor_id != actor.creditor_id:
        raise NotFound("Paiement")
    return payment


def of_debtor(session: Session, debtor: Debtor) -> list[Payment]:
    return list(session.exec(select(Payment).where(Payment.debtor_id == debtor.id)
                             .order_by(Payment.date, Payment.id)))  # type: ignore[arg-type]


def create(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any]) -> Payment:
    actor.require_write()
    payment = Payment(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                      **read_payment(session, debtor, data))
    session.add(payment)
    session.flush()
    balances.refresh(session, debtor)
    audit.record(session, actor, action="create", obj=payment, debtor_id=debtor.id,
                 summary=f"Paiement de {eur(payment.amount)} enregistré",
                 changes=audit.snapshot(payment, FIELDS))
    session.commit()
    return payment


def update(session: Session, actor: Actor, payment: Payment, data: Mapping[str, Any]) -> Payment:
    actor.require_write()
    debtor = session.get(Debtor, payment.debtor_id)
    assert debtor is not None
    audit.apply_changes(session, actor, payment, read_payment(session, debtor, data), FIELDS,
                        summary="Paiement modifié", debtor_id=debtor.id)
    balances.refresh(session, debtor)
    session.commit()
    return payment


def of_invoice(session: Session, invoice: Invoice) -> list[Payment]:
    return list(session.exec(select(Payment).where(Payment.invoice_id == invoice.id)
                             .order_by(Payment.date, Payment.id)))  # type: ignore[arg-type]


def delete(session: Session, actor: Actor, payment: Payment) -> None:
    actor.require_write()
    debtor = session.get(Debtor, payment.debtor_id)
    assert debtor is not None
    audit.record(session, actor, action="delete", obj=payment, debtor_id=debtor.id,
                 summary=f"Paiement de {eur(payment.amount)} supprimé",
                 changes=audit.snapshot(payment, FIELDS))
    session.delete(payment)
    session.flush()
    balances.refresh(session, debtor)
    session.commit()
