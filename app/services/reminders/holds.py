""""Stop relance": holds on a debtor or on one of its invoices.

A hold stops every automatic reminder of the debtor (or of one invoice) until its last day,
or until a person lifts it; it carries the reason shown in the day's preview. The reminder
run reads `ReminderHold` rows whose `lifted_at` is empty and whose `until` is empty or not
passed (`in_force`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.errors import NotFound
from app.law.calendar import fr_date
from app.models import Debtor, Invoice, ReminderHold
from app.models.types import utcnow
from app.parsing import FormReader
from app.services import audit
from app.services.context import Actor

FIELDS = ("invoice_id", "reason", "until")
MAX_HOLD_DAYS = 3 * 366  # a longer pause is a decision to stop: choose "aucun scénario"


def in_force(hold: ReminderHold, today: date) -> bool:
    return hold.lifted_at is None and (hold.until is None or hold.until >= today)


# Read at every render of a debtor's page: built once (building it cost more than running it).
OF_DEBTOR = select(ReminderHold).where(ReminderHold.debtor_id == bindparam("debtor_id")) \
    .order_by(col(ReminderHold.created_at).desc(), col(ReminderHold.id).desc())


def of_debtor(session: Session, debtor: Debtor) -> list[ReminderHold]:
    return list(session.exec(OF_DEBTOR, params={"debtor_id": debtor.id}))


def read_hold(session: Session, debtor: Debtor, data: Mapping[str, Any],
              today: date) -> dict[str, Any]:
    r = FormReader(data)
    invoice_id = r.integer("invoice_id", minimum=1)
    if invoice_id is not None:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None or invoice.debtor_id != debtor.id:
            r.error("invoice_id", "Cette facture n'appartient pas à ce débiteur.")
    values = {"invoice_id": invoice_id,
              "reason": r.text("reason", required=True, max_length=500,
                               label="La raison de l'arrêt"),
              "until": r.date("until", required=False)}
    until = values["until"]
    if until is not None and until < today:
        r.error("until", "La date de fin est déjà passée : laissez vide pour un arrêt sans fin.")
    elif until is not None and (until - today).days > MAX_HOLD_DAYS:
        r.error("until", "Trois ans au plus : pour arrêter pour de bon, choisissez « Aucune "
                         "relance automatique ».")
    r.check()
    return values


def add_hold(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any],
             today: date) -> ReminderHold:
    actor.require_write()
    hold = ReminderHold(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                        created_by=actor.user_id, **read_hold(session, debtor, data, today))
    session.add(hold)
    session.flush()
    end = f" jusqu'au {fr_date(hold.until)}" if hold.until else ""
    audit.record(session, actor, action="create", obj=hold, debtor_id=debtor.id,
                 summary=f"Relances arrêtées{end} : {hold.reason}",
                 changes=audit.snapshot(hold, FIELDS))
    session.commit()
    return hold


def lift_hold(session: Session, actor: Actor, debtor: Debtor, hold_id: int) -> ReminderHold:
    actor.require_write()
    hold = session.get(ReminderHold, hold_id)
    if hold is None or hold.debtor_id != debtor.id or hold.creditor_id != actor.creditor_id:
        raise NotFound("Arrêt des relances")
    if hold.lifted_at is None:
        hold.lifted_at = utcnow()
        session.add(hold)
        audit.record(session, actor, action="update", obj=hold, debtor_id=debtor.id,
                     summary=f"Arrêt des relances levé : {hold.reason}",
                     changes={"lifted_at": [None, hold.lifted_at.date().isoformat()]})
    session.commit()
    return hold
