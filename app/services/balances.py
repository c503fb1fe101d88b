"""Maintained balances: invoice paid/balance and debtor outstanding/oldest due date.

Called after every change to invoices or payments of a debtor, so the debtors list and
dashboards read one indexed row instead of aggregating invoices at read time.
Payments naming no invoice are imputed as C. civ. 1342-10 al. 2 orders (app/law/imputation.py):
due invoices first, then the higher rate on the payment date, then the earliest due date, then
proportionally. A payment made after an invoice fell due pays the penalties accrued first
(C. civ. 1343-1): what is left of each price is then the décompte's (services/decompte.py),
so that the list, the API and the dashboard show the principal the debtor page and the letters
show. What the décompte depends on besides the rows (the creditor's terms, the rates, the
debtor's mises en demeure and collective proceedings, from its form or a step) moves the
balances too: their changes call `refresh`, or the creditor's job (services/rebalance.py).
Each invoice also keeps what was unpaid on its due date and what the debtor paid of it
afterwards: the dashboard's recovery rate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlmodel import Session, col, select

from app.law.facts import OPENING_STEP
from app.law.imputation import Debt, impute
from app.law.penalty_rates import (
    consumer_legal_rate,
    contractual_penalty_rate,
    default_penalty_rate,
)
from app.law.rates import RateTables
from app.models import Creditor, Debtor, Invoice, Payment, Step
from app.models.debtors import ZERO
from app.services.decompte import decompte_from
from app.services.rates import current_rates


def _rate(rates: RateTables, debtor_kind: str, invoice: Any, default: Decimal | None,
          day: date) -> Decimal:
    # The rate the décompte applies on `day` (LAW.md §2.5 rules 4, 9): what 1342-10 compares
    if debtor_kind == "consumer":
        return consumer_legal_rate(rates, day).rate
    agreed = invoice.contractual_rate if invoice.contractual_rate is not None else default
    if agreed is None:
        return default_penalty_rate(rates, day).rate
    return contractual_penalty_rate(rates, day, agreed, invoice.number).rate


Share = tuple[Any, Decimal]  # a payment, and the part of it that went to one invoice
Rate = Callable[[Any, date], Decimal]  # (invoice, day) → the rate 1342-10 compares
Figures = tuple[Decimal, Decimal, Decimal, Decimal]  # paid, balance, fell_overdue, paid_late


def rater(session: Session, debtor_kind: str, creditor_id: int) -> Rate:
    """The rate of an invoice on a day, for this debtor; the tables are read at first use."""
    loaded: list[tuple[RateTables, Decimal | None]] = []

    def rate(invoice: Any, day: date) -> Decimal:
        if not loaded:
            creditor = session.get(Creditor, creditor_id)
            loaded.append((current_rates(session),  # the administrator's corrections apply
                           creditor.default_penalty_rate if creditor else None))
        rates, default = loaded[0]
        return _rate(rates, debtor_kind, invoice, default, day)

    return rate


def _impute(invoices: Sequence[Any], unassigned: list[Any], rate: Rate,
            paid: dict[int | None, Decimal], received: dict[int | None, list[Share]]) -> None:
    """Spread the payments naming no invoice over the invoices, in date order (1342-10)."""
    for payment in sorted(unassigned, key=lambda p: (p.date, p.id or 0)):
        debts = [Debt(str(inv.id), inv.due_date <= payment.date, rate(inv, payment.date),
                      inv.due_date, inv.issue_date, max(inv.amount_ttc - paid[inv.id], ZERO))
                 for inv in invoices]
        shares, _ = impute(payment.amount, debts)
        for share in shares:
            paid[int(share.key)] += share.amount
            received[int(share.key)].append((payment, share.amount))


@dataclass(frozen=True)
class Terms:
    """What a debtor's décompte reads besides its invoices and payments (services/decompte.py):
    the creditor's terms (default_penalty_rate, notice_by_due_date), the debtor's kind and
    collective proceedings, the steps it reads (`decompte_steps`), the rates."""

    creditor: Any
    debtor: Any
    steps: Sequence[Any]
    rates: RateTables


def settle(invoices: Sequence[Any], payments: Sequence[Any], rate: Rate,
           terms: Callable[[], Terms] | None = None) -> dict[int | None, Figures]:
    """Each invoice's figures from a debtor's invoices (by due date, id) and payments (by
    date, id): plain values, so that an import computes them for rows it has not written.
    `terms`, read only when a payment came after a due date: the décompte's imputation."""
    paid: dict[int | None, Decimal] = {inv.id: ZERO for inv in invoices}
    received: dict[int | None, list[Share]] = {inv.id: [] for inv in invoices}
    unassigned = []
    for payment in payments:
        if payment.invoice_id in paid:
            paid[payment.invoice_id] += payment.amount
            received[payment.invoice_id].append((payment, payment.amount))
        elif payment.amount > 0:
            unassigned.append(payment)
    if unassigned and invoices:
        _impute(invoices, unassigned, rate, paid, received)
    figures: dict[int | None, Figures] = {}
    for invoice in invoices:
        balance = max(invoice.amount_ttc - paid[invoice.id], ZERO)
        figures[invoice.id] = (paid[invoice.id], balance,
                               *overdue_and_recovered(invoice, received[invoice.id]))
    if terms is not None and (_paid_after_a_due_date(invoices, payments)
                              or _spills(invoices, payments)):
        _penalties_first(figures, invoices, payments, terms())
    return figures


