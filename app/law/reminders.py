"""Which reminder each debtor gets today, or why it gets none (issue 17).

Pure rules over plain facts: the step of the scenario each unpaid invoice has reached
(due date + offset ≤ today, not yet done for it), one message per debtor covering every
invoice due for a step at the highest template any of them reached (the Sage practice:
one letter per customer at the highest level), and the stop rules, each with the French
reason the day's work shows. A mise en demeure is only ever prepared (LAW.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.law.reminder_scenario import DRAFT_ONLY, TEMPLATES, ScenarioStep, rank


@dataclass(frozen=True)
class InvoiceState:
    id: int
    number: str
    due_date: date
    balance: Decimal  # TTC still unpaid
    credited: bool = False  # settled by a credit note (avoir)
    hold: str = ""  # reason of a "stop relance" on this invoice, "" = none
    done: frozenset[str] = frozenset()  # templates already sent or prepared for it


@dataclass(frozen=True)
class DebtorState:
    id: int
    name: str
    invoices: tuple[InvoiceState, ...]
    # its scenario; with reminders off, the one it would follow (to say why nothing goes)
    steps: tuple[ScenarioStep, ...] = ()
    email: str = ""
    postal_address: bool = False  # street, postal code and city known (a letter's address)
    reminders_off: bool = False
    collective: str = ""  # proceedings kind, "" = none
    dispute_open: bool = False
    plan_in_force: bool = False
    promise_until: date | None = None  # last open promise's date (≥ today)
    notice_sent: date | None = None  # mise en demeure recorded as sent
    requete_filed: date | None = None  # requête (or petites créances) filed
    hold: str = ""  # reason of a "stop relance" on the debtor


@dataclass(frozen=True)
class Action:
    """One message: the debtor, the step (channel, template) and the invoices it covers."""

    debtor_id: int
    step: ScenarioStep
    invoices: tuple[int, ...]  # sorted ids
    reached: tuple[tuple[int, str], ...]  # (invoice id, template it reached itself)

    @property
    def draft(self) -> bool:
        """Prepared for a person: a mise en demeure (LAW.md §4) or a letter to print."""
        return self.step.template in DRAFT_ONLY or self.step.channel == "letter"

    @property
    def key(self) -> str:
        return idempotency_key(self.debtor_id, self.step.template, self.invoices)


@dataclass(frozen=True)
class Skip:
    debtor_id: int
    invoices: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class DebtorPlan:
    action: Action | None
    skipped: tuple[Skip, ...]


@dataclass(frozen=True)
class NextLetter:
    """What the debtor's scenario sends next, and on which day (today: due now)."""

    step: ScenarioStep
    date: date


def fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def eur(amount: Decimal) -> str:
    return f"{amount:,.2f} €".replace(",", " ").replace(".", ",")


def idempotency_key(debtor_id: int, template: str, invoice_ids: tuple[int, ...] | list[int]) -> str:
    """One message per debtor, template and invoice set: the unique key of its row."""
    return f"{debtor_id}:{template}:{','.join(str(i) for i in sorted(invoice_ids))}"


def reached_step(steps: tuple[ScenarioStep, ...], invoice: InvoiceState,
                 today: date) -> ScenarioStep | None:
    """The highest step whose day (due date + offset) has come and that is not done yet.

    A step already passed by a higher one done is not sent (no relance 1 after relance 2);
    a prévenance is a courtesy notice before the due date: not sent once it has passed."""
    came = [s for s in steps if invoice.due_date + timedelta(days=s.offset_days) <= today]
    if not came:
        return None
    step = max(came, key=lambda s: (rank(s.template), s.offset_days))
    if any(rank(t) >= rank(step.template) for t in invoice.done if t in TEMPLATES):
        return None
    if step.template == "prevenance" and today > invoice.due_date:
        return None
    return step


def invoice_stop(invoice: InvoiceState, min_amount: Decimal) -> str:
    """Why this invoice is not reminded ("" = it may be)."""
    if invoice.balance <= 0:
        return "facture soldée par avoir" if invoice.credited else "facture réglée"
    if invoice.hold:
        return f"relance suspendue sur cette facture : {invoice.hold}"
    if min_amount > 0 and invoice.balance < min_amount:
        return (f"solde de {eur(invoice.balance)} inférieur au minimum de relance "
                f"({eur(min_amount)})")
    return ""


