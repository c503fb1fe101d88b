"""What counts as already reminded: an automatic message covers the invoices it named; a
relance recorded by hand covers every invoice already due on its day."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.config import Settings
from app.models import Debtor
from app.services.context import Actor
from app.services.reminders.run import run
from tests.factories import make_invoice, make_step
from tests.reminders.conftest import TODAY, Recorder

LATER = date(2026, 11, 26)  # F-3, due 10/11/2026, at J+16: relance 2


def _f3(session: Session, owner: Actor, durand: Debtor) -> None:
    make_invoice(session, owner, durand, number="F-3", issue_date="2026-10-10",
                 due_date="2026-11-10", amount_ht="250.00", amount_tva="50.00",
                 amount_ttc="300.00")


def test_invoice_entered_after_an_automatic_relance_gets_its_own(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    sent = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert [(o.step, o.invoices, o.status) for o in sent] == [
        ("relance_2", ["F-1", "F-2"], "sent")]
    _f3(session, owner, durand)  # entered after the relance 2 of 22/11, which did not name it
    later = run(engine, smtp_settings, owner.creditor_id, LATER)
    assert [(o.step, o.invoices, o.status) for o in later] == [("relance_2", ["F-3"], "sent")]


def test_relance_recorded_by_hand_covers_the_invoices_due_on_its_day(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    _f3(session, owner, durand)
    make_step(session, owner, durand, kind="reminder", level="2", date=TODAY.isoformat())
    assert run(engine, smtp_settings, owner.creditor_id, LATER) == []
