"""Users, memberships, browser sessions and API tokens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, bindparam
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, delete, select

from app.errors import ValidationFailed
from app.models import ApiToken, Creditor, Debtor, Membership, User, UserSession
from app.models.types import utcnow
from app.security import (
    MIN_PASSWORD_LENGTH,
    dummy_hash,
    hash_password,
    new_token,
    same,
    token_digest,
    verify_password,
)
from app.services import login_throttle
from app.services.context import Actor
from app.services.login_throttle import LoginThrottled as LoginThrottled

API_TOKEN_HOURS = 24


@dataclass(frozen=True, slots=True)
class SignedUser:
    id: int
    email: str


@dataclass(frozen=True, slots=True)
class BrowserSession:
    """The browser session a page is asked in: its id, its creditor, its CSRF token."""

    id: int
    creditor_id: int | None
    csrf_token: str


@dataclass(frozen=True, slots=True)
class CreditorSeen:
    """What a page needs of a creditor the user works for: the header's switcher and name,
    and the revisions its kept pages are keyed at (app/web/page_cache.py)."""

    id: int
    legal_name: str
    revision: int
    shared_revision: int
    calendar_token: str = ""  # its deadlines feed's secret (the deadlines page's link)


@dataclass(frozen=True)
class SignedIn:
    """Who asks, read at every request with one query (no ORM object: plain values, which
    cost a fraction of loading four mapped rows). Writes load the rows they change."""

    user: SignedUser
    session: BrowserSession
    memberships: list[tuple[str, CreditorSeen]]  # (role, creditor), by creditor name

    @property
    def creditor(self) -> CreditorSeen | None:
        return next((c for _, c in self.memberships if c.id == self.session.creditor_id), None)

    @property
    def role(self) -> str:
        return next((role for role, c in self.memberships if c.id == self.session.creditor_id),
                    "")


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            {"password": f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères."}
        )


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_user(session: Session, *, email: str, password: str, creditor_name: str,
                name: str = "", role: str = "owner", is_admin: bool = False) -> User:
    """Create (or update the password of) a user, and its creditor if it does not exist yet."""
    check_password_strength(password)
    email = email.strip().lower()
    user = find_user(session, email)
    if user is None:
        user = User(email=email, name=name or email.split("@")[0], password_hash="")
        session.add(user)
    user.password_hash = hash_password(password)
    user.is_admin = user.is_admin or is_admin
    creditor = session.exec(select(Creditor).where(Creditor.legal_name == creditor_name)).first()
    if creditor is None:
        creditor = Creditor(legal_name=creditor_name, calendar_token=new_token())
        session.add(creditor)
    session.flush()
    add_membership(session, user=user, creditor=creditor, role=role)
    session.commit()
    return user


def add_membership(session: Session, *, user: User, creditor: Creditor, role: str) -> Membership:
    membership = session.exec(
        select(Membership).where(Membership.user_id == user.id,
                                 Membership.creditor_id == creditor.id)
    ).first()
    if membership is None:
        membership = Membership(user_id=user.id, creditor_id=creditor.id, role=role)  # type: ignore[arg-type]
        session.add(membership)
    membership.role = role
    return membership


def authenticate(session: Session, email: str, password: str, client: str = "") -> User | None:
    """The user if the password matches. Failures slow down `client` (its address), not the
    account (login_throttle). An unknown e-mail costs one argon2 check like a known one, so
    the answer's delay does not tell whether the account exists."""
    email = email.strip().lower()[:254]
    now = utcnow()
    login_throttle.check(session, email, client, now)
    user = find_user(session, email)
    valid = verify_password(user.password_hash if user else dummy_hash(), password)
    if user is None or not valid:
        login_throttle.record_failure(session, email, client, now)
        return None
    login_throttle.clear(session, email, client)
    return user


def memberships_of(session: Session, user_id: int) -> list[tuple[Membership, Creditor]]:
    rows = session.exec(
        select(Membership, Creditor)
        .join(Creditor, col(Creditor.id) == Membership.creditor_id)
        .where(Membership.user_id == user_id)
        .order_by(Creditor.legal_name)
    ).all()
    return [(m, c) for m, c in rows]


def open_session(session: Session, user: User, hours: int) -> tuple[str, UserSession]:
    """A fresh session (new token at every login: no fixation). Returns the cookie value."""
    token = new_token()
    memberships = memberships_of(session, user.id)  # type: ignore[arg-type]
    creditor_id = memberships[0][1].id if memberships else None
    user_session = UserSession(
        token_hash=token_digest(token), user_id=user.id, creditor_id=creditor_id,  # type: ignore[arg-type]
        csrf_token=new_token(), expires_at=utcnow() + timedelta(hours=hours),
    )
    session.add(user_session)
    session.commit()
    return token, user_session


