"""The creditor's profile page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.errors import ValidationFailed
from app.services import creditors, rebalance
from app.web.deps import ActorDep, SessionDep, TodayDep
from app.web.forms import form_data
from app.web.htmx import redirect
from app.web.templating import render

router = APIRouter()


@router.get("/creditor", name="creditor_profile")
def creditor_profile(request: Request, actor: ActorDep, session: SessionDep) -> Response:
    values = creditors.form_values(creditors.get(session, actor))
    return render(request, "creditor/profile.html",
                  {"values": values, "errors": {}, "can_write": actor.can_write,
                   "kinds": creditors.KINDS})


@router.post("/creditor", name="creditor_update")
async def creditor_update(request: Request, actor: ActorDep, session: SessionDep,
                          today: TodayDep) -> Response:
    data = await form_data(request)
    before = rebalance.terms(creditors.get(session, actor))
    try:
        creditor = creditors.update(session, actor, data, today)
    except ValidationFailed as exc:
        session.rollback()
        return render(request, "creditor/profile.html",
                      {"values": data, "errors": exc.errors, "can_write": actor.can_write,
                       "kinds": creditors.KINDS}, status_code=422)
    rebalance.refresh_if_terms_moved(request.app.state.queue, creditor, before)
    return redirect(request, "/creditor?ok=saved")
