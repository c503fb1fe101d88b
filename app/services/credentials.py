"""What a user holds to get in: the open browser sessions and API tokens, which can be revoked
one by one, and the password, whose change ends all of them."""

from __future__ import annotations

from sqlmodel import Session, col, delete, select

from app.errors import NotFound, ValidationFailed
from app.models import ApiToken, Creditor, User, UserSession
from app.models.types import utcnow
from app.security import hash_password, verify_password
from app.services.accounts import check_password_strength, find_user


def open_sessions(session: Session, user_id: int) -> list[UserSession]:
    return list(session.exec(
        select(UserSession).where(UserSession.user_id == user_id,
                                  UserSession.expires_at > utcnow())
        .order_by(col(UserSession.created_at).desc())))


def api_tokens(session: Session, user_id: int) -> list[tuple[ApiToken, str]]:
    """The user's live API tokens, with the creditor each is bound to."""
    rows = session.exec(
        select(ApiToken, Creditor.legal_name)
        .join(Creditor, col(Creditor.id) == ApiToken.creditor_id)
        .where(ApiToken.user_id == user_id, ApiToken.expires_at > utcnow())
        .order_by(col(ApiToken.created_at).desc()))
    return [(token, name) for token, name in rows]


def revoke_session(session: Session, user_id: int, session_id: int) -> None:
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user_id:
        raise NotFound("Session")
    session.delete(row)
    session.commit()


def revoke_token(session: Session, user_id: int, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFound("Jeton")
    session.delete(row)
    session.commit()


def end_everything(session: Session, user_id: int) -> None:
    """Every browser session and API token of the user stops working."""
    session.exec(delete(UserSession).where(col(UserSession.user_id) == user_id))
    session.exec(delete(ApiToken).where(col(ApiToken.user_id) == user_id))


def change_password(session: Session, user: User, *, current: str, new: str,
                    confirm: str) -> None:
    """The current password is required; every session and token of the user ends."""
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current):
        errors["current_password"] = "Mot de passe actuel incorrect."
    try:
        check_password_strength(new)
    except ValidationFailed as exc:
        errors["new_password"] = exc.errors["password"]
    if new != confirm:
        errors["confirm_password"] = "Les deux saisies du nouveau mot de passe diffèrent."
    if errors:
        raise ValidationFailed(errors)
    _set(session, user, new)


def set_password(session: Session, email: str, password: str) -> User:
    """An administrator's reset (`contentieux setpassword`): no current password asked."""
    check_password_strength(password)
    user = find_user(session, email)
    if user is None:
        raise NotFound(f"Utilisateur {email.strip().lower()}")
    _set(session, user, password)
    return user


def _set(session: Session, user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    session.add(user)
    end_everything(session, user.id)  # type: ignore[arg-type]
    session.commit()


def prune_expired(session: Session) -> int:
    """Delete the browser sessions and API tokens past their expiry (they can no longer sign
    anyone in, but kept their hashes and dates forever); how many. Run every night."""
    now = utcnow()
    removed = 0
    for model in (UserSession, ApiToken):
        result = session.exec(delete(model).where(col(model.expires_at) <= now))  # type: ignore[call-overload]
        removed += result.rowcount or 0
    session.commit()
    return removed
