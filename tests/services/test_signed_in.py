"""Who is signed in, read with the revision of the debtor a page shows (one statement): the
debtor is looked for in the session's creditor only, whichever creditors the user works for."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import Debtor, UserSession
from app.models.types import utcnow
from app.services import accounts
from app.services.context import Actor
from tests.factories import make_debtor, make_user


def ask(engine: Engine, token: str | None, debtor: Debtor) -> tuple[str | None, int | None]:
    with engine.connect() as connection:
        signed, revision = accounts.signed_in_and_debtor(connection, token, debtor.id)  # type: ignore[arg-type]
        alone = accounts.signed_in(connection, token)
    assert signed == alone  # the same viewer as asked alone
    creditor = signed.creditor if signed else None
    return (creditor.legal_name if creditor else None), revision


def test_the_revision_is_of_the_session_creditors_debtor_only(
        engine: Engine, session: Session) -> None:
    lefevre = make_user(session, "claire@lefevre.test", "Menuiserie Lefèvre")
    roux = make_user(session, "claire@lefevre.test", "Plâtrerie Roux")  # the same user
    ours = make_debtor(session, lefevre, legal_name="Durand BTP")
    theirs = make_debtor(session, roux, legal_name="Martin SARL")
    session.refresh(ours)  # their revisions, moved by the database (app/revisions.py)
    session.refresh(theirs)
    user = accounts.find_user(session, "claire@lefevre.test")
    assert user is not None
    token, browser = accounts.open_session(session, user, hours=8)  # first creditor by name
    assert ask(engine, token, ours) == ("Menuiserie Lefèvre", ours.revision)
    assert ask(engine, token, theirs) == ("Menuiserie Lefèvre", None)  # another creditor's
    ours.representative = "Julie Durand"  # a change to the file moves its revision
    session.add(ours)
    session.commit()
    moved = ours.revision
    session.refresh(ours)
    assert ours.revision != moved
    assert ask(engine, token, ours) == ("Menuiserie Lefèvre", ours.revision)

    signed = accounts.signed_in(session.connection(), token)
    assert signed is not None and accounts.switch_creditor(session, signed, roux.creditor_id)
    assert ask(engine, token, ours) == ("Plâtrerie Roux", None)
    assert ask(engine, token, theirs) == ("Plâtrerie Roux", theirs.revision)


def test_nobody_signed_in_reads_no_revision(engine: Engine, session: Session,
                                             owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    user = accounts.find_user(session, "claire@lefevre.test")
    assert user is not None
    token, browser = accounts.open_session(session, user, hours=8)
    assert ask(engine, None, debtor) == (None, None)
    assert ask(engine, "not-a-token", debtor) == (None, None)
    expired = session.get(UserSession, browser.id)
    assert expired is not None
    expired.expires_at = utcnow() - timedelta(minutes=1)
    session.add(expired)
    session.commit()
    assert ask(engine, token, debtor) == (None, None)
