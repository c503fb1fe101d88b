"""The day's reminder work of one creditor: what to send, what to prepare, who is skipped and why.

Reads each debtor with something unpaid as the plain facts of `app.law.reminders` (its
scenario, what was already sent per invoice, holds, promises, disputes, payment plan, the
phase reached) and asks the law for today's message or the reason there is none. Nothing is
written here: `run.py` acts on the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from app.law import stages
from app.law.reminder_scenario import CHANNELS, DEFAULT_STEPS, TEMPLATES, ScenarioStep
from app.law.reminders import (
    Action,
    DebtorState,
    InvoiceState,
    NextLetter,
    Skip,
    debtor_stop,
    fr,
    plan_debtor,
)
from app.law.reminders import next_letter as law_next_letter
from app.law.reminders import recheck as law_recheck
from app.models import (
    Creditor,
    Debtor,
    Invoice,
    PaymentPromise,
    ReminderHold,
    ReminderMessage,
)
from app.services import law_facts
from app.services.debtor_file import DebtorFile
from app.services.reminders.scenarios import scenario_for, steps_followed, steps_of

CANCELLED = "cancelled"


@dataclass(frozen=True)
class Planned:
    """One message due today, with what the page and the API show about it."""

    action: Action
    debtor: str  # its name (plain values: the plan outlives its session)
    email: str
    numbers: tuple[str, ...]  # invoice numbers, in id order

    @property
    def template_label(self) -> str:
        return TEMPLATES[self.action.step.template][0]

    @property
    def channel_label(self) -> str:
        return CHANNELS[self.action.step.channel]


@dataclass(frozen=True)
class Skipped:
    skip: Skip
    debtor: str
    numbers: tuple[str, ...]


@dataclass
class DayPlan:
    today: date
    actions: list[Planned] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def day_plan(session: Session, creditor: Creditor, today: date) -> DayPlan:
    """Every debtor of the creditor with something unpaid, planned at `today`."""
    plan = DayPlan(today)
    debtors = session.exec(select(Debtor).where(Debtor.creditor_id == creditor.id,
                                                col(Debtor.outstanding) > 0)
                           .order_by(col(Debtor.legal_name), col(Debtor.id))).all()
    holds = active_holds(session, creditor.id, today)  # type: ignore[arg-type]
    promises = open_promises(session, creditor.id, today)  # type: ignore[arg-type]
    for debtor in debtors:
        file = law_facts.load(session, debtor)
        scenario = scenario_for(session, debtor)
        steps = tuple(steps_of(session, scenario.id)) if scenario else None  # type: ignore[arg-type]
        state = debtor_state(file, today, holds, promises.get(debtor.id), steps,  # type: ignore[arg-type]
                             done_templates(session, file))
        result = plan_debtor(state, creditor.reminder_min_amount or Decimal(0), today)
        numbers = {inv.id: inv.number for inv in file.invoices}
        if result.action is not None:
            plan.actions.append(Planned(result.action, debtor.legal_name, debtor.email,
                                        tuple(numbers[i] for i in result.action.invoices)))
        plan.skipped += [Skipped(s, debtor.legal_name, tuple(numbers[i] for i in s.invoices))
                         for s in result.skipped]
    return plan


def active_holds(session: Session, creditor_id: int, today: date, debtor_id: int | None = None,
                 ) -> dict[tuple[int, int | None], str]:
    """(debtor id, invoice id or None) → the hold's reason, for holds in force at `today`
    (of one debtor when `debtor_id` is given)."""
    one = [] if debtor_id is None else [ReminderHold.debtor_id == debtor_id]
    rows = session.exec(select(ReminderHold).where(
        ReminderHold.creditor_id == creditor_id, col(ReminderHold.lifted_at).is_(None),
        *one)).all()
    held: dict[tuple[int, int | None], str] = {}
    for hold in rows:
        if hold.until is None or hold.until >= today:
            until = f" (jusqu'au {fr(hold.until)})" if hold.until else ""
            held[(hold.debtor_id, hold.invoice_id)] = f"{hold.reason}{until}"
    return held


def open_promises(session: Session, creditor_id: int, today: date) -> dict[int, date]:
    """Debtor id → the latest date of its open promises to pay not yet passed."""
    rows = session.exec(select(PaymentPromise).where(
        PaymentPromise.creditor_id == creditor_id, PaymentPromise.status == "open",
        col(PaymentPromise.due_date) >= today)).all()
    result: dict[int, date] = {}
    for promise in rows:
        result[promise.debtor_id] = max(promise.due_date, result.get(promise.debtor_id, promise.due_date))
    return result


def next_letter(session: Session, file: DebtorFile, today: date) -> NextLetter | None:
    """What the debtor's scenario sends next (app/law/reminders.py `next_letter`), as the
    day's plan would see it: its holds in force, its open promise, what was already sent."""
    debtor = file.debtor
    steps = steps_followed(session, debtor)
    if steps is None or debtor.outstanding <= 0:
        return None  # reminders off, or nothing unpaid
    state = state_of(session, file, today, steps)
    return law_next_letter(state, file.creditor.reminder_min_amount or Decimal(0), today)


def stale_reason(session: Session, message: ReminderMessage, today: date) -> str:
    """Why a message recorded earlier is no longer due on `today`, the day it would leave
    (a payment, collective proceedings, a hold, a promise, a dispute since): "" if it still is.
    The debtor is planned again as the day's plan would, this message not counted as done."""
    debtor = session.get(Debtor, message.debtor_id)
    assert debtor is not None
    file = law_facts.load(session, debtor)
    state = state_of(session, file, today, steps_followed(session, debtor), message.id)
    return law_recheck(state, tuple(message.invoice_ids),
                       file.creditor.reminder_min_amount or Decimal(0), today)


