"""What the debtor page's "Relances automatiques" section shows: the scenario the debtor
follows, the "stop relance" holds, the promises to pay (with what their correction form
starts from), and the call form's choices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from app.formatting import number_fr
from app.law.promises import STATUS_LABELS
from app.models import Debtor, Invoice, PaymentPromise, ReminderHold
from app.services.context import Actor
from app.services.debtor_file import DebtorFile
from app.services.reminders import debtor_scenario, holds, plan, promise_edit, promises
from app.services.reminders.steps_input import day_label
from app.vocabulary import CALL_OUTCOMES


def section_context(session: Session, actor: Actor, debtor: Debtor, today: date,
                    file: DebtorFile, scenarios: Sequence[debtor_scenario.ScenarioSeen],
                    holds_of_debtor: list[ReminderHold] | None = None) -> dict[str, Any]:
    """`file`: the debtor's file as the page already read it (its invoices and promises);
    `scenarios`: the creditor's (app/services/creditor_lists.py); `holds_of_debtor`: its
    "stop relance", when known."""
    choices = debtor_scenario.scenario_choices(session, actor.creditor_id, scenarios)
    followed = debtor_scenario.followed(session, debtor, scenarios)
    hold_rows = holds.of_debtor(session, debtor) if holds_of_debtor is None else holds_of_debtor
    shown = promises.newest_first(file.promises)[:10]
    return {
        "reminder_choices": choices,
        "reminder_choice": debtor_scenario.choice_of(debtor),
        "reminder_scenario_name": followed[0] if followed else "",
        "reminder_plan": ", ".join(day_label(s.offset_days) for s in followed[1])
        if followed else "",
        "holds_in_force": [h for h in hold_rows if holds.in_force(h, today)],
        "holds_past": [h for h in hold_rows if not holds.in_force(h, today)][:5],
        "promises": shown,
        "promise_forms": {p.id: correction_values(p) for p in shown if promise_edit.editable(p)},
        "promise_labels": STATUS_LABELS,
        "call_outcomes": CALL_OUTCOMES,
        "hold_targets": hold_targets(file.invoices),
        "reminders_stopped": plan.phase_stop(file, today),  # the file's phase: none goes
    }


def hold_targets(invoices: Sequence[Invoice]) -> dict[str, str]:
    """What a "stop relance" can cover: the whole debtor, or one of its unpaid invoices."""
    unpaid = sorted((i for i in invoices if i.balance > 0), key=lambda i: (i.due_date, i.id or 0))
    return {"": "Tout le débiteur", **{str(i.id): f"Facture {i.number}" for i in unpaid}}


def correction_values(promise: PaymentPromise) -> dict[str, str]:
    """The correction form of a promise, filled in with what it says now."""
    return {"promise_due_date": promise.due_date.isoformat(),
            "promise_amount": number_fr(promise.amount), "note": promise.note}
