"""A form that takes no file never has one spooled to the temporary folder.

Starlette's form parser writes every file part of a multipart body to a temporary file, with
no limit, before the route sees it. The routes that take `Form()` parameters (`/login`,
`/api/v1/auth/token`) had FastAPI parse the whole body before any check: anyone could send
gigabytes. A page's CSRF check read the form the same way (signed in, token or not), and so
did the Cerfa upload. Files now reach the app only through the streamed uploads
(app/web/uploads.py); every other form is refused at its first file part.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.params import Form
from fastapi.routing import APIRoute
from sqlmodel import Session

from app.services.context import Actor
from app.web.deps import SESSION_COOKIE
from app.web.forms import FormRoute
from app.web.routes import API_ROUTERS, PAGE_ROUTERS
from tests.conftest import Browser
from tests.factories import make_debtor
from tests.security.test_upload_body_read_before_refusal import MB, _post


def _signed_in(client: Browser) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={client.cookies.get(SESSION_COOKIE)}"}


@pytest.mark.parametrize(("path", "status"), [("/login", 401), ("/api/v1/auth/token", 422)])
def test_an_anonymous_form_never_spools_its_file(app: FastAPI, spooled: list[int], path: str,
                                                 status: int) -> None:
    meter = _post(app, path, {})
    assert meter.status == status  # the answer the form's fields deserve, file or not
    assert sum(spooled) == 0, f"{path}: {sum(spooled) / MB:.1f} MB spooled by an anonymous form"


@pytest.mark.parametrize(("with_header", "status"), [(False, 403), (True, 422)])
def test_a_page_form_never_spools_its_file(app: FastAPI, owner_client: Browser,
                                           spooled: list[int], with_header: bool,
                                           status: int) -> None:
    headers = _signed_in(owner_client)
    if with_header:
        headers["X-CSRF-Token"] = owner_client.csrf
    meter = _post(app, "/creditor", headers)
    assert meter.status == status
    assert sum(spooled) == 0, f"{sum(spooled) / MB:.1f} MB spooled by a page's form"


def test_a_cerfa_upload_without_its_token_is_refused_before_the_file(
        app: FastAPI, owner_client: Browser, session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    meter = _post(app, f"/debtors/{debtor.id}/cerfa", _signed_in(owner_client))
    assert meter.status == 403
    assert meter.read_at_answer is not None and meter.read_at_answer < 1 * MB


def test_a_cerfa_over_its_limit_is_refused_with_its_reason(owner_client: Browser,
                                                           session: Session,
                                                           owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    response = owner_client.post(f"/debtors/{debtor.id}/cerfa",
                                 data={"form": "cerfa_12948", "csrf_token": owner_client.csrf},
                                 files={"file": ("cerfa.pdf", b"%PDF-" + bytes(6 * MB))},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "trop volumineux pour un formulaire Cerfa (5 Mo)" in response.text


def test_every_route_that_reads_form_fields_refuses_files_first() -> None:
    """FastAPI reads a `Form()` route's body before its dependencies: FormRoute must be its
    class (the router's `route_class`), or its form could spool files again."""
    routes = [route for router in PAGE_ROUTERS + API_ROUTERS for route in router.routes
              if isinstance(route, APIRoute) and route.body_field is not None
              and isinstance(route.body_field.field_info, Form)]
    assert {"/login", "/api/v1/auth/token"} <= {route.path for route in routes}
    assert [route.path for route in routes if not isinstance(route, FormRoute)] == []
