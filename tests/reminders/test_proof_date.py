"""The proof of a sent reminder (its Step, its pièce) carries the day it left, not the day
it was planned: an intent a stopped run left, sent by a later run."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.config import Settings
from app.formatting import date_fr
from app.models import Debtor, Evidence, ReminderMessage, Step
from app.services.context import Actor
from app.services.reminders.run import prepare, record_plan, run, system_actor
from tests.reminders.conftest import TODAY, Recorder

LATER = TODAY + timedelta(days=3)


def _intent_left_on(engine, session: Session, owner: Actor) -> None:  # type: ignore[no-untyped-def]
    record_plan(engine, system_actor(owner.creditor_id), prepare(engine, owner.creditor_id, TODAY))
    row = session.exec(select(ReminderMessage)).one()  # the run stopped before sending
    row.created_at -= timedelta(days=3)
    session.add(row)
    session.commit()


def test_intent_sent_later_is_proved_on_the_day_it_left(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    _intent_left_on(engine, session, owner)
    run(engine, smtp_settings, owner.creditor_id, LATER)
    assert len(smtp[0].messages) == 1
    step = session.exec(select(Step).where(Step.kind == "reminder")).one()
    piece = session.exec(select(Evidence).where(Evidence.kind == "reminder_copy")).one()
    assert step.date == piece.document_date == LATER
    assert f"par e-mail du {date_fr(LATER)} à compta@durand.test" in piece.title
    assert session.exec(select(ReminderMessage)).one().planned_for == TODAY
