"""The signed-in user's own account: sessions and API tokens to revoke, password to change."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.errors import ValidationFailed
from app.models import User
from app.services import accounts, credentials
from app.web.deps import SESSION_COOKIE, LoginRequired, SessionDep, SettingsDep, Viewer, ViewerDep
from app.web.forms import FormRoute, row_id
from app.web.htmx import redirect
from app.web.templating import render

router = APIRouter(route_class=FormRoute)  # `Form()` parameters: no file


def _page(session: SessionDep, viewer: Viewer, errors: dict[str, str] | None = None
          ) -> dict[str, Any]:
    user_id = viewer.signed.user.id
    assert user_id is not None
    return {"sessions": credentials.open_sessions(session, user_id),
            "tokens": credentials.api_tokens(session, user_id),
            "current_session_id": viewer.signed.session.id, "errors": errors or {}}


@router.get("/account", name="account_security")
def account_page(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    return render(request, "auth/account.html", _page(session, viewer))


@router.post("/account/password", name="account_password")
def change_password(request: Request, session: SessionDep, settings: SettingsDep,
                    viewer: ViewerDep, current_password: Annotated[str, Form()] = "",
                    new_password: Annotated[str, Form()] = "",
                    confirm_password: Annotated[str, Form()] = "") -> Response:
    user = session.get(User, viewer.signed.user.id)
    if user is None:  # deleted since this request was checked
        raise LoginRequired
    try:
        credentials.change_password(session, user, current=current_password,
                                    new=new_password, confirm=confirm_password)
    except ValidationFailed as exc:
        session.rollback()
        return render(request, "auth/account.html", _page(session, viewer, exc.errors),
                      status_code=422)
    token, _ = accounts.open_session(session, user, settings.session_hours)  # this browser only
    response = redirect(request, "/account?ok=password")
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=settings.secure_cookies, max_age=settings.session_hours * 3600)
    return response


@router.post("/account/sessions/revoke", name="account_revoke_session")
def revoke_session(request: Request, session: SessionDep, viewer: ViewerDep,
                   session_id: Annotated[str, Form()] = "") -> Response:
    revoked = row_id(session_id)
    credentials.revoke_session(session, viewer.actor.user_id, revoked)
    if revoked == viewer.signed.session.id:
        response = redirect(request, "/login")
        response.delete_cookie(SESSION_COOKIE)
        return response
    return redirect(request, "/account?ok=revoked")


@router.post("/account/tokens/revoke", name="account_revoke_token")
def revoke_token(request: Request, session: SessionDep, viewer: ViewerDep,
                 token_id: Annotated[str, Form()] = "") -> Response:
    credentials.revoke_token(session, viewer.actor.user_id, row_id(token_id))
    return redirect(request, "/account?ok=revoked")
