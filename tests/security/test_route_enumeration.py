"""Access control proven by enumeration: every route of `app.routes`, called as each member of the cast.

No route is named here: a route added later is walked the same way. Each test collects every
failing route and reports them all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.services.context import Actor
from tests.conftest import Browser, api_token
from tests.security import rich_file
from tests.security.routes import Endpoint, api_body, changed, endpoints, page_body, snapshot

FORM_PAGE_SUFFIXES = ("/edit", "/new")  # forms to change something: a reader may be refused them


@pytest.fixture
def lefevre(session: Session, owner: Actor, settings: Settings, engine: Engine) -> dict[str, int]:
    """Creditor A's full file; the ids every `{…_id}` of a path is filled from."""
    rich_file.build(session, owner, settings)
    return rich_file.object_ids(engine, owner.creditor_id)


@pytest.fixture
def signed_in(app: FastAPI) -> Iterator[Any]:
    """Open a separate browser per member of the cast, signed in."""
    browsers: list[Browser] = []

    def open_as(email: str) -> Browser:
        browser = Browser(app)
        browser.__enter__()
        browsers.append(browser)
        return browser.login(email)

    yield open_as
    for browser in browsers:
        browser.__exit__(None, None, None)


def ordered(found: list[Endpoint]) -> list[Endpoint]:
    """Reads first, deletions last: a wrongly accepted write spoils as little as possible."""
    rank = {"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}
    return sorted(found, key=lambda e: (rank.get(e.method, 1), e.path))


def call(browser: Browser, app: FastAPI, endpoint: Endpoint, url: str, *,
         csrf: str | None = None, bearer: dict[str, str] | None = None,
         headers: dict[str, str] | None = None) -> Any:
    """Send what a browser form (pages) or an API client (under /api/) would send."""
    all_headers = {**(headers or {}), **(bearer or {})}
    if endpoint.method == "GET":
        return browser.get(url, headers=all_headers, follow_redirects=False)
    if endpoint.is_api:
        body = api_body(app.openapi(), endpoint)
    else:
        body = page_body(endpoint, csrf)
        if csrf is not None:
            all_headers.setdefault("X-CSRF-Token", csrf)
    return browser.request(endpoint.method, url, headers=all_headers, follow_redirects=False,
                           **body.kwargs())


def test_the_enumeration_sees_pages_api_and_object_routes(app: FastAPI) -> None:
    found = endpoints(app)
    assert any(e.is_api and e.id_params and e.changes_state for e in found)
    assert any(not e.is_api and e.id_params and e.changes_state for e in found)
    assert any(not e.is_api and e.id_params and e.method == "GET" for e in found)
    assert any(e.path.startswith("/static") for e in found)
    assert len(found) >= 40


def test_anonymous_visitors_are_sent_to_login_or_refused_on_every_route(
        app: FastAPI, client: Browser) -> None:
    failures = []
    for endpoint in endpoints(app):
        if endpoint.is_public:
            continue
        url = endpoint.url({}, default_id=1)
        response = call(client, app, endpoint, url)
        status, location = response.status_code, response.headers.get("location", "")
        if endpoint.is_calendar_feed:
            if status != 404:
                failures.append(f"{endpoint}: {status} for a wrong calendar token (want 404)")
        elif endpoint.is_api:
            if status != 401:
                failures.append(f"{endpoint}: {status} (want 401)")
        elif status == 303 and not location.startswith("/login"):
            onward = client.get(location, follow_redirects=False)  # e.g. / → /debtors → /login
            if onward.status_code != 303 or not onward.headers["location"].startswith("/login"):
                failures.append(f"{endpoint}: redirects to {location}, which does not ask to log in")
        elif status != 303 or not location.startswith("/login"):
            failures.append(f"{endpoint}: {status} {location} (want 303 to /login)")
    assert not failures, "\n".join(failures)


def test_public_routes_answer_without_a_session(app: FastAPI, client: Browser) -> None:
    for endpoint in endpoints(app):
        if endpoint.is_public and endpoint.method == "GET":
            response = client.get(endpoint.url({}), follow_redirects=False)
            assert response.status_code == 200, endpoint


def test_a_member_of_another_creditor_gets_404_on_every_object_of_creditor_a(
        app: FastAPI, engine: Engine, settings: Settings, lefevre: dict[str, int],
        outsider: Actor, signed_in: Any) -> None:
    owner_browser = signed_in("claire@lefevre.test")
    outsider_browser = signed_in("paul@roux.test")
    outsider_api = api_token(outsider_browser, "paul@roux.test")
    targets = [e for e in ordered(endpoints(app))
               if e.id_params and not e.is_public and not e.is_calendar_feed]
    assert targets
    failures = []
    for endpoint in targets:  # the ids are A's real objects: A's owner reaches them
        if endpoint.method == "GET":
            status = call(owner_browser, app, endpoint, endpoint.url(lefevre),
                          bearer=api_token(owner_browser, "claire@lefevre.test")
                          if endpoint.is_api else None).status_code
            if status == 404 or status >= 500:
                failures.append(f"{endpoint}: {status} for A's own owner: the fixture misses it")
    before = snapshot(engine, settings.files_dir)
    for endpoint in targets:
        response = call(outsider_browser, app, endpoint, endpoint.url(lefevre),
                        csrf=outsider_browser.csrf, bearer=outsider_api if endpoint.is_api else None)
        if response.status_code != 404:
            failures.append(f"{endpoint}: {response.status_code} for creditor B (want 404)")
        elif "Durand" in response.text:
            failures.append(f"{endpoint}: the 404 shows A's debtor name")
    after = snapshot(engine, settings.files_dir)
    assert not failures, "\n".join(failures)
    assert not changed(before, after), f"creditor B changed {changed(before, after)}"


def test_a_read_only_member_reads_every_page_but_every_change_is_refused_with_403(
        app: FastAPI, engine: Engine, settings: Settings, lefevre: dict[str, int],
        reader: Actor, signed_in: Any) -> None:
    browser = signed_in("lea@lefevre.test")
    bearer = api_token(browser, "lea@lefevre.test")
    failures = []
    reads = writes = 0
    found = [e for e in ordered(endpoints(app)) if not e.is_public and not e.is_calendar_feed]
    for endpoint in found:
        if endpoint.method != "GET":
            continue
        response = call(browser, app, endpoint, endpoint.url(lefevre), bearer=bearer)
        status = response.status_code
        refusable = endpoint.path.endswith(FORM_PAGE_SUFFIXES) and not endpoint.is_api
        if status >= 400 and not (refusable and status == 403):
            failures.append(f"{endpoint}: {status} for a read-only member (want to read it)")
        reads += 1
    before = snapshot(engine, settings.files_dir)
    for endpoint in found:
        if not endpoint.changes_state or endpoint.is_session_route or endpoint.is_calculator:
            continue
        response = call(browser, app, endpoint, endpoint.url(lefevre), csrf=browser.csrf,
                        bearer=bearer)
        if response.status_code != 403:
            failures.append(f"{endpoint}: {response.status_code} for a read-only member (want 403)")
        writes += 1
    after = snapshot(engine, settings.files_dir)
    assert reads > 10 and writes > 10
    assert not failures, "\n".join(failures)
    assert not changed(before, after), f"the read-only member changed {changed(before, after)}"


def test_every_state_changing_page_route_refuses_a_missing_or_wrong_csrf_token(
        app: FastAPI, engine: Engine, settings: Settings, lefevre: dict[str, int],
        signed_in: Any) -> None:
    browser = signed_in("claire@lefevre.test")
    targets = [e for e in endpoints(app)
               if e.changes_state and not e.is_api and not e.is_public and not e.is_calendar_feed]
    assert targets
    failures = []
    before = snapshot(engine, settings.files_dir)
    for endpoint in targets:
        url = endpoint.url(lefevre)
        missing = call(browser, app, endpoint, url)
        wrong = call(browser, app, endpoint, url, csrf="not-the-token",
                     headers={"HX-Request": "true"})
        for label, response in (("no token", missing), ("a wrong htmx token", wrong)):
            if response.status_code != 403:
                failures.append(f"{endpoint}: {response.status_code} with {label} (want 403)")
    after = snapshot(engine, settings.files_dir)
    assert not failures, "\n".join(failures)
    assert not changed(before, after), f"requests without the token changed {changed(before, after)}"
    assert browser.get("/creditor").status_code == 200  # not even logged out