def state_of(session: Session, file: DebtorFile, today: date,
             steps: tuple[ScenarioStep, ...] | None, leave_out: int | None = None) -> DebtorState:
    """One debtor as the day's plan reads it: its holds in force, its open promise, what was
    already sent (but the message `leave_out`)."""
    debtor = file.debtor
    holds = active_holds(session, debtor.creditor_id, today, debtor.id)  # type: ignore[arg-type]
    promise = max((p.due_date for p in file.promises
                   if p.status == "open" and p.due_date >= today), default=None)
    return debtor_state(file, today, holds, promise, steps,
                        done_templates(session, file, leave_out))


def done_templates(session: Session, file: DebtorFile,
                   leave_out: int | None = None) -> dict[int, set[str]]:
    """Invoice id → templates already sent or prepared for it: the messages recorded (any
    state but cancelled; not `leave_out`), for the invoices each one reached, and the relances
    recorded by hand (level N after its due date). The relance Step an automatic message
    left is that message: it covers its own invoices only, not one entered later."""
    done: dict[int, set[str]] = {inv.id: set() for inv in file.invoices}  # type: ignore[misc]
    other = [] if leave_out is None else [col(ReminderMessage.id) != leave_out]
    rows = session.exec(select(ReminderMessage).where(
        ReminderMessage.debtor_id == file.debtor.id, ReminderMessage.status != CANCELLED,
        *other)).all()
    for message in rows:
        for invoice_id, template in message.meta.get("reached", []):
            done.setdefault(invoice_id, set()).add(template)
    automatic = {m.step_id for m in rows if m.step_id and "reached" in m.meta}
    for step in file.steps_of("reminder"):
        if step.id in automatic:
            continue
        for invoice in file.invoices:
            if step.level and invoice.due_date < step.date:
                done[invoice.id].add(f"relance_{min(step.level, 3)}")  # type: ignore[index]
    return done


def plan_in_force(file: DebtorFile, today: date) -> bool:
    """A payment plan with instalments still to pay and none missed (a missed one breaks it:
    the reminders resume, and the alerts say so)."""
    unpaid = [i for i in law_facts.instalments(file) if not i.paid]
    return bool(unpaid) and all(i.due_date >= today for i in unpaid)


def contentious(file: DebtorFile) -> tuple[date | None, date | None]:
    """(mise en demeure sent, requête filed): the file left the amiable phase."""
    facts = [stages.StepFact(s.kind, s.date, s.level, s.end_date) for s in file.steps]
    kept = stages._not_rejected(sorted(facts, key=lambda s: s.date))
    notices = [s.date for s in kept if s.kind == "mise_en_demeure"]
    filed = [s.date for s in kept if s.kind in stages.PROCEDURAL and s.kind != "mise_en_demeure"]
    return min(notices, default=None), min(filed, default=None)


def _invoice_state(file: DebtorFile, invoice: Invoice, done: set[str], hold: str) -> InvoiceState:
    credited = any(p.kind == "credit_note" and p.invoice_id == invoice.id for p in file.payments)
    return InvoiceState(invoice.id, invoice.number, invoice.due_date, invoice.balance,  # type: ignore[arg-type]
                        credited=credited, hold=hold, done=frozenset(done))


def phase_stop(file: DebtorFile, today: date) -> str:
    """Why the file's own phase stops the automatic reminders (collective proceedings, the
    contentious phase, a dispute, a payment plan), in the run's words (debtor_stop); "" if it
    does not. Read from the file alone: the debtor page says it without another query."""
    notice, filed = contentious(file)
    return debtor_stop(DebtorState(
        id=file.debtor.id, name=file.debtor.legal_name, invoices=(),  # type: ignore[arg-type]
        collective=_collective(file), dispute_open=law_facts.open_dispute(file, today),
        plan_in_force=plan_in_force(file, today), notice_sent=notice, requete_filed=filed),
        today)


def _collective(file: DebtorFile) -> str:
    """The proceedings' kind, or "ouverte" when only a step of the file tells of them."""
    collective = file.collective
    return collective.kind or ("ouverte" if collective.in_progress else "")


def debtor_state(file: DebtorFile, today: date, holds: dict[tuple[int, int | None], str],
                 promise: date | None, steps: tuple[ScenarioStep, ...] | None,
                 done: dict[int, set[str]]) -> DebtorState:
    """`steps`: the scenario it follows, None when its reminders are off; `done`: what was
    already sent for each invoice (`done_templates`)."""
    debtor = file.debtor
    notice, filed = contentious(file)
    collective = _collective(file)
    return DebtorState(
        id=debtor.id, name=debtor.legal_name,  # type: ignore[arg-type]
        invoices=tuple(_invoice_state(file, inv, done[inv.id], holds.get((debtor.id, inv.id), ""))  # type: ignore[index, arg-type]
                       for inv in file.invoices if inv.balance > 0),
        steps=DEFAULT_STEPS if steps is None else steps, email=debtor.email,
        postal_address=all(v.strip() for v in (debtor.street, debtor.postal_code, debtor.city)),
        reminders_off=steps is None,
        collective=collective, dispute_open=law_facts.open_dispute(file, today),
        plan_in_force=plan_in_force(file, today), promise_until=promise,
        notice_sent=notice, requete_filed=filed, hold=holds.get((debtor.id, None), ""))  # type: ignore[arg-type]
