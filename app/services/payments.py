"""Payments received from a debtor, on one invoice or unassigned (oldest due first)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app.errors import NotFound, ValidationFailed
from app.formatting import date_fr, eur
from app.law.decompte_types import Decompte
from app.models import Debtor, Invoice, Payment
from app.parsing import FormReader
from app.services import audit, balances
from app.services.context import Actor
from app.services.decompte import debtor_decompte
from app.services.reminders import promises
from app.vocabulary import PAYMENT_KINDS

FIELDS = ("invoice_id", "date", "amount", "reference", "kind", "excess")


def read_payment(session: Session, debtor: Debtor, data: Mapping[str, Any],
                 today: date | None = None) -> dict[str, Any]:
    """A payment's values from a form or the API; `today`, when given, refuses a date after it:
    the décompte counts a payment from its day (LAW.md §2.5 rule 5), so one dated ahead would
    count in no figure of today but in the stored balances (a transfer announced is a promise
    to pay)."""
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
    if today is not None and values["date"] is not None and values["date"] > today:
        r.error("date", f"Un paiement ne peut pas être daté après aujourd'hui ({date_fr(today)}) "
                        ": un virement annoncé se note comme promesse de paiement (section "
                        "Relances, appel « promesse de paiement »).")
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


# What to do with the part of a payment above the balance it settles.
EXCESS_CHOICES = {
    "trop_percu": "Trop-perçu à restituer au débiteur",
    "avoir": "Garder l'excédent en avoir pour le débiteur",
    "other_invoice": "Imputer l'excédent sur une autre facture",
}


@dataclass(frozen=True)
class Overpayment:
    """A payment above the balance of what it settles: announced before anything is saved."""

    amount: Decimal
    balance: Decimal
    excess: Decimal
    target: str  # "la facture F-1" or "l'encours"
    other_invoices: dict[str, str]  # the invoices the excess could settle instead


class OverpaymentToConfirm(ValidationFailed):
    """Nothing saved: the excess must be announced and its treatment chosen (`excess`)."""

    def __init__(self, over: Overpayment) -> None:
        super().__init__({"excess": f"Ce paiement dépasse de {eur(over.excess)} le solde de "
                                    f"{over.target} ({eur(over.balance)}) : indiquez que faire de "
                                    "l'excédent (trop-perçu, avoir ou autre facture)."})
        self.overpayment = over


def overpayment(session: Session, debtor: Debtor, values: Mapping[str, Any]) -> Overpayment | None:
    """The excess of a new payment over what it settles, or None."""
    invoice = session.get(Invoice, values["invoice_id"]) if values["invoice_id"] else None
    decompte = _decompte_on(session, debtor, values["date"])
    # what a payment settles: the accrued penalties, then the price (the 40 € are claimed
    # apart, never paid by imputation)
    owed = {row.number: row.principal + row.interest for row in decompte.invoices}
    balance = owed.get(invoice.number, invoice.balance) if invoice is not None \
        else decompte.principal + decompte.interest
    if values["amount"] <= balance:
        return None
    left = {row.number: row.principal for row in decompte.invoices}
    others = {str(inv.id): f"{inv.number} — reste {eur(left.get(inv.number, inv.balance))}"
              for inv in session.exec(select(Invoice).where(Invoice.debtor_id == debtor.id))
              if owed.get(inv.number, inv.balance) > 0 and (invoice is None or inv.id != invoice.id)}
    target = f"la facture {invoice.number}, pénalités comprises" if invoice is not None \
        else "l'encours du débiteur, pénalités comprises"
    return Overpayment(values["amount"], balance, values["amount"] - balance, target,
                       others if invoice is not None else {})


def _decompte_on(session: Session, debtor: Debtor, day: date) -> Decompte:
    """The décompte on the payment's day, or on the last payment's if later: a payment settles
    the penalties accrued first, then the price (C. civ. 1343-1), after every payment already
    recorded."""
    latest = session.exec(select(func.max(Payment.date))
                          .where(Payment.debtor_id == debtor.id)).one()
    return debtor_decompte(session, debtor, max(day, latest or day))


def create(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any],
           today: date | None = None) -> Payment:
    """Record a payment; one above its balance needs `excess` (EXCESS_CHOICES) to be saved;
    none dated after `today` (`read_payment`)."""
    actor.require_write()
    values = read_payment(session, debtor, data, today)
    over = overpayment(session, debtor, values)
    choice = str(data.get("excess", ""))
    if over is not None and choice not in EXCESS_CHOICES:
        raise OverpaymentToConfirm(over)
    if over is not None and choice == "other_invoice":
        other = str(data.get("excess_invoice_id", ""))
        if other not in over.other_invoices:
            raise OverpaymentToConfirm(over)
        payment = _save(session, actor, debtor, {**values, "amount": over.balance})
        _save(session, actor, debtor, {**values, "amount": over.excess, "invoice_id": int(other)})
    else:
        if over is not None:
            note = {"trop_percu": "trop-perçu", "avoir": "excédent en avoir"}[choice]
            values["reference"] = f"{values['reference']} ({note} : {eur(over.excess)})".strip()
            values["excess"] = choice  # kept aside: the décompte imputes none of it elsewhere
        payment = _save(session, actor, debtor, values)
    session.commit()
    return payment


def _save(session: Session, actor: Actor, debtor: Debtor, values: dict[str, Any]) -> Payment:
    payment = Payment(creditor_id=actor.creditor_id, debtor_id=debtor.id, **values)  # type: ignore[arg-type]
    session.add(payment)
    session.flush()
    balances.refresh(session, debtor)
    promises.after_payment(session, debtor)
    audit.record(session, actor, action="create", obj=payment, debtor_id=debtor.id,
                 summary=f"Paiement de {eur(payment.amount)} enregistré",
                 changes=audit.snapshot(payment, FIELDS))
    return payment


def update(session: Session, actor: Actor, payment: Payment, data: Mapping[str, Any],
           today: date | None = None) -> Payment:
    actor.require_write()
    debtor = session.get(Debtor, payment.debtor_id)
    assert debtor is not None
    values = read_payment(session, debtor, data, today)
    _refuse_excess_on_edit(session, debtor, payment, values)
    values.update(_excess_after_edit(session, payment, values))
    audit.apply_changes(session, actor, payment, values, FIELDS,
                        summary="Paiement modifié", debtor_id=debtor.id)
    balances.refresh(session, debtor)
    promises.after_payment(session, debtor)
    session.commit()
    return payment


def _refuse_excess_on_edit(session: Session, debtor: Debtor, payment: Payment,
                           values: Mapping[str, Any]) -> None:
    """An edit may not raise a payment above what it settles (the payment itself counted);
    an excess is recorded as a new payment, where its treatment is chosen."""
    over = overpayment(session, debtor, values)
    if over is None:
        return
    same_target = values["invoice_id"] is None or payment.invoice_id == values["invoice_id"]
    counted = payment.amount if same_target else Decimal("0")
    if over.excess <= counted:
        return
    balance = over.balance + counted
    raise ValidationFailed({"amount": (
        f"Ce paiement dépasse de {eur(over.amount - balance)} le solde de {over.target} "
        f"({eur(balance)}, ce paiement compris) : enregistrez l'excédent comme un nouveau "
        "paiement, où vous choisirez d'en faire un trop-perçu, un avoir ou le paiement d'une "
        "autre facture.")})


# The note `create` adds to the reference of a payment whose excess is kept aside
_EXCESS_NOTE = re.compile(r"\s*\((?:trop-perçu|excédent en avoir) : [^)]*\)")


def _excess_after_edit(session: Session, payment: Payment, values: Mapping[str, Any]
                       ) -> dict[str, Any]:
    """What becomes of an excess kept aside (`Payment.excess`) when its payment is edited:
    kept while the amount and the invoice stay; else forgotten with its note, the payment no
    longer exceeding its invoice's price. One that still does is refused: the creditor chooses
    again what to do with the excess by recording the payment anew."""
    if not payment.excess or (values["amount"], values["invoice_id"]) == \
            (payment.amount, payment.invoice_id):
        return {}
    invoice = session.get(Invoice, values["invoice_id"]) if values["invoice_id"] else None
    if invoice is not None:
        others = sum((p.amount for p in of_invoice(session, invoice) if p.id != payment.id),
                     Decimal("0"))
        if others + values["amount"] > invoice.amount_ttc:
            raise ValidationFailed({"amount": (
                f"Ce paiement dépasserait encore le prix de la facture {invoice.number} : "
                "supprimez-le et enregistrez-le de nouveau, où vous choisirez que faire de "
                "l'excédent (trop-perçu, avoir ou autre facture).")})
    return {"excess": "", "reference": _EXCESS_NOTE.sub("", values["reference"]).strip()}


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
    promises.after_payment(session, debtor)
    session.commit()
