"""Settings: the rate tables in force, and administrators' corrections."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import select

from app.errors import ValidationFailed
from app.models import RateOverride, User
from app.services import rate_admin, rebalance
from app.services.rates import current_rates
from app.web.deps import ActorDep, SessionDep
from app.web.forms import form_data
from app.web.htmx import redirect
from app.web.templating import render

router = APIRouter()


def _page(request: Request, session: SessionDep, actor: ActorDep, values: dict[str, str],
          errors: dict[str, str], status_code: int = 200) -> Response:
    user = session.get(User, actor.user_id)
    corrections = list(session.exec(select(RateOverride).order_by(
        RateOverride.created_at.desc())))  # type: ignore[attr-defined]
    return render(request, "settings/rates.html", {
        "rates": current_rates(session), "corrections": corrections, "values": values,
        "errors": errors, "is_admin": bool(user and user.is_admin),
        "tables": rate_admin.TABLES, "statuses": rate_admin.STATUSES,
        "semester_label": rate_admin.semester_fr, "note_fr": rate_admin.note_fr}, status_code=status_code)


@router.get("/settings/rates", name="rates_settings")
def rates_settings(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _page(request, session, actor, {"table_name": "legal", "status": "V"}, {})


@router.post("/settings/rates", name="rates_correct")
async def rates_correct(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    data = await form_data(request)
    try:
        rate_admin.add_override(session, actor, data)
    except ValidationFailed as exc:
        session.rollback()
        return _page(request, session, actor, data, exc.errors, status_code=422)
    rebalance.refresh_all_later(request.app.state.queue, session)
    return redirect(request, "/settings/rates?ok=saved")
