"""Promises to pay of a debtor: their status kept up to date, and the list the page shows.

`PaymentPromise.status` is what the reminder run reads (only "open" with a date still ahead
pauses the scenario; "cancelled", set by a person in `promise_edit`, is read by no rule). It
follows app/law/promises.py: refreshed with the debtor's alerts (`maintain`, every day and
after every change of the file) and at once when a payment is recorded, changed or deleted
(`after_payment`, which needs no "today": a payment can only keep a promise, or undo a kept
one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from app.law.promises import Paid, Promise, promise_status
from app.models import Debtor, Payment, PaymentPromise
from app.parsing import FormReader

MAX_PROMISE_DAYS = 366  # a promise further than a year ahead is a payment plan, not a promise


def of_debtor(session: Session, debtor: Debtor) -> list[PaymentPromise]:
    return list(session.exec(select(PaymentPromise).where(PaymentPromise.debtor_id == debtor.id)
                             .order_by(col(PaymentPromise.made_on).desc(),
                                       col(PaymentPromise.id).desc())))


def newest_first(promises: Sequence[PaymentPromise]) -> list[PaymentPromise]:
    return sorted(promises, key=lambda p: (p.made_on, p.id or 0), reverse=True)


def _paid(session: Session, debtor: Debtor) -> list[Paid]:
    rows = session.exec(select(Payment.date, Payment.amount).where(
        Payment.debtor_id == debtor.id, Payment.kind != "credit_note"))
    return [Paid(day, amount) for day, amount in rows]


def _law(promise: PaymentPromise) -> Promise:
    return Promise(promise.made_on, promise.due_date, promise.amount)


def maintain(session: Session, debtor: Debtor, today: date) -> None:
    """Set each open or broken promise's status as of `today` (no commit: the caller's
    transaction). A kept promise stays kept: only a change of the payments (`after_payment`)
    can undo it, and the passing days never do. A cancelled one is left as it is."""
    promises = [p for p in of_debtor(session, debtor) if p.status in ("open", "broken")]
    if not promises:
        return
    paid = _paid(session, debtor)
    for promise in promises:
        status = promise_status(_law(promise), paid, today=today)
        if promise.status != status:
            promise.status = status
            session.add(promise)


def after_payment(session: Session, debtor: Debtor) -> None:
    """A payment was recorded, changed or deleted: a promise it pays is kept at once; a kept
    one it no longer pays is open again until the alerts, which know today, say broken.
    A cancelled promise stays cancelled."""
    promises = [p for p in of_debtor(session, debtor) if p.status != "cancelled"]
    if not promises:
        return
    session.flush()
    paid = _paid(session, debtor)
    for promise in promises:
        kept = promise_status(_law(promise), paid, today=promise.made_on) == "kept"
        status = "kept" if kept else ("open" if promise.status == "kept" else promise.status)
        if promise.status != status:
            promise.status = status
            session.add(promise)


def read_promise(r: FormReader, made_on: date | None) -> dict[str, Any]:
    """The promise fields of a call form: date and amount, both required."""
    due = r.date("promise_due_date", label="Date promise")
    amount = r.money("promise_amount")
    if amount is not None and amount <= Decimal(0):
        r.error("promise_amount", "Le montant promis doit être positif.")
    if due and made_on and due < made_on:
        r.error("promise_due_date", "La date promise ne peut pas précéder l'appel.")
    elif due and made_on and (due - made_on).days > MAX_PROMISE_DAYS:
        r.error("promise_due_date", "Plus d'un an après l'appel : enregistrez plutôt un plan "
                                    "de paiement (démarche « échéance d'un plan »).")
    return {"due_date": due, "amount": amount}

