"""The scheduled run: each morning, what is due goes out for creditors with "envoi automatique"
on (off by default), registered with the queue at 07:00; retries every 5 minutes."""

from __future__ import annotations

import procrastinate
from procrastinate.testing import InMemoryConnector
from sqlmodel import Session, select

from app import jobs
from app.config import Settings
from app.models import Creditor, Debtor, ReminderMessage
from app.services.context import Actor
from app.services.reminders.run import morning
from tests.factories import make_debtor, make_invoice
from tests.reminders.conftest import TODAY, Recorder


def test_morning_run_is_registered_at_seven_and_retries_every_five_minutes() -> None:
    queue_app = procrastinate.App(connector=InMemoryConnector())
    jobs.register(queue_app)  # as for PostgreSQL's workers
    crons = {name: task.cron for (name, _), task in queue_app.periodic_registry.periodic_tasks.items()}
    assert crons["reminders.morning"] == "0 7 * * *"
    assert crons["reminders.retry"] == "*/5 * * * *"
    assert {"reminders.run", "reminders.send"} <= set(queue_app.tasks)
    inline = procrastinate.App(connector=InMemoryConnector())
    jobs.register(inline, inline=True)  # SQLite: retried by the next run or click
    assert "reminders.retry" not in {n for n, _ in inline.periodic_registry.periodic_tasks}


def test_morning_run_sends_only_for_creditors_with_automatic_sending(
        engine, session: Session, owner: Actor, outsider: Actor, durand: Debtor,
        smtp: tuple[Recorder, int], smtp_settings: Settings) -> None:
    roux = make_debtor(session, outsider, legal_name="Client de Roux", siren="",
                       email="client@roux.test")
    make_invoice(session, outsider, roux, number="R-1", issue_date="2026-10-06",
                 due_date="2026-11-05")
    assert morning(engine, smtp_settings, TODAY) == 0  # off by default
    assert smtp[0].messages == []
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.reminders_auto = True
    session.add(creditor)
    session.commit()
    assert morning(engine, smtp_settings, TODAY) == 1
    assert [m.recipients for m in smtp[0].messages] == [["compta@durand.test"]]
    rows = session.exec(select(ReminderMessage)).all()
    assert [(r.creditor_id, r.status) for r in rows] == [(owner.creditor_id, "sent")]
    assert morning(engine, smtp_settings, TODAY) == 0  # the next morning run: nothing new
