"""Security headers on every kind of response: pages, API, redirects, errors and static files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser, api_token
from tests.factories import make_debtor

Response = Any  # the test client's response (httpx2)


def directives(csp: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_secured(response: Response) -> None:
    headers = response.headers
    csp = directives(headers.get("content-security-policy", ""))
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts is not None, f"{response.url}: no script policy in the CSP"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, response.url
    assert "*" not in scripts, response.url
    assert csp.get("frame-ancestors") == ["'none'"], response.url
    assert csp.get("object-src") == ["'none'"], response.url
    assert headers.get("x-content-type-options") == "nosniff", response.url
    assert headers.get("referrer-policy") in {"same-origin", "no-referrer",
                                              "strict-origin-when-cross-origin"}, response.url


def responses(client: Browser, session: Session, owner: Actor) -> dict[str, Response]:
    """One response of each kind the app sends."""
    debtor = make_debtor(session, owner)
    anonymous = {
        "login page": client.get("/login"),
        "health": client.get("/health"),
        "static css": client.get("/static/css/app.css"),
        "static js": client.get("/static/js/htmx-2.0.11.min.js"),
        "static 404": client.get("/static/nothing-here.css"),
        "redirect to login": client.get("/debtors", follow_redirects=False),
        "API 401": client.get("/api/v1/debtors"),
        "OpenAPI schema": client.get("/api/openapi.json"),
        "API docs": client.get("/api/docs"),
    }
    headers = api_token(client, "claire@lefevre.test")
    client.login("claire@lefevre.test")
    signed_in = {
        "debtors list": client.get("/debtors"),
        "debtor page": client.get(f"/debtors/{debtor.id}"),
        "htmx fragment": client.get(f"/debtors/{debtor.id}", headers={"HX-Request": "true"}),
        "page 404": client.get("/debtors/424242"),
        "unknown URL": client.get("/nowhere"),
        "form 422": client.submit("/debtors", {"legal_name": ""}),
        "CSRF refused": client.post("/debtors", data={"legal_name": "X"}),
        "API list": client.get("/api/v1/debtors", headers=headers),
        "API 404": client.get("/api/v1/debtors/424242", headers=headers),
        "API 422": client.post("/api/v1/debtors", json={}, headers=headers),
        "API 405": client.patch("/api/v1/debtors", headers=headers),
    }
    return {**anonymous, **signed_in}


def test_every_kind_of_response_carries_the_security_headers(client: Browser, session: Session,
                                                             owner: Actor) -> None:
    seen = responses(client, session, owner)
    statuses = {name: response.status_code for name, response in seen.items()}
    assert statuses["debtor page"] == 200 and statuses["static css"] == 200
    assert statuses["page 404"] == 404 and statuses["API 401"] == 401
    assert statuses["form 422"] == 422 and statuses["API 422"] == 422
    assert statuses["CSRF refused"] == 403
    for response in seen.values():
        assert_secured(response)


def test_unexpected_error_page_carries_the_security_headers(app, session: Session,  # type: ignore[no-untyped-def]
                                                            owner: Actor,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    debtor = make_debtor(session, owner)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("app.web.routes.debtors.debtor_page", broken)
    with Browser(app, raise_server_exceptions=False) as client:
        client.login("claire@lefevre.test")
        response = client.get(f"/debtors/{debtor.id}")
    assert response.status_code == 500
    assert_secured(response)


def test_pages_load_no_inline_script(owner_client: Browser, session: Session,
                                     owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    for url in ("/debtors", f"/debtors/{debtor.id}", "/creditor", "/login"):
        html = owner_client.get(url).text
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening, f"inline <script> on {url}"
        assert " onclick=" not in html and " onload=" not in html and " onsubmit=" not in html


HttpsCase = Callable[[Browser], Response]


@pytest.mark.parametrize("request_of", [
    lambda c: c.get("/login"),
    lambda c: c.get("/static/css/app.css"),
    lambda c: c.get("/api/v1/debtors"),
    lambda c: c.get("/nowhere"),
], ids=["page", "static", "api", "error"])
def test_https_responses_carry_hsts(app, request_of: HttpsCase) -> None:  # type: ignore[no-untyped-def]
    with Browser(app, base_url="https://testserver") as client:
        response = request_of(client)
    assert_secured(response)
    hsts = response.headers.get("strict-transport-security", "")
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 15_552_000  # at least 180 days


def test_plain_http_responses_do_not_send_hsts(client: Browser) -> None:
    assert "strict-transport-security" not in client.get("/login").headers
