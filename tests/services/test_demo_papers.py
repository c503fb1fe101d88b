"""The demo's papers go out: its creditor knows the courts of Nantes, so the requête for
Hôtel du Port (mise en demeure received, delay run) is accepted with the court proposed.

Before, every demo debtor had no named court and the requête was refused (LAW.md §11).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.config import Settings
from app.models import Debtor, Membership
from app.services import courts, demo, documents
from app.services.context import Actor
from app.storage import FileStore

TODAY = date(2026, 11, 30)


def seeded(session: Session) -> Actor:
    demo.seed(session, email="demo@example.fr", password="demo-contentieux-1", today=TODAY)
    membership = session.exec(select(Membership)).one()
    return Actor(user_id=membership.user_id, creditor_id=membership.creditor_id)


def debtor_named(session: Session, name: str) -> Debtor:
    return session.exec(select(Debtor).where(Debtor.legal_name == name)).one()


def test_the_requete_for_hotel_du_port_goes_out_with_the_proposed_court(
        session: Session, settings: Settings) -> None:
    settings.ensure_dirs()
    actor = seeded(session)
    hotel = debtor_named(session, "Hôtel du Port")
    court = courts.proposed(session, actor.creditor_id, hotel)
    assert court is not None and court.name == "Tribunal de commerce de Nantes"

    made = documents.generate(session, actor, FileStore(settings.files_dir), hotel, {
        "kind": "requete_injonction", "date": TODAY.isoformat(), "court_id": str(court.id)})

    assert made.document.params["court"] == "Tribunal de commerce de Nantes"


def test_the_consumer_is_proposed_the_tribunal_judiciaire(session: Session) -> None:
    actor = seeded(session)
    court = courts.proposed(session, actor.creditor_id, debtor_named(session, "M. Julien Moreau"))
    assert court is not None and court.name == "Tribunal judiciaire de Nantes"
