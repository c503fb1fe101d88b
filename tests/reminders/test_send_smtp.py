"""Reminders handed to a real SMTP server: headers, body, attachments, refusals, no resend."""

from __future__ import annotations

from email import message_from_bytes, policy

from sqlmodel import Session, select

from app.config import Settings
from app.models import Debtor, Evidence, ReminderMessage, Step, StepEvidence
from app.services.context import Actor
from app.services.reminders.run import run
from tests.reminders.conftest import TODAY, Recorder


def test_one_message_per_debtor_at_the_highest_level(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    outcomes = run(engine, smtp_settings, owner.creditor_id, TODAY)
    sent = [o for o in outcomes if o.status == "sent"]
    assert [(o.step, o.channel, o.invoices) for o in sent] == [("relance_2", "email", ["F-1", "F-2"])]
    recorder = smtp[0]
    assert len(recorder.messages) == 1
    received = recorder.messages[0]
    assert received.sender == "claire@lefevre.test"
    assert received.recipients == ["compta@durand.test"]
    mail = message_from_bytes(received.data, policy=policy.default)
    assert mail["From"] == "Claire Lefèvre <claire@lefevre.test>"
    assert mail["Reply-To"] == "compta@lefevre.test"
    assert mail["Subject"].startswith("Deuxième relance")
    text = mail.get_body(("plain",)).get_content()
    assert "F-1, échéance le 05/11/2026" in text
    row = session.exec(select(ReminderMessage)).one()
    assert row.status == "sent" and row.smtp_reply.startswith("250 2.0.0")
    assert mail["Message-ID"] == row.message_id

