"""GET /api/v1/dashboard: the portfolio dashboard's figures at a date (default today)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.services.dashboard import figures
from app.services.dashboard.kept import of_app
from app.services.dashboard.measures import read_as_of
from app.web.api.deps import ApiActor, creditor_revision
from app.web.api.schemas import Amount
from app.web.deps import SessionDep, TodayDep, at_the_database

router = APIRouter(prefix="/api/v1", tags=["tableau de bord"])


class AgingOut(BaseModel):
    bucket: str  # not_due | 1-30 | 31-60 | 61-90 | 91-180 | 180+
    amount: Amount
    invoices: int
    debtors: int  # debtors whose oldest open invoice falls in the bucket


class DsoMonthOut(BaseModel):
    month: str  # YYYY-MM
    dso_days: str


class StageOut(BaseModel):
    stage: str
    label: str
    amount: Amount
    debtors: int


class LatePayerOut(BaseModel):
    debtor_id: int
    debtor: str
    days_late: int
    outstanding: Amount
    stage: str


class WeekOut(BaseModel):
    start: date
    end: date
    invoices: Amount
    plans: Amount
    promises: Amount  # open promises to pay (at a past date: those made by then)
    total: Amount


class RiskOut(BaseModel):
    debtor_id: int
    debtor: str
    date: date  # the nearest deadline
    amount: Amount  # prescription: the balances at risk; déclaration: what the debtor owes
    invoices: list[str]  # prescription: the invoices whose deadline falls in the window


class RiskListOut(BaseModel):
    amount: Amount
    debtors: int
    nearest: list[RiskOut]


class AtRiskOut(BaseModel):
    prescription_90_days: RiskListOut
    declarations_30_days: RiskListOut


class DashboardOut(BaseModel):
    as_of: date
    past: bool  # before today: rebuilt from the rows dated by as_of
    notes: list[str]  # what the figures at a past date can and cannot know
    outstanding: Amount
    overdue: Amount
    debtors: int
    invoices: int
    aging: list[AgingOut]
    dso_days: str
    dso_by_month: list[DsoMonthOut]
    stages: list[StageOut]
    recovery_rate: str | None  # per cent, one decimal; null when nothing fell overdue
    average_days_late: str | None
    top_late_payers: list[LatePayerOut]
    forecast: list[WeekOut]
    at_risk: AtRiskOut


def _risks(risks: figures.RiskList) -> RiskListOut:
    return RiskListOut(amount=risks.amount, debtors=risks.debtors, nearest=[
        RiskOut(debtor_id=r.debtor_id, debtor=r.name, date=r.date, amount=r.amount,
                invoices=list(r.invoices)) for r in risks.rows])


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@router.get("/dashboard", response_model=DashboardOut, name="api_dashboard")
async def dashboard(request: Request, actor: ApiActor, session: SessionDep, today: TodayDep,
                    as_of: str = "") -> Response:
    """The JSON of figures kept at the creditor's revision is made once (app/services/
    dashboard/kept.py): at the revision read with the bearer, the bytes are sent without
    another statement or a worker thread; else the figures are computed (or found kept)."""
    kept, day = of_app(request.app.state), read_as_of(as_of, today)
    board = kept.get(actor.creditor_id, creditor_revision(request), day, today)
    if board is None:
        board = await at_the_database(session, figures.portfolio, session, actor.creditor_id,
                                      day, today, kept)
    body = kept.made(board, "api", lambda: out(board).model_dump_json().encode())
    return Response(body, media_type="application/json")


def out(board: figures.Portfolio) -> DashboardOut:
    return DashboardOut(
        as_of=board.as_of, past=board.past, notes=list(board.notes),
        outstanding=board.outstanding, overdue=board.overdue,
        debtors=board.debtors, invoices=board.invoices,
        aging=[AgingOut(bucket=b.code, amount=b.amount, invoices=b.invoices, debtors=b.debtors)
               for b in board.aging],
        dso_days=str(board.dso_days),
        dso_by_month=[DsoMonthOut(month=m.strftime("%Y-%m"), dso_days=str(d))
                      for m, d in board.dso_by_month],
        stages=[StageOut(stage=s.code, label=s.label, amount=s.amount, debtors=s.debtors)
                for s in board.stages],
        recovery_rate=_text(board.recovery_rate),
        average_days_late=_text(board.average_days_late),
        top_late_payers=[LatePayerOut(debtor_id=p.debtor_id, debtor=p.name, days_late=p.days_late,
                                      outstanding=p.outstanding, stage=p.stage)
                         for p in board.top_late_payers],
        forecast=[WeekOut(start=w.start, end=w.end, invoices=w.invoices, plans=w.plans,
                          promises=w.promises, total=w.total) for w in board.forecast],
        at_risk=AtRiskOut(prescription_90_days=_risks(board.prescription),
                          declarations_30_days=_risks(board.declarations)))
