"""The portfolio's figures at a date, read from the maintained aggregates and indexed rows.

Amounts are balances TTC as on the debtor page. No query here reads every invoice or every
debtor: aging, counts and the recovery rate sum AgingDay (one row per due date), DSO reads
MonthFigure (one row per month), the funnel StageTotal; lists read at most a page of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, func, literal
from sqlmodel import Session, col, select

from app.law.calendar import add_months
from app.law.stages import STAGES
from app.models import AgingDay, AlertEntry, Creditor, Debtor, MonthFigure, StageTotal, Step
from app.models.debtors import ZERO
from app.services import alerts
from app.services.dashboard import measures
from app.services.dashboard.build import ensure_built

TOP = 10
PRESCRIPTION_DAYS, DECLARATION_DAYS = 90, 30


@dataclass(frozen=True)
class Bucket:
    code: str
    label: str
    amount: Decimal
    invoices: int
    debtors: int  # debtors whose oldest open invoice falls in the bucket


@dataclass(frozen=True)
class StageRow:
    code: str
    label: str
    amount: Decimal
    debtors: int


@dataclass(frozen=True)
class LatePayer:
    debtor_id: int
    name: str
    days_late: int
    outstanding: Decimal
    stage: str


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    invoices: Decimal  # open balances falling due that week
    plans: Decimal  # payment-plan instalments due that week
    total: Decimal


@dataclass(frozen=True)
class Risk:
    debtor_id: int
    name: str
    date: date
    amount: Decimal  # the debtor's outstanding


@dataclass(frozen=True)
class RiskList:
    rows: list[Risk]  # the nearest first, at most TOP
    debtors: int
    amount: Decimal


@dataclass(frozen=True)
class Portfolio:
    creditor_id: int
    creditor_name: str
    as_of: date
    outstanding: Decimal
    overdue: Decimal
    debtors: int
    invoices: int
    aging: list[Bucket]
    dso_days: Decimal
    dso_by_month: list[tuple[date, Decimal]]
    stages: list[StageRow]
    recovery_since: date  # invoices due from this day to the day before as_of
    recovered: Decimal
    fell_overdue: Decimal
    recovery_rate: Decimal | None
    average_days_late: Decimal | None
    top_late_payers: list[LatePayer]
    forecast: list[Week]
    prescription: RiskList
    declarations: RiskList


def portfolio(session: Session, creditor_id: int, as_of: date, today: date) -> Portfolio:
    """The figures at `as_of`; stages and alerts first brought up to `today`."""
    creditor = session.get(Creditor, creditor_id)
    assert creditor is not None
    ensure_built(session, creditor)
    alerts.refresh_stale(session, today, creditor_id=creditor_id)
    aging = _aging(session, creditor_id, as_of)
    since = add_months(as_of, -12)
    recovered, fell = session.exec(
        select(func.sum(AgingDay.paid_late), func.sum(AgingDay.fell_overdue)).where(
            AgingDay.creditor_id == creditor_id, AgingDay.due_date >= since,
            AgingDay.due_date < as_of)).one()
    recovered, fell = recovered or ZERO, fell or ZERO
    dso = measures.dso_by_month(as_of, _month_figures(session, creditor_id))
    return Portfolio(
        creditor_id, creditor.legal_name, as_of,
        outstanding=sum((b.amount for b in aging), ZERO),
        overdue=sum((b.amount for b in aging if b.code != "not_due"), ZERO),
        debtors=sum(b.debtors for b in aging), invoices=sum(b.invoices for b in aging),
        aging=aging, dso_days=dso[-1][1], dso_by_month=dso,
        stages=_stages(session, creditor_id), recovery_since=since, recovered=recovered,
        fell_overdue=fell,
        recovery_rate=measures.rate(recovered, fell),
        average_days_late=_average_days_late(session, creditor_id, as_of),
        top_late_payers=_late_payers(session, creditor_id, as_of),
        forecast=_forecast(session, creditor_id, as_of),
        prescription=_risks(session, creditor_id, "prescription", as_of, PRESCRIPTION_DAYS),
        declarations=_risks(session, creditor_id, "declaration_creance", as_of,
                            DECLARATION_DAYS))


def _aging(session: Session, creditor_id: int, as_of: date) -> list[Bucket]:
    """One grouped sum over the creditor's AgingDay rows (one per due date)."""
    whens = [(col(AgingDay.due_date) >= first, code) for code, (first, _) in
             ((c, measures.due_range(c, as_of)) for c in measures.BUCKETS) if first is not None]
    bucket = case(*whens, else_="180+")
    sums = {code: (amount, invoices, debtors) for code, amount, invoices, debtors in session.exec(
        select(bucket, func.sum(AgingDay.amount), func.sum(AgingDay.invoices),
               func.sum(AgingDay.debtors))
        .where(AgingDay.creditor_id == creditor_id).group_by(bucket)).all()}
    return [Bucket(code, label, *sums.get(code, (ZERO, 0, 0))) for code, label in
            measures.BUCKETS.items()]


