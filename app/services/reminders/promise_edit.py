"""Correcting or cancelling a promise to pay from the debtor page (issue 17).

A promise typed wrong (date, amount) or withdrawn by the debtor must not hold the scenario
paused. A promise still to settle ("open", or "broken" when its date passed unpaid) can be:
- corrected: date, amount and note, validated as when the call recorded it
  (`read_promise`), and its date not already past (`today` injected), since a corrected
  promise speaks for the days ahead;
- cancelled with a reason: status "cancelled", kept in the history, read by nothing else (no
  pause of the reminders, no alert, no forecast).
Both are audited, so the chronology tells them, and refresh the promises' statuses in the same
transaction (`maintain`). A kept promise was paid: there is nothing to correct or cancel.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from app.errors import NotFound
from app.formatting import eur
from app.law.calendar import fr_date
from app.models import Debtor, PaymentPromise
from app.parsing import FormReader
from app.services import audit
from app.services.context import Actor
from app.services.reminders.promises import maintain, read_promise

SETTLED = ("open", "broken")  # what a person may still correct or cancel
CANCELLED = "cancelled"
CORRECTED = ("due_date", "amount", "note")
NOT_EDITABLE = {"kept": "Cette promesse a été tenue : elle ne se modifie plus.",
                CANCELLED: "Cette promesse est annulée : elle ne se modifie plus."}


def editable(promise: PaymentPromise) -> bool:
    return promise.status in SETTLED


def promise_of(session: Session, actor: Actor, debtor: Debtor, promise_id: int) -> PaymentPromise:
    """The debtor's promise, or 404 for any other (another debtor's, another creditor's)."""
    promise = session.get(PaymentPromise, promise_id)
    if promise is None or promise.debtor_id != debtor.id or \
            promise.creditor_id != actor.creditor_id:
        raise NotFound("Promesse de paiement")
    return promise


def read_correction(promise: PaymentPromise, data: Mapping[str, Any],
                    today: date) -> dict[str, Any]:
    """Date, amount and note of a corrected promise; every error at once."""
    r = FormReader(data)
    if not editable(promise):
        r.error("status", NOT_EDITABLE.get(promise.status, "Promesse non modifiable."))
    values = read_promise(r, promise.made_on)
    due = values["due_date"]
    if due is not None and due < today:
        r.error("promise_due_date", f"Cette date est déjà passée : indiquez le {fr_date(today)} "
                                    "ou plus tard, ou annulez la promesse.")
    values["note"] = r.text("note", max_length=1000) if r.has("note") else promise.note
    r.check()
    return values


def correct_promise(session: Session, actor: Actor, debtor: Debtor, promise_id: int,
                    data: Mapping[str, Any], today: date) -> PaymentPromise:
    actor.require_write()
    promise = promise_of(session, actor, debtor, promise_id)
    values = read_correction(promise, data, today)
    before = audit.snapshot(promise, CORRECTED)
    for name, value in values.items():
        setattr(promise, name, value)
    changes = audit.diff(before, audit.snapshot(promise, CORRECTED))
    if not changes:
        return promise
    session.add(promise)
    session.flush()
    audit.record(session, actor, action="update", obj=promise, debtor_id=debtor.id,
                 summary=f"Promesse de paiement corrigée : {eur(promise.amount)} pour le "
                         f"{fr_date(promise.due_date)}", changes=changes)
    maintain(session, debtor, today)  # broken before, open again; or kept by a payment made
    session.commit()
    return promise


def cancel_promise(session: Session, actor: Actor, debtor: Debtor, promise_id: int,
                   data: Mapping[str, Any], today: date) -> PaymentPromise:
    """The promise no longer holds the reminders: they resume at once (the next run)."""
    actor.require_write()
    promise = promise_of(session, actor, debtor, promise_id)
    if promise.status == CANCELLED:
        return promise  # cancelled twice (a second tab): nothing more to do
    r = FormReader(data)
    if not editable(promise):
        r.error("status", NOT_EDITABLE[promise.status])
    reason = r.text("cancel_reason", required=True, max_length=500,
                    label="La raison de l'annulation")
    r.check()
    before = promise.status
    promise.status, promise.cancelled_on, promise.cancel_reason = CANCELLED, today, reason
    session.add(promise)
    session.flush()
    audit.record(session, actor, action="update", obj=promise, debtor_id=debtor.id,
                 summary=f"Promesse de paiement de {eur(promise.amount)} pour le "
                         f"{fr_date(promise.due_date)} annulée : {reason}",
                 changes={"status": [before, CANCELLED], "cancel_reason": reason,
                          "cancelled_on": today.isoformat()})
    session.commit()
    return promise

