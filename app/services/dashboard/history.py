"""The portfolio as it stood at a past date, rebuilt from the rows dated on or before it.

The maintained aggregates hold today's balances and stages; at a past `as_of` they would show
today's state. Here each invoice issued by `as_of` is balanced with the payments and credit
notes dated by `as_of` (the same imputation as app/services/balances.py, C. civ. 1342-10), and
each debtor's stage is read from its steps dated by `as_of` (app/law/stages.py). It reads the
creditor's rows once: slower than the aggregates, so the figures are kept per revision
(app/services/dashboard/kept.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlmodel import Session, select

from app.law.stages import StepFact, stage
from app.models import Creditor, Debtor, Invoice, Payment, Step
from app.models.debtors import ZERO
from app.services import balances
from app.services.dashboard import risk
from app.services.dashboard.maintain import month_of


class InvoiceAt(NamedTuple):
    """An invoice as it stood at as_of (a tuple: a past view builds 100,000 of them)."""

    id: int
    debtor_id: int
    number: str
    issue_date: date
    due_date: date
    balance: Decimal
    fell_overdue: Decimal  # unpaid on its due date (credit notes by as_of off)
    paid_late: Decimal  # of which paid after the due date, by as_of


class DebtorAt(NamedTuple):
    id: int
    name: str
    stage: str
    outstanding: Decimal
    oldest_due_date: date | None  # of its open invoices


@dataclass
class Snapshot:
    as_of: date
    invoices: list[InvoiceAt] = field(default_factory=list)
    debtors: dict[int, DebtorAt] = field(default_factory=dict)
    months: dict[date, tuple[Decimal, Decimal]] = field(default_factory=dict)  # invoiced, settled
    # Debtors with an invoice open on as_of whose base prescription falls by as_of + 90 days
    at_risk: set[int] = field(default_factory=set)


# The columns the arithmetic reads (plain rows: loading 100,000 ORM objects takes seconds).
INVOICE_COLUMNS = (Invoice.id, Invoice.debtor_id, Invoice.number, Invoice.issue_date,
                   Invoice.delivery_date, Invoice.due_date, Invoice.amount_ttc,
                   Invoice.contractual_rate, Invoice.goods_transport)
PAYMENT_COLUMNS = (Payment.id, Payment.debtor_id, Payment.invoice_id, Payment.date,
                   Payment.amount, Payment.kind)
DEBTOR_COLUMNS = (Debtor.id, Debtor.creditor_id, Debtor.legal_name, Debtor.kind,
                  Debtor.proceedings_kind, Debtor.proceedings_judgment_date,
                  Debtor.proceedings_bodacc_date)


def snapshot(session: Session, creditor: Creditor, as_of: date) -> Snapshot:
    """Every invoice issued and every payment made by as_of, balanced at as_of."""
    creditor_id = creditor.id
    invoices = _rows(session, select(*INVOICE_COLUMNS).where(
        Invoice.creditor_id == creditor_id, Invoice.issue_date <= as_of)
        .order_by(Invoice.due_date, Invoice.id))  # type: ignore[arg-type]
    payments = _rows(session, select(*PAYMENT_COLUMNS).where(
        Payment.creditor_id == creditor_id, Payment.date <= as_of)
        .order_by(Payment.date, Payment.id))  # type: ignore[arg-type]
    steps = _rows(session, select(Step.debtor_id, Step.kind, Step.date, Step.level,
                                  Step.end_date).where(
        Step.creditor_id == creditor_id, Step.date <= as_of))
    by_debtor: dict[int, list[Any]] = defaultdict(list)
    for invoice in invoices:
        by_debtor[invoice.debtor_id].append(invoice)
    paid_by: dict[int, list[Any]] = defaultdict(list)
    for payment in payments:
        paid_by[payment.debtor_id].append(payment)
    facts: dict[int, list[StepFact]] = defaultdict(list)
    for s in steps:  # a dispute ending after as_of was still open on as_of
        ended = s.end_date if s.end_date is not None and s.end_date <= as_of else None
        facts[s.debtor_id].append(StepFact(s.kind, s.date, s.level, ended))
    result = Snapshot(as_of, months=_months(invoices, payments))
    prescribes = _Prescribes(creditor, as_of)
    for debtor in _rows(session, select(*DEBTOR_COLUMNS).where(
            Debtor.creditor_id == creditor_id)):
        found = _balanced(session, debtor, by_debtor.get(debtor.id, []),
                          paid_by.get(debtor.id, []))
        result.invoices.extend(found)
        open_ = [i for i in found if i.balance > 0]
        if prescribes.any(debtor, by_debtor.get(debtor.id, []), {i.id for i in open_}):
            result.at_risk.add(debtor.id)
        result.debtors[debtor.id] = DebtorAt(
            debtor.id, debtor.legal_name,
            stage(facts.get(debtor.id, []), proceedings_kind=collective_on(debtor, as_of)),
            sum((i.balance for i in open_), ZERO), min((i.due_date for i in open_), default=None))
    return result


class _Prescribes:
    """Whether an open invoice may prescribe by as_of + 90 days (its base period), each
    (start, debtor kind, transport) worked out once."""

    def __init__(self, creditor: Creditor, as_of: date) -> None:
        self.creditor = creditor
        self.last = as_of + timedelta(days=risk.PRESCRIPTION_DAYS)
        self.seen: dict[tuple[date | None, date, str, bool], bool] = {}

    def any(self, debtor: Any, invoices: list[Any], open_ids: set[int]) -> bool:
        for invoice in invoices:
            if invoice.id not in open_ids:
                continue
            key = (invoice.delivery_date, invoice.issue_date, debtor.kind,
                   invoice.goods_transport)
            if key not in self.seen:
                self.seen[key] = risk.earliest_prescription(self.creditor, debtor,
                                                            invoice) <= self.last
            if self.seen[key]:
                return True
        return False


def _rows(session: Session, query: Any) -> list[Any]:
    return list(session.exec(query))


def collective_on(debtor: Any, as_of: date) -> str:
    """The collective proceedings already opened on as_of (the judgment, else the BODACC
    publication; a proceeding recorded without any date counts)."""
    if not debtor.proceedings_kind:
        return ""
    opened = debtor.proceedings_judgment_date or debtor.proceedings_bodacc_date
    return debtor.proceedings_kind if opened is None or opened <= as_of else ""


def _balanced(session: Session, debtor: Any, invoices: list[Any],
              payments: list[Any]) -> list[InvoiceAt]:
    """balances.refresh's arithmetic on the rows dated by as_of, without writing anything."""
    if not payments:
        return [InvoiceAt(inv.id, inv.debtor_id, inv.number, inv.issue_date, inv.due_date,
                          inv.amount_ttc, inv.amount_ttc, ZERO) for inv in invoices]
    figures = balances.settle(invoices, payments,
                              balances.rater(session, debtor.kind, debtor.creditor_id),
                              lambda: balances.terms_of(session, debtor))
    return [InvoiceAt(inv.id, inv.debtor_id, inv.number, inv.issue_date, inv.due_date,  # type: ignore[arg-type]
                      *figures[inv.id][1:]) for inv in invoices]


def _months(invoices: list[Any], payments: list[Any]) -> dict[date, tuple[Decimal, Decimal]]:
    """Sales invoiced and sums settled per month, by as_of (MonthFigure's definition)."""
    invoiced: dict[date, Decimal] = defaultdict(lambda: ZERO)
    settled: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for inv in invoices:
        invoiced[month_of(inv.issue_date)] += inv.amount_ttc
    for payment in payments:
        settled[month_of(payment.date)] += payment.amount
    return {m: (invoiced.get(m, ZERO), settled.get(m, ZERO)) for m in {*invoiced, *settled}}
