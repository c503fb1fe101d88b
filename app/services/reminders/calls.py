"""Phone calls logged from the debtor page in two clicks, and the promise a call may bring.

A call is a Step of kind "call" (channel phone) with its outcome: it enters the chronology,
never a reminder level (app/law/stages.py counts kind "reminder" only) nor an interruption of
prescription (a call leaves no writing: C. civ. 2240; app/services/law_facts.py). An outcome
"promise" records a PaymentPromise linked to the call, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from app.formatting import eur
from app.law.calendar import fr_date
from app.models import Debtor, PaymentPromise, Step
from app.parsing import FormReader
from app.services import audit
from app.services.context import Actor
from app.services.reminders.promises import maintain, read_promise
from app.vocabulary import CALL_OUTCOMES

FIELDS = ("kind", "date", "channel", "outcome", "notes")
PROMISE_FIELDS = ("made_on", "due_date", "amount", "status", "step_id")


def read_call(data: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The call and, for the outcome "promise", its promise; every error at once."""
    r = FormReader(data)
    day = r.date("date", label="Date de l'appel") if r.has("date") else today
    if day and day > today:
        r.error("date", "Un appel ne peut pas être daté de demain ou plus tard.")
    outcome = r.choice("outcome", CALL_OUTCOMES) if r.has("outcome") else ""
    if not outcome:
        r.error("outcome", "Choisissez l'issue de l'appel.")
    values: dict[str, Any] = {"date": day, "outcome": outcome,
                              "notes": r.text("notes", max_length=5000)}
    if outcome == "promise":
        values["promise"] = read_promise(r, day)
    r.check()
    return values


def log_call(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any],
             today: date) -> Step:
    actor.require_write()
    values = read_call(data, today)
    promise = values.pop("promise", None)
    step = Step(creditor_id=actor.creditor_id, debtor_id=debtor.id, kind="call",  # type: ignore[arg-type]
                channel="phone", **values)
    session.add(step)
    session.flush()
    audit.record(session, actor, action="create", obj=step, debtor_id=debtor.id,
                 summary=f"Appel téléphonique : {CALL_OUTCOMES[step.outcome].lower()}",
                 changes=audit.snapshot(step, FIELDS))
    if promise is not None:
        _promise(session, actor, debtor, step, promise)
        maintain(session, debtor, today)  # a payment already received may keep it at once
    session.commit()
    return step


def _promise(session: Session, actor: Actor, debtor: Debtor, step: Step,
             values: dict[str, Any]) -> PaymentPromise:
    promise = PaymentPromise(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                             made_on=step.date, due_date=values["due_date"],
                             amount=values["amount"], step_id=step.id, note=step.notes[:1000],
                             created_by=actor.user_id)
    session.add(promise)
    session.flush()
    audit.record(session, actor, action="create", obj=promise, debtor_id=debtor.id,
                 summary=f"Promesse de paiement de {eur(promise.amount)} pour le "
                         f"{fr_date(promise.due_date)}",
                 changes=audit.snapshot(promise, PROMISE_FIELDS))
    return promise
