"""GET /api/v1/alerts: the dashboard's alerts, sorted by date, filterable."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from app.services import alerts
from app.web.api.deps import ApiActor
from app.web.api.schemas import Amount
from app.web.deps import SessionDep, TodayDep

router = APIRouter(prefix="/api/v1", tags=["échéances"])


class AlertOut(BaseModel):
    debtor_id: int
    debtor: str
    key: str
    date: date
    days_left: int
    severity: str  # what the user must do: app.law.severity.LEVEL_LABELS
    severity_label: str
    title: str
    consequence: str
    article: str
    action: str


class AlertsOut(BaseModel):
    as_of: date
    outstanding: Amount
    alerts: list[AlertOut]


@router.get("/alerts", response_model=AlertsOut, name="api_alerts")
def list_alerts(actor: ApiActor, session: SessionDep, today: TodayDep, severity: str = "",
                key: str = "", q: str = "") -> AlertsOut:
    board = alerts.dashboard(session, actor, today, severity=severity, key=key, query=q,
                             page_size=None)
    return AlertsOut(as_of=today, outstanding=board.outstanding, alerts=[
        AlertOut(debtor_id=r.debtor.id, debtor=r.debtor.legal_name, key=r.entry.key,  # type: ignore[arg-type]
                 date=r.entry.date, days_left=r.days_left, severity=r.entry.severity,
                 severity_label=alerts.LEVEL_LABELS.get(r.entry.severity, r.entry.severity),
                 title=r.entry.title, consequence=r.entry.consequence, article=r.entry.article,
                 action=r.entry.action) for r in board.rows])
