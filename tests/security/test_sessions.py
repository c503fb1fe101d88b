"""Sessions and tokens expire; passwords below the minimum length are refused by the service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.errors import ValidationFailed
from app.models import ApiToken, Debtor, User, UserSession
from app.models.types import utcnow
from app.security import MIN_PASSWORD_LENGTH
from app.services import accounts
from app.services.context import Actor
from tests.conftest import Browser, api_token


def _expire(session: Session, model: type[UserSession] | type[ApiToken]) -> None:
    for row in session.exec(select(model)).all():
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    session.commit()


def test_an_expired_session_is_sent_back_to_the_login_form(
        owner_client: Browser, session: Session) -> None:
    assert owner_client.get("/debtors").status_code == 200
    _expire(session, UserSession)
    response = owner_client.get("/debtors", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_an_expired_session_cannot_post_even_with_its_csrf_token(
        owner_client: Browser, session: Session) -> None:
    _expire(session, UserSession)
    response = owner_client.submit("/debtors", {"legal_name": "Après expiration"},
                                   follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert session.exec(select(Debtor)).all() == []


def test_a_session_lasts_the_configured_hours(session: Session, owner: Actor) -> None:
    user = session.get(User, owner.user_id)
    assert user is not None
    _, opened = accounts.open_session(session, user, hours=12)
    lifetime = opened.expires_at - utcnow()
    assert timedelta(hours=11, minutes=59) < lifetime <= timedelta(hours=12)


def test_an_expired_api_token_gets_401(client: Browser, owner: Actor, session: Session) -> None:
    headers = api_token(client, "claire@lefevre.test")
    assert client.get("/api/v1/debtors", headers=headers).status_code == 200
    _expire(session, ApiToken)
    assert client.get("/api/v1/debtors", headers=headers).status_code == 401


def test_the_old_session_cookie_is_dead_after_signing_in_again(
        client: Browser, owner: Actor) -> None:
    client.login("claire@lefevre.test")
    first = client.cookies.get("contentieux_session")
    client.login("claire@lefevre.test")
    second = client.cookies.get("contentieux_session")
    assert first and second and first != second
    stale = Browser(client.app, cookies={"contentieux_session": first})
    assert stale.get("/debtors", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("password", ["", "court", "x" * (MIN_PASSWORD_LENGTH - 1)])
def test_a_password_below_the_minimum_length_is_refused_by_the_service(
        session: Session, password: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        accounts.create_user(session, email="nouveau@lefevre.test", password=password,
                             creditor_name="Menuiserie Lefèvre")
    assert refused.value.errors == {
        "password": f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères."}
    assert accounts.find_user(session, "nouveau@lefevre.test") is None


def test_a_password_of_exactly_the_minimum_length_is_accepted(session: Session) -> None:
    user = accounts.create_user(session, email="nouveau@lefevre.test",
                                password="x" * MIN_PASSWORD_LENGTH,
                                creditor_name="Menuiserie Lefèvre")
    assert accounts.authenticate(session, "nouveau@lefevre.test", "x" * MIN_PASSWORD_LENGTH) == user
