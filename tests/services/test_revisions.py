"""Creditor.revision moves with every change to what the creditor's pages show, and only then."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select, update

from app.models import (
    AlertEntry,
    Creditor,
    Debtor,
    Evidence,
    EvidenceInvoice,
    RateOverride,
    User,
    UserSession,
)
from app.models.types import utcnow
from app.services import alerts
from app.services.context import Actor
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice


def revision(session: Session, actor: Actor) -> int:
    """Read from the database, not from an object the session keeps."""
    return int(session.exec(text("SELECT revision FROM creditor WHERE id = :id"),  # type: ignore[call-overload]
                            params={"id": actor.creditor_id}).one()[0])


def test_a_new_invoice_moves_its_creditor_only(session: Session, owner: Actor,
                                               outsider: Actor) -> None:
    debtor = make_debtor(session, owner)
    before, theirs = revision(session, owner), revision(session, outsider)
    make_invoice(session, owner, debtor)
    assert revision(session, owner) > before
    assert revision(session, outsider) == theirs


def test_once_per_transaction_however_many_flushes(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    before = revision(session, owner)
    for name in ("A", "B", "C"):
        debtor.legal_name = name
        session.add(debtor)
        session.flush()
    session.commit()
    assert revision(session, owner) == before + 1


def test_a_link_row_moves_the_creditor_of_its_exhibit(session: Session, owner: Actor,
                                                      outsider: Actor) -> None:
    debtor = make_debtor(session, owner)
    invoice = make_invoice(session, owner, debtor)
    exhibit = Evidence(creditor_id=owner.creditor_id, debtor_id=debtor.id, sha256="0" * 64,  # type: ignore[arg-type]
                       size=1, media_type="application/pdf", original_name="devis.pdf")
    session.add(exhibit)
    session.commit()
    before, theirs = revision(session, owner), revision(session, outsider)
    session.add(EvidenceInvoice(evidence_id=exhibit.id, invoice_id=invoice.id))  # type: ignore[arg-type]
    session.commit()
    assert revision(session, owner) == before + 1
    assert revision(session, outsider) == theirs


def test_a_rate_correction_moves_every_creditor(session: Session, owner: Actor,
                                                outsider: Actor) -> None:
    before, theirs = revision(session, owner), revision(session, outsider)
    session.add(RateOverride(table_name="legal", semester="2027-S1", start=date(2027, 1, 1),
                             particuliers=Decimal("7"), autres_cas=Decimal("3")))
    session.commit()
    assert (revision(session, owner), revision(session, outsider)) == (before + 1, theirs + 1)


def test_a_renamed_user_moves_the_creditors_they_work_for(session: Session, owner: Actor,
                                                          outsider: Actor) -> None:
    before, theirs = revision(session, owner), revision(session, outsider)
    user = session.get(User, owner.user_id)
    assert user is not None
    user.name = "Claire Lefèvre"
    session.add(user)
    session.commit()
    assert (revision(session, owner), revision(session, outsider)) == (before + 1, theirs)


def test_signing_in_moves_nothing(session: Session, owner: Actor) -> None:
    before = revision(session, owner)
    session.add(UserSession(token_hash="f" * 64, csrf_token="c", user_id=owner.user_id,  # type: ignore[arg-type]
                            creditor_id=owner.creditor_id, expires_at=utcnow()))
    session.commit()
    assert revision(session, owner) == before


def test_a_bulk_update_must_name_its_creditor(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    statement = update(Debtor).where(col(Debtor.id) == debtor.id).values(alerts_on=None)
    with pytest.raises(RuntimeError, match="name the creditor"):
        session.exec(statement)  # type: ignore[call-overload]
    session.rollback()
    before = revision(session, owner)
    session.exec(statement.execution_options(creditor_id=owner.creditor_id))  # type: ignore[call-overload]
    session.commit()
    assert revision(session, owner) == before + 1


def test_bringing_the_maintained_alerts_up_to_date_moves_nothing(session: Session,
                                                                 owner: Actor) -> None:
    """They derive from the file and "today", which a kept page's key already holds."""
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2025-01-20", due_date="2025-02-19")
    before = revision(session, owner)
    assert alerts.refresh_stale(session, TODAY, creditor_id=owner.creditor_id) == 1
    assert session.exec(select(AlertEntry)).all()
    assert revision(session, owner) == before