def _average_days_late(session: Session, creditor_id: int, as_of: date) -> Decimal | None:
    """Mean over the debtors with an overdue invoice of as_of − their oldest due date, summed
    in the database (one row per due date)."""
    if session.get_bind().dialect.name == "postgresql":
        days: Any = literal(as_of) - col(AgingDay.due_date)
    else:
        days = func.julianday(literal(as_of.isoformat())) - func.julianday(AgingDay.due_date)
    weighted, debtors = session.exec(
        select(func.sum(AgingDay.debtors * days), func.sum(AgingDay.debtors)).where(
            AgingDay.creditor_id == creditor_id, AgingDay.due_date < as_of)).one()
    if not debtors:
        return None
    return (Decimal(str(weighted)) / debtors).quantize(measures.TENTH, rounding=ROUND_HALF_UP)


def _month_figures(session: Session, creditor_id: int) -> dict[date, tuple[Decimal, Decimal]]:
    return {row.month: (row.invoiced, row.settled) for row in session.exec(
        select(MonthFigure).where(MonthFigure.creditor_id == creditor_id))}


def _stages(session: Session, creditor_id: int) -> list[StageRow]:
    rows = {row.stage: row for row in session.exec(
        select(StageTotal).where(StageTotal.creditor_id == creditor_id))}
    return [StageRow(code, label, rows[code].amount if code in rows else ZERO,
                     rows[code].debtors if code in rows else 0) for code, label in STAGES.items()]


def _late_payers(session: Session, creditor_id: int, as_of: date) -> list[LatePayer]:
    rows = session.exec(
        select(Debtor.id, Debtor.legal_name, Debtor.oldest_due_date, Debtor.outstanding,
               Debtor.stage)
        .where(Debtor.creditor_id == creditor_id, col(Debtor.oldest_due_date) < as_of)
        .order_by(col(Debtor.oldest_due_date), col(Debtor.id)).limit(TOP))
    return [LatePayer(d_id, name, (as_of - due).days, amount, STAGES.get(stage, stage))  # type: ignore[arg-type, operator]
            for d_id, name, due, amount, stage in rows]


def _forecast(session: Session, creditor_id: int, as_of: date) -> list[Week]:
    weeks = measures.weeks(as_of)
    days = dict(session.exec(select(AgingDay.due_date, AgingDay.amount).where(
        AgingDay.creditor_id == creditor_id, AgingDay.due_date >= weeks[0][0],
        AgingDay.due_date <= weeks[-1][1])).all())
    plans = dict(session.exec(
        select(Step.date, func.sum(Step.amount)).where(
            Step.creditor_id == creditor_id, Step.kind == "payment_plan",
            Step.date >= weeks[0][0], Step.date <= weeks[-1][1]).group_by(Step.date)).all())
    result = []
    for start, end in weeks:
        invoices = sum((a for d, a in days.items() if start <= d <= end), ZERO)
        planned = sum((a or ZERO for d, a in plans.items() if start <= d <= end), ZERO)
        result.append(Week(start, end, invoices, planned, invoices + planned))
    return result


def _risks(session: Session, creditor_id: int, key: str, as_of: date, within: int) -> RiskList:
    last = as_of + timedelta(days=within)
    where = (AlertEntry.creditor_id == creditor_id, AlertEntry.key == key,
             AlertEntry.date >= as_of, AlertEntry.date <= last)
    joined = select(AlertEntry.debtor_id, Debtor.legal_name, AlertEntry.date, Debtor.outstanding) \
        .join(Debtor, col(Debtor.id) == AlertEntry.debtor_id).where(*where)
    count, amount = session.exec(
        select(func.count(), func.sum(Debtor.outstanding)).select_from(AlertEntry)
        .join(Debtor, col(Debtor.id) == AlertEntry.debtor_id).where(*where)).one()
    rows = session.exec(joined.order_by(AlertEntry.date, AlertEntry.debtor_id).limit(TOP))  # type: ignore[arg-type]
    return RiskList([Risk(*row) for row in rows], count, amount or ZERO)

