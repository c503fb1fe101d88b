"""What the debtor page's "Relances automatiques" section shows: the scenario the debtor
follows, the "stop relance" holds, the promises to pay, and the call form's choices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from app.law.promises import STATUS_LABELS
from app.models import Debtor, Invoice
from app.services.context import Actor
from app.services.debtor_file import DebtorFile
from app.services.reminders import debtor_scenario, holds, promises
from app.services.reminders.steps_input import day_label
from app.vocabulary import CALL_OUTCOMES


def section_context(session: Session, actor: Actor, debtor: Debtor, today: date,
                    file: DebtorFile) -> dict[str, Any]:
    """`file`: the debtor's file as the page already read it (its invoices and promises)."""
    scenarios = debtor_scenario.of_creditor(session, actor.creditor_id)
    choices = debtor_scenario.scenario_choices(session, actor.creditor_id, scenarios)
    followed = debtor_scenario.followed(session, debtor, scenarios)
    hold_rows = holds.of_debtor(session, debtor)
    return {
        "reminder_choices": choices,
        "reminder_choice": debtor_scenario.choice_of(debtor),
        "reminder_scenario_name": followed[0] if followed else "",
        "reminder_plan": ", ".join(day_label(s.offset_days) for s in followed[1])
        if followed else "",
        "holds_in_force": [h for h in hold_rows if holds.in_force(h, today)],
        "holds_past": [h for h in hold_rows if not holds.in_force(h, today)][:5],
        "promises": promises.newest_first(file.promises)[:10],
        "promise_labels": STATUS_LABELS,
        "call_outcomes": CALL_OUTCOMES,
        "hold_targets": hold_targets(file.invoices),
    }


def hold_targets(invoices: Sequence[Invoice]) -> dict[str, str]:
    """What a "stop relance" can cover: the whole debtor, or one of its unpaid invoices."""
    unpaid = sorted((i for i in invoices if i.balance > 0), key=lambda i: (i.due_date, i.id or 0))
    return {"": "Tout le débiteur", **{str(i.id): f"Facture {i.number}" for i in unpaid}}
