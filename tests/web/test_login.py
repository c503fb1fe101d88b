"""Signing in and out; every page but login, health and static requires a session."""

from __future__ import annotations

from app.services.context import Actor
from tests.conftest import Browser


def test_anonymous_page_redirects_to_login(client: Browser) -> None:
    response = client.get("/debtors", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/debtors"


def test_anonymous_api_gets_401(client: Browser) -> None:
    response = client.get("/api/v1/debtors")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_health_and_static_need_no_session(client: Browser) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/static/css/app.css").status_code == 200


def test_wrong_password_shows_french_message(client: Browser, owner: Actor) -> None:
    response = client.post("/login", data={"email": "claire@lefevre.test", "password": "nope"})
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.text


def test_login_sets_httponly_samesite_cookie(client: Browser, owner: Actor) -> None:
    response = client.post("/login", data={"email": "claire@lefevre.test",
                                           "password": "correct horse battery"},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_login_rotates_the_session_token(client: Browser, owner: Actor) -> None:
    client.login("claire@lefevre.test")
    first = client.cookies.get("contentieux_session")
    client.login("claire@lefevre.test")
    assert client.cookies.get("contentieux_session") != first


def test_repeated_failures_are_throttled(client: Browser, owner: Actor) -> None:
    for _ in range(5):
        client.post("/login", data={"email": "claire@lefevre.test", "password": "bad"})
    response = client.post("/login", data={"email": "claire@lefevre.test",
                                           "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def test_next_parameter_never_leaves_the_site(client: Browser, owner: Actor) -> None:
    response = client.post("/login", data={"email": "claire@lefevre.test",
                                           "password": "correct horse battery",
                                           "next": "//evil.example/"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_logout_ends_the_session(owner_client: Browser) -> None:
    owner_client.submit("/logout", follow_redirects=False)
    assert owner_client.get("/debtors", follow_redirects=False).status_code == 303


def test_post_without_csrf_token_is_refused(owner_client: Browser) -> None:
    response = owner_client.post("/debtors", data={"legal_name": "Sans jeton"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert "Sans jeton" not in owner_client.get("/debtors").text


def test_demo_credentials_only_on_a_demo_servers_login_page(client: Browser) -> None:
    from app.services.demo import DEMO_EMAIL, DEMO_PASSWORD

    assert DEMO_PASSWORD not in client.get("/login").text
    client.app.state.settings = client.app.state.settings.model_copy(update={"demo": True})  # type: ignore[attr-defined]
    text = client.get("/login").text
    assert DEMO_EMAIL in text and DEMO_PASSWORD in text
