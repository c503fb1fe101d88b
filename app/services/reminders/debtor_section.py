"""What the debtor page's "Relances automatiques" section shows: the scenario the debtor
follows, the "stop relance" holds, the promises to pay, and the call form's choices."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from app.law.promises import STATUS_LABELS
from app.models import Debtor, Invoice
from app.services.context import Actor
from app.services.reminders import debtor_scenario, holds, promises
from app.services.reminders.steps_input import day_label
from app.vocabulary import CALL_OUTCOMES


def section_context(session: Session, actor: Actor, debtor: Debtor, today: date
                    ) -> dict[str, Any]:
    choices = debtor_scenario.scenario_choices(session, actor.creditor_id)
    followed = debtor_scenario.followed(session, debtor)
    hold_rows = holds.of_debtor(session, debtor)
    return {
        "reminder_choices": choices,
        "reminder_choice": debtor_scenario.choice_of(debtor),
        "reminder_scenario_name": followed[0] if followed else "",
        "reminder_plan": ", ".join(day_label(s.offset_days) for s in followed[1])
        if followed else "",
        "holds_in_force": [h for h in hold_rows if holds.in_force(h, today)],
        "holds_past": [h for h in hold_rows if not holds.in_force(h, today)][:5],
        "promises": promises.of_debtor(session, debtor)[:10],
        "promise_labels": STATUS_LABELS,
        "call_outcomes": CALL_OUTCOMES,
        "hold_targets": hold_targets(session, debtor),
    }


def hold_targets(session: Session, debtor: Debtor) -> dict[str, str]:
    """What a "stop relance" can cover: the whole debtor, or one of its unpaid invoices."""
    rows = session.exec(select(Invoice.id, Invoice.number).where(
        Invoice.debtor_id == debtor.id, col(Invoice.balance) > 0).order_by(col(Invoice.due_date)))
    return {"": "Tout le débiteur", **{str(i): f"Facture {number}" for i, number in rows}}
