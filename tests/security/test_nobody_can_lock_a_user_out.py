"""Failed sign-ins slow down the address they come from, never the account's owner elsewhere
(issue 14, item 3): throttled per (account, client address) and per client address, with
delays that grow, and the attempt rows do not outlive their use."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.models import LoginAttempt
from app.models.types import utcnow
from app.services import login_throttle
from app.services.context import Actor
from tests.conftest import PASSWORD, Browser

ATTACKER = ("203.0.113.66", 40000)
OWNER_DESK = ("198.51.100.7", 50000)
PROXY = ("10.0.0.2", 60000)


def _browser(app: FastAPI, client: tuple[str, int]) -> Iterator[Browser]:
    with Browser(app, client=client) as browser:
        yield browser


@pytest.fixture
def attacker(app: FastAPI) -> Iterator[Browser]:
    yield from _browser(app, ATTACKER)


@pytest.fixture
def real_user(app: FastAPI) -> Iterator[Browser]:
    yield from _browser(app, OWNER_DESK)


def _fail(browser: Browser, email: str = "claire@lefevre.test", times: int = 1) -> int:
    status = 0
    for _ in range(times):
        status = browser.post("/login", data={"email": email, "password": "mauvais"}).status_code
    return status


def test_anonymous_failures_do_not_lock_the_owner_out_of_the_login_form(
        attacker: Browser, real_user: Browser, owner: Actor) -> None:
    _fail(attacker, times=8)
    response = real_user.post("/login", data={"email": "claire@lefevre.test",
                                              "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303


def test_anonymous_failures_do_not_lock_the_owner_out_of_the_api(
        attacker: Browser, real_user: Browser, owner: Actor) -> None:
    _fail(attacker, times=8)
    response = real_user.post("/api/v1/auth/token",
                              data={"username": "claire@lefevre.test", "password": PASSWORD})
    assert response.status_code == 200


def test_the_attacking_address_is_slowed_down(attacker: Browser, owner: Actor) -> None:
    assert _fail(attacker, times=login_throttle.FREE_PER_ACCOUNT) == 401
    response = attacker.post("/login", data={"email": "claire@lefevre.test",
                                             "password": PASSWORD})
    assert response.status_code == 429
    assert "réessayez dans" in response.text


def test_the_api_is_slowed_down_for_that_address_too(attacker: Browser, owner: Actor) -> None:
    _fail(attacker, times=login_throttle.FREE_PER_ACCOUNT)
    response = attacker.post("/api/v1/auth/token",
                             data={"username": "claire@lefevre.test", "password": PASSWORD})
    assert response.status_code == 429


def test_spraying_many_accounts_from_one_address_is_slowed_down(attacker: Browser) -> None:
    for n in range(login_throttle.FREE_PER_CLIENT):
        assert _fail(attacker, email=f"inconnu{n}@exemple.test") == 401
    assert _fail(attacker, email="encore-un@exemple.test") == 429


@pytest.mark.parametrize(("failures", "seconds"), [
    (login_throttle.FREE_PER_ACCOUNT - 1, 0),
    (login_throttle.FREE_PER_ACCOUNT, 2),      # the first delay
    (login_throttle.FREE_PER_ACCOUNT + 1, 4),  # then twice as long each time
    (login_throttle.FREE_PER_ACCOUNT + 3, 16),
    (login_throttle.FREE_PER_ACCOUNT + 40, 900),  # never more than 15 minutes
])
def test_the_delay_grows_with_the_failures(failures: int, seconds: int) -> None:
    assert login_throttle.delay_after(failures, login_throttle.FREE_PER_ACCOUNT) == \
        timedelta(seconds=seconds)


def test_the_delay_ends(attacker: Browser, owner: Actor, session: Session) -> None:
    _fail(attacker, times=login_throttle.FREE_PER_ACCOUNT)
    for row in session.exec(select(LoginAttempt)).all():
        row.at -= timedelta(seconds=3)  # the first delay (2 s) is over
        session.add(row)
    session.commit()
    response = attacker.post("/login", data={"email": "claire@lefevre.test",
                                             "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303


def test_old_attempt_rows_are_pruned(attacker: Browser, session: Session) -> None:
    _fail(attacker, email="inconnu@exemple.test", times=3)
    for row in session.exec(select(LoginAttempt)).all():
        row.at = utcnow() - login_throttle.WINDOW - timedelta(minutes=1)
        session.add(row)
    session.commit()
    _fail(attacker, email="autre@exemple.test")
    session.expire_all()
    assert [row.email for row in session.exec(select(LoginAttempt)).all()] == \
        ["autre@exemple.test"]


def test_proxy_headers_are_ignored_unless_the_proxy_is_trusted(
        app: FastAPI, owner: Actor) -> None:
    """By default X-Forwarded-For is the client's word: the attacker cannot pose as the
    owner's address, nor escape the throttle by changing it."""
    with Browser(app, client=PROXY) as through_proxy:
        for n in range(login_throttle.FREE_PER_ACCOUNT):
            through_proxy.post("/login", data={"email": "claire@lefevre.test", "password": "x"},
                               headers={"X-Forwarded-For": f"192.0.2.{n}"})
        response = through_proxy.post("/login", data={"email": "claire@lefevre.test",
                                                      "password": PASSWORD},
                                      headers={"X-Forwarded-For": "192.0.2.200"})
    assert response.status_code == 429


def test_a_trusted_proxy_gives_each_client_its_own_throttle(
        settings: Settings, engine, owner: Actor) -> None:  # type: ignore[no-untyped-def]
    trusting = create_app(settings.model_copy(update={"trusted_proxies": PROXY[0]}),
                          engine=engine, migrate=False)
    with Browser(trusting, client=PROXY) as through_proxy:
        for _ in range(login_throttle.FREE_PER_ACCOUNT):
            through_proxy.post("/login", data={"email": "claire@lefevre.test", "password": "x"},
                               headers={"X-Forwarded-For": "192.0.2.66"})
        blocked = through_proxy.post("/login", data={"email": "claire@lefevre.test",
                                                     "password": PASSWORD},
                                     headers={"X-Forwarded-For": "192.0.2.66"})
        allowed = through_proxy.post("/login", data={"email": "claire@lefevre.test",
                                                      "password": PASSWORD},
                                     headers={"X-Forwarded-For": "192.0.2.7"},
                                     follow_redirects=False)
    assert blocked.status_code == 429
    assert allowed.status_code == 303
