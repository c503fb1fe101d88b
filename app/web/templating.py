"""Jinja environment and `render()`: the full page for navigation, a block for htmx swaps."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from jinja2_fragments.fastapi import Jinja2Blocks

from app import vocabulary
from app.jinja import strict_environment
from app.web.form_controls import form_controls
from app.web.htmx import is_fragment_request
from app.web.page_marks import CSRF_MARK, EMAIL_MARK, KEPT_STATE


def make_environment() -> Environment:
    env = strict_environment()
    env.globals["vocabulary"] = vocabulary
    env.globals.update(form_controls(env))  # field, select…: templates/_macros.html, kept
    return env


templates = Jinja2Blocks(env=make_environment())


def page_globals(request: Request) -> dict[str, Any]:
    """What every page's layout needs: the signed-in user, creditor switcher, CSRF token.
    A page meant to be kept for the whole team gets marks instead of the user's own values
    (app/web/page_cache.py puts them in at send time)."""
    viewer = getattr(request.state, "viewer", None)
    kept = getattr(request.state, KEPT_STATE, False)
    csrf_token = CSRF_MARK if kept else viewer.csrf_token if viewer else ""
    email = EMAIL_MARK if kept else viewer.signed.user.email if viewer else ""
    settings = request.app.state.settings
    return {"viewer": viewer, "csrf_token": csrf_token, "user_email": email,
            "flash": request.query_params.get("ok", ""),
            # what the upload form tells the browser (the server refuses more all the same)
            "upload_limit": {"mb": settings.max_upload_mb, "bytes": settings.max_upload_bytes}}


def render(request: Request, name: str, context: dict[str, Any], *, block: str | None = None,
           status_code: int = 200) -> HTMLResponse:
    """Full page for navigation and history restores; only `block` when htmx swaps part."""
    fragment = block if block and is_fragment_request(request) else None
    full_context = {**page_globals(request), **context}
    response = templates.TemplateResponse(request, name, full_context, status_code=status_code,
                                          block_name=fragment)
    if block:
        response.headers.append("Vary", "HX-Request")
    return response  # type: ignore[return-value]
