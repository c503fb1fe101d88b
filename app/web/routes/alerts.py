"""The creditor-wide deadlines dashboard and its calendar feed (secret URL token)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.services import alerts, calendar_feed
from app.services.context import Actor
from app.web.deps import ActorDep, SessionDep, TodayDep
from app.web.kept_rows import KeptRows
from app.web.page_cache import cached_page
from app.web.templating import render, templates

router = APIRouter()
FEED_PATH = "/calendar/{token}.ics"


def _row_values(row: alerts.DashboardRow) -> tuple[object, ...]:
    entry, debtor = row.entry, row.debtor
    return (entry.date, entry.severity, entry.title, entry.action, entry.article, debtor.id,
            debtor.legal_name, debtor.outstanding, row.days_left)


# A row shows an alert and its debtor's name and balance: kept for those values.
ROWS = KeptRows("alerts/_row.html", _row_values, constants={"severities": alerts.LEVEL_LABELS})


@router.get("/alerts", name="alerts_dashboard")
async def alerts_dashboard(request: Request, actor: ActorDep, session: SessionDep,
                           today: TodayDep, severity: str = "", key: str = "", q: str = "",
                           page: int = 1) -> Response:
    def render_page() -> Response:
        board = alerts.dashboard(session, actor, today, severity=severity, key=key, query=q,
                                 page=page)
        token = feed_token(request, session, actor)
        return render(request, "alerts/dashboard.html",
                      {"board": board, "rows": ROWS.render(templates.env, board.rows),
                       "severity": severity, "key": key, "q": q, "today": today,
                       "severities": alerts.LEVEL_LABELS, "keys": alerts.KEY_LABELS,
                       "feed_url": feed_url(request, token)},
                      block="alert_table")

    return await cached_page(request, today, render_page, session=session)


def feed_token(request: Request, session: Session, actor: Actor) -> str:
    """The creditor's feed token, read with who is signed in (made the first time)."""
    return request.state.viewer.creditor.calendar_token or calendar_feed.token_of(session, actor)


def feed_url(request: Request, token: str) -> str:
    """The feed's address, as `request.url_for("calendar_feed", …)` gives it, without
    looking the route up among all of them at each render (a third of a millisecond)."""
    return str(request.base_url).rstrip("/") + FEED_PATH.format(token=token)


@router.get(FEED_PATH, name="calendar_feed")
def calendar(token: str, session: SessionDep, today: TodayDep) -> Response:
    body = calendar_feed.feed(session, token, today)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})