def debtor_stop(debtor: DebtorState, today: date) -> str:
    """Why no reminder goes to this debtor today ("" = it may get one)."""
    if debtor.reminders_off:
        return "relances désactivées pour ce débiteur"
    if debtor.collective:
        # C. com. L622-21: no individual action; the claim is declared instead.
        return f"procédure collective ({debtor.collective}) : déclarer la créance, pas de relance"
    if debtor.requete_filed:
        return f"phase contentieuse : requête déposée le {fr(debtor.requete_filed)}"
    if debtor.notice_sent:
        return f"phase contentieuse : mise en demeure envoyée le {fr(debtor.notice_sent)}"
    if debtor.dispute_open:
        return "contestation enregistrée, non close"
    if debtor.plan_in_force:
        return "échéancier de paiement en cours"
    if debtor.promise_until and debtor.promise_until >= today:
        return f"promesse de paiement jusqu'au {fr(debtor.promise_until)}"
    if debtor.hold:
        return f"relances suspendues : {debtor.hold}"
    return ""


def plan_debtor(debtor: DebtorState, min_amount: Decimal, today: date) -> DebtorPlan:
    """Today's message for one debtor, or why none; only invoices with a step due count."""
    due: list[tuple[InvoiceState, ScenarioStep]] = []
    skipped: list[Skip] = []
    for invoice in debtor.invoices:
        step = reached_step(debtor.steps, invoice, today)
        if step is None:
            continue
        reason = invoice_stop(invoice, min_amount)
        if reason:
            skipped.append(Skip(debtor.id, (invoice.id,), f"{invoice.number} : {reason}"))
        else:
            due.append((invoice, step))
    if not due:
        return DebtorPlan(None, tuple(skipped))
    ids = tuple(sorted(inv.id for inv, _ in due))
    reason = debtor_stop(debtor, today)
    if reason:
        return DebtorPlan(None, (*skipped, Skip(debtor.id, ids, reason)))
    top = max((step for _, step in due), key=lambda s: (rank(s.template), s.offset_days))
    missing = missing_address(top, debtor)
    if missing:
        return DebtorPlan(None, (*skipped, Skip(debtor.id, ids, f"aucune {missing} : "
                                                "l'ajouter sur la fiche du débiteur")))
    reached = tuple(sorted((inv.id, step.template) for inv, step in due))
    return DebtorPlan(Action(debtor.id, top, ids, reached), tuple(skipped))


def missing_address(step: ScenarioStep, debtor: DebtorState) -> str:
    """The address the step's message cannot go without and the debtor lacks ("" = none):
    a letter or a mise en demeure goes to its postal address (LAW.md §11), an e-mail to its
    e-mail address."""
    if step.channel == "letter" or step.template in DRAFT_ONLY:
        return "" if debtor.postal_address else "adresse postale"
    return "" if debtor.email else "adresse e-mail"


def next_letter(debtor: DebtorState, min_amount: Decimal, today: date) -> NextLetter | None:
    """The scenario's next message to this debtor: today's (`plan_debtor`), else the first day
    a step comes for an invoice it may remind, at the highest template reached that day.
    None when the scenario sends nothing: reminders off, a stop (`debtor_stop`), a message
    due without its address (`missing_address`), or no step left."""
    if debtor.reminders_off or debtor_stop(debtor, today):
        return None
    plan = plan_debtor(debtor, min_amount, today)
    if plan.action is not None:
        return NextLetter(plan.action.step, today)
    remindable = [inv for inv in debtor.invoices if not invoice_stop(inv, min_amount)]
    if any(reached_step(debtor.steps, inv, today) for inv in remindable):
        return None  # due today, yet not sent: no address for it
    coming = [(day, step) for inv in remindable for day in _step_days(debtor.steps, inv, today)
              if (step := reached_step(debtor.steps, inv, day)) is not None]
    if not coming:
        return None
    first = min(day for day, _ in coming)
    top = max((step for day, step in coming if day == first),
              key=lambda s: (rank(s.template), s.offset_days))
    return NextLetter(top, first)


def _step_days(steps: tuple[ScenarioStep, ...], invoice: InvoiceState, today: date) -> list[date]:
    """The days after `today` on which a step of the scenario comes for the invoice."""
    return sorted({invoice.due_date + timedelta(days=s.offset_days) for s in steps
                   if invoice.due_date + timedelta(days=s.offset_days) > today})


def recheck(debtor: DebtorState, invoices: tuple[int, ...], min_amount: Decimal,
            today: date) -> str:
    """Why a message planned earlier for `invoices` is no longer due at `today`, the day it
    would leave ("" = it still is): the debtor planned again (`plan_debtor`, with this message
    not counted as done) must still get a message covering every one of its invoices."""
    plan = plan_debtor(debtor, min_amount, today)
    if plan.action is not None and set(invoices) <= set(plan.action.invoices):
        return ""
    unpaid = {inv.id for inv in debtor.invoices}
    if not unpaid & set(invoices):
        return "les factures de ce message sont réglées"
    stops = [s.reason for s in plan.skipped if set(s.invoices) & set(invoices)]
    if stops:
        return " ; ".join(stops)
    if not set(invoices) <= unpaid:
        return "une facture de ce message a été réglée depuis"
    return "ce message n'est plus dû à cette date"
