"""Who works for a creditor: the owner lists the members and removes one, and owns the secret
address of the calendar feed, which changes when a member leaves (they may have copied it)."""

from __future__ import annotations

from sqlmodel import Session, col, delete, select

from app.errors import DomainError, NotFound
from app.models import ApiToken, Creditor, Membership, User, UserSession
from app.security import new_token
from app.services import audit
from app.services.context import Actor

ROLE_LABELS = {"owner": "Responsable", "member": "Membre", "readonly": "Lecture seule"}


def members(session: Session, actor: Actor) -> list[tuple[Membership, User]]:
    rows = session.exec(
        select(Membership, User).join(User, col(User.id) == Membership.user_id)
        .where(Membership.creditor_id == actor.creditor_id).order_by(User.email))
    return [(m, u) for m, u in rows]


def regenerate_calendar_token(session: Session, actor: Actor) -> str:
    """A new secret address for the calendar feed: the old one answers 404 from now on."""
    actor.require_owner()
    token = _new_calendar_token(session, actor.creditor_id)
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    audit.record(session, actor, action="update", obj=creditor,
                 summary="Adresse secrète du calendrier des échéances régénérée")
    session.commit()
    return token


def remove_member(session: Session, actor: Actor, membership_id: int) -> User:
    """The user loses access to this creditor at once: their API tokens for it and their
    sessions open on it end, and the calendar feed gets a new secret address."""
    actor.require_owner()
    membership = session.get(Membership, membership_id)
    if membership is None or membership.creditor_id != actor.creditor_id:
        raise NotFound("Membre")
    if membership.user_id == actor.user_id:
        raise DomainError("Vous ne pouvez pas vous retirer vous-même de ce créancier.")
    user = session.get(User, membership.user_id)
    assert user is not None
    session.delete(membership)
    session.exec(delete(ApiToken).where(col(ApiToken.user_id) == user.id,
                                        col(ApiToken.creditor_id) == actor.creditor_id))
    session.exec(delete(UserSession).where(col(UserSession.user_id) == user.id,
                                           col(UserSession.creditor_id) == actor.creditor_id))
    _new_calendar_token(session, actor.creditor_id)
    creditor = session.get(Creditor, actor.creditor_id)
    assert creditor is not None
    audit.record(session, actor, action="update", obj=creditor,
                 summary=f"{user.email} retiré des membres ; adresse du calendrier régénérée",
                 changes={"removed_user": user.email, "role": membership.role})
    session.commit()
    return user


def _new_calendar_token(session: Session, creditor_id: int) -> str:
    creditor = session.get(Creditor, creditor_id)
    assert creditor is not None
    creditor.calendar_token = new_token()
    session.add(creditor)
    return creditor.calendar_token
