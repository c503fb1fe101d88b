"""The portfolio dashboard ("Tableau de bord"): one creditor, all of a user's creditors, and
every table of it as CSV or XLSX."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from app.errors import NotFound, ValidationFailed
from app.services import accounts
from app.services.dashboard import export, figures
from app.services.dashboard.figures import Portfolio
from app.services.dashboard.kept import KeptBoards, of_app
from app.services.dashboard.measures import read_as_of
from app.services.dashboard.risk import PRESCRIPTION_DAYS
from app.web import dashboard_charts
from app.web.deps import ActorDep, SessionDep, TodayDep
from app.web.page_cache import cached_page
from app.web.templating import render, templates

router = APIRouter()
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _chosen(as_of: str, today: date) -> tuple[date, str]:
    """The date asked for, or today with the reason the text was refused."""
    try:
        return read_as_of(as_of, today), ""
    except ValidationFailed as exc:
        return today, exc.errors["as_of"]


def page_context(board: Portfolio, as_of_text: str, error: str, today: date,
                 kept: KeptBoards) -> dict[str, Any]:
    """The page's context; its figures, charts and tables are made once per kept board."""
    query = "" if board.as_of == today else f"as_of={board.as_of.isoformat()}"

    def body() -> Markup:
        return Markup(templates.env.get_template("dashboard/board.html").render(
            board=board, charts=dashboard_charts.charts(board, query), query=query,
            ninety=timedelta(days=PRESCRIPTION_DAYS)))

    return {"board": board, "as_of_text": as_of_text or board.as_of.isoformat(), "error": error,
            "body": kept.made(board, f"page?{query}", body)}


@router.get("/dashboard", name="dashboard")
async def dashboard(request: Request, actor: ActorDep, session: SessionDep, today: TodayDep,
                    as_of: str = "") -> Response:
    chosen, error = _chosen(as_of, today)

    def render_page() -> Response:
        kept = of_app(request.app.state)
        board = figures.portfolio(session, actor.creditor_id, chosen, today, kept)
        context = page_context(board, as_of, error, today, kept)
        context["many"] = len(request.state.viewer.signed.memberships) > 1
        return render(request, "dashboard/portfolio.html", context)

    return await cached_page(request, today, render_page, session=session)


@router.get("/dashboard/creditors", name="dashboard_creditors")
def dashboard_creditors(request: Request, actor: ActorDep, session: SessionDep,
                        today: TodayDep, as_of: str = "") -> Response:
    """One row per creditor the user works for (not kept: it spans several revisions)."""
    chosen, error = _chosen(as_of, today)
    kept = of_app(request.app.state)
    boards = [figures.portfolio(session, creditor.id, chosen, today, kept)  # type: ignore[arg-type]
              for _, creditor in accounts.memberships_of(session, actor.user_id)]
    return render(request, "dashboard/creditors.html", {
        "boards": boards, "as_of": chosen, "as_of_text": as_of or chosen.isoformat(),
        "error": error, "table": export.creditors_table(boards),
        "total": {"outstanding": sum(b.outstanding for b in boards),
                  "overdue": sum(b.overdue for b in boards),
                  "debtors": sum(b.debtors for b in boards)}})


@router.get("/dashboard/export/{name}.{fmt}", name="dashboard_export")
def dashboard_export(request: Request, name: str, fmt: str, actor: ActorDep,
                     session: SessionDep, today: TodayDep, as_of: str = "") -> Response:
    chosen, _ = _chosen(as_of, today)
    kept = of_app(request.app.state)
    if fmt not in FORMATS:
        raise NotFound("Format")
    if name == "creanciers":
        table = export.creditors_table([
            figures.portfolio(session, creditor.id, chosen, today, kept)  # type: ignore[arg-type]
            for _, creditor in accounts.memberships_of(session, actor.user_id)])
    else:
        found = export.tables(figures.portfolio(session, actor.creditor_id, chosen, today, kept))
        if name not in found:
            raise NotFound("Tableau")
        table = found[name]
    body = export.to_csv(table) if fmt == "csv" else export.to_xlsx(table)
    filename = f"{name}-{chosen.isoformat()}.{fmt}"
    return Response(body, media_type=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