# One query, which every page asks first: built once (building it cost more than running it),
# columns only (hydrating the four rows cost as much as running it).
SIGNED_IN = (select(UserSession.id, UserSession.creditor_id, UserSession.csrf_token,  # type: ignore[call-overload]
                    UserSession.expires_at, User.id, User.email, Membership.role, Creditor.id,
                    Creditor.legal_name, Creditor.revision, Creditor.shared_revision,
                    Creditor.calendar_token)
             .join(User, col(User.id) == UserSession.user_id)
             .outerjoin(Membership, col(Membership.user_id) == User.id)
             .outerjoin(Creditor, col(Creditor.id) == Membership.creditor_id)
             .where(UserSession.token_hash == bindparam("digest"))
             .order_by(Creditor.legal_name))


# A debtor's page asks, with who is signed in, the revision of the debtor it shows, which its
# kept copy is found at (app/revisions.py): one statement where there were two. The debtor is
# looked for in the session's creditor only: None for another creditor's.
SIGNED_IN_AND_DEBTOR = SIGNED_IN.add_columns(
    select(Debtor.revision).where(Debtor.id == bindparam("debtor_id"),
                                  Debtor.creditor_id == UserSession.creditor_id)
    .scalar_subquery())


def signed_in(connection: Connection, token: str | None) -> SignedIn | None:
    """Who holds the session cookie `token`, None when nobody (expired, closed, unknown)."""
    if not token:
        return None
    return _signed(connection.execute(SIGNED_IN, {"digest": token_digest(token)}).all())


def signed_in_and_debtor(connection: Connection, token: str | None,
                         debtor_id: int) -> tuple[SignedIn | None, int | None]:
    """`signed_in`, and the revision of the debtor `debtor_id` of the session's creditor
    (None when it has none by that id, or nobody is signed in)."""
    if not token:
        return None, None
    rows = connection.execute(SIGNED_IN_AND_DEBTOR, {"digest": token_digest(token),
                                                     "debtor_id": debtor_id}).all()
    signed = _signed(rows)
    return signed, rows[0][-1] if signed is not None else None


def _signed(rows: Sequence[Row[Any]]) -> SignedIn | None:
    """The signed-in user from SIGNED_IN's rows (one per membership)."""
    if not rows:
        return None
    session_id, creditor_id, csrf_token, expires_at, user_id, email = rows[0][:6]
    if expires_at <= utcnow():
        return None
    creditors = [(row[6], CreditorSeen(*row[7:12])) for row in rows if row[7] is not None]
    return SignedIn(SignedUser(user_id, email), BrowserSession(session_id, creditor_id, csrf_token),
                    creditors)


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.exec(delete(UserSession).where(col(UserSession.token_hash) == token_digest(token)))
        session.commit()


def switch_creditor(session: Session, current: SignedIn, creditor_id: int) -> bool:
    if not any(c.id == creditor_id for _, c in current.memberships):
        return False
    user_session = session.get(UserSession, current.session.id)
    if user_session is None:
        return False
    user_session.creditor_id = creditor_id
    session.add(user_session)
    session.commit()
    return True


def issue_api_token(session: Session, user: User, creditor_id: int | None = None) -> str:
    memberships = memberships_of(session, user.id)  # type: ignore[arg-type]
    if not memberships:
        raise ValidationFailed({"username": "Ce compte n'est rattaché à aucun créancier."})
    ids = [c.id for _, c in memberships]
    chosen = creditor_id if creditor_id in ids else ids[0]
    token = new_token()
    session.add(ApiToken(token_hash=token_digest(token), user_id=user.id, creditor_id=chosen,  # type: ignore[arg-type]
                         expires_at=utcnow() + timedelta(hours=API_TOKEN_HOURS)))
    session.commit()
    return token


# The bearer of an API token, with its role in the token's creditor and that creditor's
# revision (what kept figures are found at, app/revisions.py): one query, plain values.
API_ACTOR = (select(ApiToken.expires_at, User.id, Membership.creditor_id, Membership.role,  # type: ignore[call-overload]
                    Creditor.revision)
             .join(User, col(User.id) == ApiToken.user_id)
             .join(Membership, (col(Membership.user_id) == ApiToken.user_id)
                   & (col(Membership.creditor_id) == ApiToken.creditor_id))
             .join(Creditor, col(Creditor.id) == Membership.creditor_id)
             .where(ApiToken.token_hash == bindparam("digest")))


@dataclass(frozen=True, slots=True)
class ApiBearer:
    actor: Actor
    revision: int  # of the token's creditor, when the token was read


def api_bearer(connection: Connection, token: str) -> ApiBearer | None:
    """Who holds the API token, as a member of its creditor; None when expired, revoked or no
    longer a member."""
    row = connection.execute(API_ACTOR, {"digest": token_digest(token)}).first()
    if row is None or row.expires_at <= utcnow():
        return None
    return ApiBearer(Actor(user_id=row.id, creditor_id=row.creditor_id, role=row.role),
                     row.revision)


def same_token(given: str, expected: str) -> bool:
    return bool(given) and same(given, expected)
