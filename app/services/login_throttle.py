"""Failed sign-ins slow down where they come from, never lock an account.

Two counters over the last hour of failures: per (account, client address) and per client
address. Past a free allowance each further failure doubles the wait before the next try
from that address (2 s, 4 s, 8 s… at most 15 minutes), so a stranger guessing passwords is
slowed to a crawl while the account's owner, from another address, signs in as usual.
Rows older than the window are deleted whenever a failure is recorded.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from app.errors import DomainError
from app.models import LoginAttempt

WINDOW = timedelta(hours=1)  # failures older than this are forgotten (and pruned)
FREE_PER_ACCOUNT = 5  # failures for one account from one address before any delay
FREE_PER_CLIENT = 20  # failures from one address, all accounts together
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=15)


class LoginThrottled(DomainError):
    pass


def delay_after(failures: int, free: int) -> timedelta:
    """The wait after `failures` failures: none within the allowance, then doubling."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 20)
    return min(FIRST_DELAY * (2**doublings), MAX_DELAY)


def check(session: Session, email: str, client: str, now: datetime) -> None:
    """Raise LoginThrottled while this address must wait before trying again."""
    since = now - WINDOW
    for where, free in (((LoginAttempt.email == email, LoginAttempt.client == client),
                         FREE_PER_ACCOUNT),
                        ((LoginAttempt.client == client,), FREE_PER_CLIENT)):
        count, last = session.exec(
            select(func.count(), func.max(LoginAttempt.at))
            .where(*where, LoginAttempt.at >= since)).one()
        if last is None:
            continue
        wait = last + delay_after(count, free) - now
        if wait > timedelta(0):
            seconds = math.ceil(wait.total_seconds())
            raise LoginThrottled("Trop de tentatives de connexion échouées depuis cette "
                                 f"adresse : réessayez dans {_duration(seconds)}.")


def record_failure(session: Session, email: str, client: str, now: datetime) -> None:
    """Count a failure, and forget the failures older than the window."""
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.at) < now - WINDOW))
    session.add(LoginAttempt(email=email, client=client, at=now))
    session.commit()


def clear(session: Session, email: str, client: str) -> None:
    """A success from this address for this account wipes its failures."""
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.email) == email,
                                            col(LoginAttempt.client) == client))


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"
