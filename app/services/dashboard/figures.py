"""The portfolio's figures at a date: today's from the maintained aggregates, a past date's
from the rows dated by then (app/services/dashboard/past.py).

Amounts are balances TTC as on the debtor page. Today, no query reads every invoice or every
debtor: aging, counts and the recovery rate sum AgingDay (one row per due date), DSO reads
MonthFigure (one row per month), the funnel StageTotal; lists read at most a page of rows;
money at risk loads only the files that may hold an invoice prescribing within 90 days, and
the debtors in collective proceedings. `kept` keeps the figures per creditor revision.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import bindparam, case, func, literal
from sqlmodel import Session, col, select

from app.law.calendar import add_months
from app.law.stages import STAGES
from app.models import AgingDay, Creditor, Debtor, MonthFigure, StageTotal
from app.models.debtors import ZERO
from app.services import alerts
from app.services.dashboard import measures, past, risk
from app.services.dashboard.board import TOP, Bucket, LatePayer, Portfolio, StageRow, Week
from app.services.dashboard.build import ensure_built
from app.services.dashboard.forecast import forecast
from app.services.dashboard.kept import KeptBoards
from app.services.dashboard.risk import Risk, RiskList

__all__ = ["Bucket", "LatePayer", "Portfolio", "Risk", "RiskList", "StageRow", "Week",
           "portfolio"]


def portfolio(session: Session, creditor_id: int, as_of: date, today: date,
              kept: KeptBoards | None = None) -> Portfolio:
    """The figures at `as_of`; alerts and stages first brought up to `today`. With `kept`,
    figures computed at the creditor's current revision are served again."""
    if kept is not None:
        found = kept.get(creditor_id, revision(session, creditor_id), as_of, today)
        if found is not None:
            return found
    creditor = session.get(Creditor, creditor_id)
    assert creditor is not None
    ensure_built(session, creditor)
    alerts.refresh_stale(session, today, creditor_id=creditor_id)
    at = revision(session, creditor_id)
    board = past.portfolio(session, creditor, as_of) if as_of < today \
        else _today(session, creditor, as_of)
    if kept is not None:
        kept.put(creditor_id, at, as_of, today, board)
    return board


# Read at every render of the dashboard: built once.
REVISION = select(Creditor.revision).where(Creditor.id == bindparam("creditor_id"))


def revision(session: Session, creditor_id: int) -> int:
    """Read from the database, never from an object the session may hold from before."""
    return session.exec(REVISION, params={"creditor_id": creditor_id}).one()


def _today(session: Session, creditor: Creditor, as_of: date) -> Portfolio:
    creditor_id: int = creditor.id  # type: ignore[assignment]
    aging = _aging(session, creditor_id, as_of)
    since = add_months(as_of, -12)
    recovered, fell = session.exec(
        select(func.sum(AgingDay.paid_late), func.sum(AgingDay.fell_overdue)).where(
            AgingDay.creditor_id == creditor_id, AgingDay.due_date >= since,
            AgingDay.due_date < as_of)).one()
    recovered, fell = recovered or ZERO, fell or ZERO
    dso = measures.dso_by_month(as_of, _month_figures(session, creditor_id),
                                shown=sum((b.amount for b in aging), ZERO))
    weeks = measures.weeks(as_of)
    dues = dict(session.exec(select(AgingDay.due_date, AgingDay.amount).where(
        AgingDay.creditor_id == creditor_id, AgingDay.due_date >= weeks[0][0],
        AgingDay.due_date <= weeks[-1][1])).all())
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
        forecast=forecast(session, creditor_id, as_of, dues, past=False),
        prescription=risk.prescription(
            session, as_of, risk.prescription_candidates_today(session, creditor_id, as_of)),
        declarations=risk.declarations_today(session, creditor_id, as_of))


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
