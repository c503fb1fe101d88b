"""Expired browser sessions and API tokens are deleted every night; live ones stay."""

from __future__ import annotations

from datetime import timedelta

import procrastinate
from sqlmodel import Session, select

from app import jobs
from app.models import ApiToken, User, UserSession
from app.models.types import utcnow
from app.services import credentials
from app.services.context import Actor


def test_expired_sessions_and_tokens_go_live_ones_stay(owner: Actor, session: Session) -> None:
    user = session.get(User, owner.user_id)
    assert user is not None
    now = utcnow()
    for n, hours in enumerate((-2, 5)):
        session.add(UserSession(token_hash=f"s{n}", user_id=user.id, csrf_token="c",
                                expires_at=now + timedelta(hours=hours)))
        session.add(ApiToken(token_hash=f"t{n}", user_id=user.id, creditor_id=owner.creditor_id,
                             expires_at=now + timedelta(hours=hours)))
    session.commit()

    assert credentials.prune_expired(session) == 2

    assert [s.token_hash for s in session.exec(select(UserSession))] == ["s1"]
    assert [t.token_hash for t in session.exec(select(ApiToken))] == ["t1"]


def test_the_prune_runs_every_night() -> None:
    queue_app = procrastinate.App(connector=procrastinate.testing.InMemoryConnector())
    jobs.register(queue_app, inline=True)
    nightly = {p.task.name: p.cron for p in queue_app.periodic_registry.periodic_tasks.values()}
    assert nightly[jobs.PRUNE_CREDENTIALS] == "40 3 * * *"
