"""The API's documentation, for signed-in users: the OpenAPI schema and a Swagger UI page
served from vendored files (the app works offline and its CSP forbids inline scripts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from app.services import accounts
from app.web.deps import LoginRequired, SessionDep, viewer_of
from app.web.templating import render

router = APIRouter(include_in_schema=False)


def signed_in_or_bearer(request: Request, session: SessionDep) -> None:
    """A browser session, or an API token: the schema is for the app's users only."""
    try:
        viewer_of(request, session)
    except LoginRequired:
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ").strip() if authorization else ""
        if not token or accounts.api_bearer(session.connection(), token) is None:
            raise


@router.get("/api/openapi.json", name="openapi_schema")
def openapi_schema(request: Request, _: Annotated[None, Depends(signed_in_or_bearer)]
                   ) -> Response:
    return JSONResponse(request.app.openapi())


@router.get("/api/docs", name="api_docs")
def api_docs(request: Request, session: SessionDep) -> Response:
    viewer = viewer_of(request, session)
    return render(request, "api_docs.html", {"viewer_email": viewer.signed.user.email})
