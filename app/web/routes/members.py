"""The creditor's members (the owner removes one) and the calendar feed's secret address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.services import members
from app.web.deps import ActorDep, SessionDep
from app.web.forms import FormRoute, row_id
from app.web.htmx import redirect
from app.web.routes.alerts import feed_token, feed_url
from app.web.templating import render

router = APIRouter(route_class=FormRoute)  # `Form()` parameters: no file


@router.get("/creditor/members", name="creditor_members")
def members_page(request: Request, actor: ActorDep, session: SessionDep) -> Response:
    token = feed_token(request, session, actor)
    return render(request, "creditor/members.html", {
        "members": members.members(session, actor), "roles": members.ROLE_LABELS,
        "is_owner": actor.role == "owner", "me": actor.user_id,
        "feed_url": feed_url(request, token)})


@router.post("/creditor/members/remove", name="creditor_remove_member")
def remove_member(request: Request, actor: ActorDep, session: SessionDep,
                  membership_id: Annotated[str, Form()] = "") -> Response:
    actor.require_owner()
    members.remove_member(session, actor, row_id(membership_id))
    return redirect(request, "/creditor/members?ok=saved")


@router.post("/creditor/calendar-token", name="creditor_calendar_token")
def regenerate_calendar_token(request: Request, actor: ActorDep, session: SessionDep) -> Response:
    members.regenerate_calendar_token(session, actor)
    return redirect(request, "/creditor/members?ok=saved")