def _spills(invoices: Sequence[Any], payments: Sequence[Any]) -> bool:
    """Whether payments naming an invoice exceed its price (an invoice lowered after it was
    paid): the décompte imputes the excess on the other debts (C. civ. 1342-10), where the
    price-only imputation above drops it. An excess the creditor kept aside stays aside."""
    named: dict[int, Decimal] = {}
    for payment in payments:
        if payment.invoice_id is not None and not getattr(payment, "excess", ""):
            named[payment.invoice_id] = named.get(payment.invoice_id, ZERO) + payment.amount
    return any(named.get(inv.id, ZERO) > inv.amount_ttc for inv in invoices)


def _paid_after_a_due_date(invoices: Sequence[Any], payments: Sequence[Any]) -> bool:
    """Whether a payment can have met accrued penalties: one made after the due date of the
    invoice it names, or, naming none, of any. Else the price-only imputation above is the
    décompte's (an import's payments, most of them in time, need no décompte)."""
    due = {inv.id: inv.due_date for inv in invoices}
    first_due = min(due.values(), default=None)
    if first_due is None:
        return False
    return any(p.kind != "credit_note" and p.amount > 0
               and p.date > due.get(p.invoice_id, first_due) for p in payments)


def _penalties_first(figures: dict[int | None, Figures], invoices: Sequence[Any],
                     payments: Sequence[Any], terms: Terms) -> None:
    """C. civ. 1343-1: paid and left of each price as the décompte imputes the payments,
    penalties first. On the last payment's day: later interest moves no imputation."""
    last = max(p.date for p in payments)
    decompte = decompte_from(terms.creditor, terms.debtor, invoices, payments, terms.steps,
                             terms.rates, as_of=last)
    rows = {row.number: row for row in decompte.invoices}
    for invoice in invoices:
        if (row := rows.get(invoice.number)) is not None:
            figures[invoice.id] = (row.paid, row.principal, *figures[invoice.id][2:])


def totals(invoices: Sequence[Any]) -> tuple[Decimal, date | None, int]:
    """A debtor's outstanding, oldest open due date and invoice count, from its invoices."""
    open_invoices = [inv for inv in invoices if inv.balance > 0]
    return (sum((inv.balance for inv in open_invoices), Decimal("0.00")),
            min((inv.due_date for inv in open_invoices), default=None), len(invoices))


def refresh(session: Session, debtor: Debtor) -> bool:
    """Store the debtor's figures again; whether any moved."""
    invoices = list(session.exec(
        select(Invoice).where(Invoice.debtor_id == debtor.id)
        .order_by(Invoice.due_date, Invoice.id)  # type: ignore[arg-type]
    ))
    payments = list(session.exec(select(Payment).where(Payment.debtor_id == debtor.id)
                                 .order_by(Payment.date, Payment.id)))  # type: ignore[arg-type]
    figures = settle(invoices, payments, rater(session, debtor.kind, debtor.creditor_id),
                     lambda: terms_of(session, debtor))
    moved = False
    for invoice in invoices:
        stored = (invoice.paid, invoice.balance, invoice.fell_overdue, invoice.paid_late)
        if stored != figures[invoice.id]:
            invoice.paid, invoice.balance, invoice.fell_overdue, invoice.paid_late = \
                figures[invoice.id]
            session.add(invoice)
            moved = True
    debtor.outstanding, debtor.oldest_due_date, debtor.invoice_count = totals(invoices)
    session.add(debtor)
    return moved