def revisions_of(session: Session, actor: Actor, *debtors: Debtor) -> tuple[int, ...]:
    """(creditor revision, shared revision, each debtor's revision), read from the database."""
    creditor = session.exec(text("SELECT revision, shared_revision FROM creditor "  # type: ignore[call-overload]
                                 "WHERE id = :id"), params={"id": actor.creditor_id}).one()
    files = [session.exec(text("SELECT revision FROM debtor WHERE id = :id"),  # type: ignore[call-overload]
                          params={"id": d.id}).one()[0] for d in debtors]
    return (int(creditor[0]), int(creditor[1]), *map(int, files))


def test_a_change_to_a_file_moves_that_debtor_and_the_lists_not_the_others(
        session: Session, owner: Actor) -> None:
    first, second = make_debtor(session, owner), make_debtor(session, owner, legal_name="Roux")
    creditor, shared, one, two = revisions_of(session, owner, first, second)
    make_invoice(session, owner, first)
    assert revisions_of(session, owner, first, second) == (creditor + 1, shared, one + 1, two)
    first.city = "Nantes"
    session.add(first)
    session.commit()
    assert revisions_of(session, owner, first, second) == (creditor + 2, shared, one + 2, two)


def test_the_creditors_own_rows_and_a_new_debtor_move_every_file(session: Session,
                                                                  owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    creditor, shared, file = revisions_of(session, owner, debtor)
    settings = session.get(Creditor, owner.creditor_id)
    assert settings is not None
    settings.legal_name = "Menuiserie Lefèvre et Fils"
    session.add(settings)
    session.commit()
    assert revisions_of(session, owner, debtor) == (creditor + 1, shared + 1, file)
    make_debtor(session, owner, legal_name="Nouveau client")  # the lists change, and an id
    assert revisions_of(session, owner, debtor) == (creditor + 2, shared + 2, file)


def test_a_link_row_moves_the_debtor_of_its_exhibit(session: Session, owner: Actor) -> None:
    debtor, other = make_debtor(session, owner), make_debtor(session, owner, legal_name="Roux")
    invoice = make_invoice(session, owner, debtor)
    exhibit = Evidence(creditor_id=owner.creditor_id, debtor_id=debtor.id, sha256="0" * 64,  # type: ignore[arg-type]
                       size=1, media_type="application/pdf", original_name="devis.pdf")
    session.add(exhibit)
    session.commit()
    creditor, shared, file, theirs = revisions_of(session, owner, debtor, other)
    session.add(EvidenceInvoice(evidence_id=exhibit.id, invoice_id=invoice.id))  # type: ignore[arg-type]
    session.commit()
    assert revisions_of(session, owner, debtor, other) == (creditor + 1, shared, file + 1, theirs)


def test_a_statement_moves_its_debtor_when_it_names_one_else_every_file(
        session: Session, owner: Actor) -> None:
    debtor, other = make_debtor(session, owner), make_debtor(session, owner, legal_name="Roux")
    creditor, shared, file, theirs = revisions_of(session, owner, debtor, other)
    alerts.mark_stale(session, debtor.id, owner.creditor_id)  # type: ignore[arg-type]
    session.commit()
    assert revisions_of(session, owner, debtor, other) == (creditor + 1, shared, file + 1, theirs)
    session.exec(update(Debtor).where(col(Debtor.id) == other.id).values(alerts_on=None)  # type: ignore[call-overload]
                 .execution_options(creditor_id=owner.creditor_id))
    session.commit()
    assert revisions_of(session, owner, debtor, other) == (creditor + 2, shared + 1, file + 1,
                                                           theirs)


def test_a_rate_correction_moves_every_file_of_every_creditor(session: Session, owner: Actor,
                                                              outsider: Actor) -> None:
    ours, theirs = revisions_of(session, owner), revisions_of(session, outsider)
    session.add(RateOverride(table_name="ecb", semester="2027-S1", start=date(2027, 1, 1),
                             ecb_mro=Decimal("2.15")))
    session.commit()
    assert revisions_of(session, owner) == (ours[0] + 1, ours[1] + 1)
    assert revisions_of(session, outsider) == (theirs[0] + 1, theirs[1] + 1)
