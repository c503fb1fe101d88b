"""The creditor's profile page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.errors import ValidationFailed
from app.services import creditors
from app.web.deps import ActorDep, SessionDep
from app.web.forms import form_data
from app.web.htmx import redirect
from app.web.templating import render

router = APIRouter()


@router.get("/creditor", name="creditor_profile")
def creditor_profile(request: Request, actor: ActorDep, session: SessionDep) -> Response:
    creditor = creditors.get(session, actor)
    values = {k: ("" if v is None else v) for k, v in creditor.model_dump().items()}
    return render(request, "creditor/profile.html",
                  {"values": values, "errors": {}, "can_write": actor.can_write})


@router.post("/creditor", name="creditor_update")
async def creditor_update(request: Request, actor: ActorDep, session: SessionDep) -> Response:
    data = await form_data(request)
    try:
        creditors.update(session, actor, data)
    except ValidationFailed as exc:
        session.rollback()
        return render(request, "creditor/profile.html",
                      {"values": data, "errors": exc.errors, "can_write": actor.can_write},
                      status_code=422)
    return redirect(request, "/creditor?ok=saved")
