"""The creditor's alerts counted by severity (the deadlines page's head) are kept with the
alerts: after any change, they equal a count of the alerts themselves."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func
from sqlmodel import Session, select

from app import db
from app.models import AlertCount, AlertEntry, Invoice
from app.services import alerts, invoices, payments
from app.services.context import Actor
from app.services.file_view import file_view
from tests.conftest import TODAY
from tests.factories import make_debtor, make_invoice, make_payment, make_step, make_user


def counted(session: Session) -> dict[tuple[int, str], int]:
    """Each creditor's alerts counted now, one by one."""
    return {(creditor, severity): n for creditor, severity, n in session.exec(
        select(AlertEntry.creditor_id, AlertEntry.severity, func.count())
        .group_by(AlertEntry.creditor_id, AlertEntry.severity))}


def kept(session: Session) -> dict[tuple[int, str], int]:
    return {(c.creditor_id, c.severity): c.count for c in session.exec(select(AlertCount))}


def test_the_kept_counts_follow_every_change_to_the_alerts(
        session: Session, owner: Actor, outsider: Actor) -> None:
    hotel = make_debtor(session, owner, legal_name="Hôtel du Port", siren="")
    overdue = make_invoice(session, owner, hotel, number="F-1", issue_date="2026-06-01",
                           due_date="2026-07-01")
    make_step(session, owner, hotel, kind="mise_en_demeure", date="2026-11-02", level="",
              channel="lrar")
    for actor, name, number, kind, issued in (
            (owner, "M. Moreau", "F-2", "consumer", "2025-01-20"),  # prescription in 2027
            (outsider, "Client de Roux", "R-1", "company", "2025-01-10")):
        debtor = make_debtor(session, actor, kind=kind, legal_name=name, siren="")
        make_invoice(session, actor, debtor, number=number, issue_date=issued,
                     delivery_date=issued, due_date=str(date.fromisoformat(issued)
                                                        + timedelta(days=30)))
    seen = []
    for day in (TODAY, TODAY + timedelta(days=50), TODAY + timedelta(days=400)):
        alerts.refresh_stale(session, day)  # days pass: severities change, alerts come and go
        seen.append(counted(session))
        assert kept(session) == seen[-1], day
    assert len({tuple(sorted(s.items())) for s in seen}) > 1, seen
    assert {c for c, _ in seen[0]} == {owner.creditor_id, outsider.creditor_id}
    make_payment(session, owner, hotel, amount="1200.00", invoice_id=str(overdue.id))
    for number in ("F-2", "R-1"):
        invoice = session.exec(select(Invoice).where(Invoice.number == number)).one()
        invoices.delete(session, owner if number == "F-2" else outsider, invoice)
    alerts.refresh_stale(session, TODAY)
    assert kept(session) == counted(session)
    assert sum(n for (c, _), n in kept(session).items() if c == owner.creditor_id) < sum(
        n for (c, _), n in seen[0].items() if c == owner.creditor_id)
    assert not any(c == outsider.creditor_id for c, _ in kept(session))  # none left: no row


def test_a_payment_undone_brings_its_alerts_and_their_counts_back(
        session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    payment = make_payment(session, owner, debtor, date="2026-06-20", amount="1200.00")  # in time: settles it
    alerts.refresh_stale(session, TODAY)
    before = kept(session)
    payments.delete(session, owner, payment)
    alerts.refresh_stale(session, TODAY)
    assert kept(session) == counted(session) != before
    assert sum(kept(session).values()) > sum(before.values())


def test_the_upgrade_counts_the_alerts_already_kept(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.migrate(engine)
    with Session(engine, expire_on_commit=False) as session:
        owner = make_user(session, "paul@martin.test", "Menuiserie Martin")
        for n in range(3):
            debtor = make_debtor(session, owner, legal_name=f"Client {n}", siren="")
            make_invoice(session, owner, debtor, number=f"F-{n}", issue_date="2025-01-20",
                         due_date="2025-02-19")
        alerts.refresh_stale(session, TODAY)
        before = counted(session)
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007_evidence_number")  # as before: no kept counts
    db.migrate(engine)
    with Session(engine) as session:
        assert kept(session) == counted(session) == before and before
    engine.dispose()


def test_a_file_seen_on_its_page_keeps_the_counts_right(session: Session, owner: Actor) -> None:
    """The debtor's page stores that one file's alerts (services/file_view.py), not a batch."""
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor, issue_date="2026-06-01", due_date="2026-07-01")
    alerts.refresh_stale(session, TODAY)
    for days in (30, 200, 800):
        file_view(session, debtor, TODAY + timedelta(days=days))
        assert kept(session) == counted(session), days
    assert kept(session)