@dataclass(frozen=True)
class DebtorTerms:
    """The debtor's columns a décompte reads, for a debtor an import has not written yet."""

    kind: str
    proceedings_kind: str = ""
    proceedings_judgment_date: date | None = None
    proceedings_bodacc_date: date | None = None


def terms_of_rows(session: Session, creditor_id: int) -> Callable[[Any], Terms]:
    """Terms for an import's debtor rows (services/import_rows.py): the creditor and the rates
    read once, a stored debtor's proceedings and steps when its figures need them."""
    creditor = session.get(Creditor, creditor_id)
    rates = cache(lambda: current_rates(session))

    def terms(row: Any) -> Terms:
        stored = None if row.new else session.get(Debtor, row.id)
        if stored is None:
            return Terms(creditor, DebtorTerms(row.kind), [], rates())
        debtor = replace(debtor_terms(stored), kind=row.kind)
        return Terms(creditor, debtor, decompte_steps(session, stored.id, row.kind), rates())

    return terms


def debtor_terms(debtor: Any) -> DebtorTerms:
    """What of the debtor's own columns its décompte reads."""
    return DebtorTerms(debtor.kind, debtor.proceedings_kind, debtor.proceedings_judgment_date,
                       debtor.proceedings_bodacc_date)


def after_step(session: Session, kind: str, debtor_id: int | None) -> None:
    """A step the décompte reads recorded, changed or deleted: a mise en demeure (a
    consumer's legal interest runs from it, C. civ. 1231-6), an opening of collective
    proceedings (interest stops the eve, C. com. L622-28); hence what a later payment paid
    of the price."""
    debtor = session.get(Debtor, debtor_id) if kind in DECOMPTE_STEPS else None
    if debtor is not None and kind in _read_for(debtor.kind):
        refresh(session, debtor)


def terms_of(session: Session, debtor: Debtor) -> Terms:
    creditor = session.get(Creditor, debtor.creditor_id)
    return Terms(creditor, debtor, decompte_steps(session, debtor.id, debtor.kind),
                 current_rates(session))


# The steps a décompte reads: a consumer's mises en demeure (its legal interest runs from the
# first, C. civ. 1231-6; a professional's penalties need none, C. com. L441-10), and for
# everyone the opening of collective proceedings (L622-28: interest stops the eve).
DECOMPTE_STEPS = frozenset({"mise_en_demeure", OPENING_STEP})


def _read_for(debtor_kind: str) -> frozenset[str]:
    return DECOMPTE_STEPS if debtor_kind == "consumer" else frozenset({OPENING_STEP})


def decompte_steps(session: Session, debtor_id: int | None, kind: str) -> list[Step]:
    """The debtor's steps its décompte reads (`DECOMPTE_STEPS`, by its kind)."""
    return list(session.exec(select(Step).where(Step.debtor_id == debtor_id,
                                                col(Step.kind).in_(_read_for(kind)))))


def overdue_and_recovered(invoice: Any, shares: list[Share]) -> tuple[Decimal, Decimal]:
    """(unpaid on the due date, paid after it). A credit note cancels part of the debt at any
    date: it is deducted from what fell overdue, never counted as recovered."""
    credited = sum((a for p, a in shares if p.kind == "credit_note"), ZERO)
    on_time = sum((a for p, a in shares if p.kind != "credit_note" and p.date <= invoice.due_date),
                  ZERO)
    late = sum((a for p, a in shares if p.kind != "credit_note" and p.date > invoice.due_date),
               ZERO)
    fell_overdue = max(invoice.amount_ttc - credited - on_time, ZERO)
    return fell_overdue, min(late, fell_overdue)
