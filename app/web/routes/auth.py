"""Login, logout and the creditor switcher."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.demo_credentials import DEMO_EMAIL, DEMO_PASSWORD
from app.services import accounts
from app.web.client import client_address
from app.web.deps import SESSION_COOKIE, SessionDep, SettingsDep, ViewerDep
from app.web.forms import FormRoute
from app.web.htmx import redirect
from app.web.templating import render

router = APIRouter(route_class=FormRoute)  # `Form()` parameters: no file


def _safe_next(target: str) -> str:
    """Only local paths: never redirect a login to another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", name="login_form")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "auth/login.html", {"demo": demo_account(request),
                                               "next": _safe_next(next), "error": "", "email": ""})


def demo_account(request: Request) -> tuple[str, str] | None:
    """The demo credentials, shown on the login page of a `serve --demo` server only."""
    return (DEMO_EMAIL, DEMO_PASSWORD) if request.app.state.settings.demo else None


CROSS_SITE = ("Connexion refusée : le formulaire envoyé ne vient pas de Contentieux. Ouvrez "
              "la page de connexion et saisissez vos identifiants.")


def cross_site(request: Request) -> bool:
    """A form posted from another site: the browser says so (Sec-Fetch-Site), or its Origin
    is not this host. Clients that send neither (scripts, old browsers) are not refused."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is not None and urlsplit(origin).netloc != request.headers.get("host", "")


@router.post("/login", name="login")
def login(request: Request, session: SessionDep, settings: SettingsDep,
          email: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/") -> Response:
    if cross_site(request):  # login CSRF: signing a victim into the attacker's account
        return render(request, "auth/login.html",
                      {"demo": demo_account(request), "next": _safe_next(next), "email": email,
                       "error": CROSS_SITE}, status_code=403)
    try:
        user = accounts.authenticate(session, email, password,
                                     client_address(request, settings.trusted_proxies))
    except accounts.LoginThrottled as exc:
        return render(request, "auth/login.html",
                      {"demo": demo_account(request), "next": _safe_next(next),
                       "error": exc.message, "email": email},
                      status_code=429)
    if user is None:
        return render(request, "auth/login.html",
                      {"demo": demo_account(request), "next": _safe_next(next), "email": email,
                       "error": "Adresse e-mail ou mot de passe incorrect."}, status_code=401)
    accounts.close_session(session, request.cookies.get(SESSION_COOKIE))
    token, _ = accounts.open_session(session, user, settings.session_hours)
    response = redirect(request, _safe_next(next))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=settings.secure_cookies, max_age=settings.session_hours * 3600)
    return response


@router.post("/logout", name="logout")
def logout(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    accounts.close_session(session, request.cookies.get(SESSION_COOKIE))
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/switch-creditor", name="switch_creditor")
def switch_creditor(request: Request, session: SessionDep, viewer: ViewerDep,
                    creditor_id: Annotated[int, Form()]) -> Response:
    accounts.switch_creditor(session, viewer.signed, creditor_id)
    return redirect(request, "/debtors")
