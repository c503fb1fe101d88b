"""A message planned earlier is checked against the file again just before it is handed over.

Between the plan and the send (a 4xx retry, an intent a stopped run left, the worker acting
after "Relances du jour") the debtor may have paid, gone into collective proceedings, or got a
hold: the message is then cancelled with the reason, never sent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from app.config import Settings
from app.models import Debtor, Invoice, ReminderMessage
from app.models.types import utcnow
from app.services.context import Actor
from app.services.reminders.holds import add_hold
from app.services.reminders.run import prepare, record_plan, run, send_pending, system_actor
from tests.factories import make_full_payment, make_step
from tests.reminders.conftest import SENDER, TODAY, Recorder, free_port


class Greylisting:
    """451 to the first RCPT, then accepts everything."""

    def __init__(self) -> None:
        self.calls = 0
        self.accepted: list[bytes] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:
        self.calls += 1
        if self.calls == 1:
            return "451 4.7.1 Greylisted, reessayez"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.accepted.append(envelope.original_content or envelope.content)
        return "250 2.0.0 Ok"


@pytest.fixture
def greylist(tmp_path):  # type: ignore[no-untyped-def]
    handler = Greylisting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, Settings(data_dir=tmp_path / "data", today=TODAY,
                            smtp_url=f"smtp://127.0.0.1:{port}", smtp_from=SENDER)
    controller.stop()


def _retry_now(session: Session) -> ReminderMessage:
    row = session.exec(select(ReminderMessage)).one()
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    return row


def _message(session: Session) -> ReminderMessage:
    session.expire_all()
    return session.exec(select(ReminderMessage)).one()


def test_retry_after_full_payment_is_cancelled(engine, session: Session, owner: Actor,
                                               durand: Debtor, greylist) -> None:
    handler, settings = greylist
    assert [o.status for o in run(engine, settings, owner.creditor_id, TODAY)] == ["retry"]
    make_full_payment(session, owner, durand, TODAY)  # the prices and their penalties
    row = _retry_now(session)
    assert send_pending(engine, settings, system_actor(owner.creditor_id)) == {row.id: "cancelled"}
    assert handler.accepted == []
    row = _message(session)
    assert row.status == "cancelled"
    assert row.reason == "annulé avant l'envoi : les factures de ce message sont réglées"


def test_retry_after_collective_proceedings_is_cancelled(engine, session: Session, owner: Actor,
                                                         durand: Debtor, greylist) -> None:
    handler, settings = greylist
    assert [o.status for o in run(engine, settings, owner.creditor_id, TODAY)] == ["retry"]
    make_step(session, owner, durand, kind="collective_proceedings", date=TODAY.isoformat(),
              level="", channel="")
    _retry_now(session)
    send_pending(engine, settings, system_actor(owner.creditor_id))
    assert handler.accepted == []
    row = _message(session)
    assert row.status == "cancelled"
    assert row.reason.startswith("annulé avant l'envoi : procédure collective")


def test_intent_left_by_a_stopped_run_is_cancelled_after_a_hold(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    plan = prepare(engine, owner.creditor_id, TODAY)
    record_plan(engine, system_actor(owner.creditor_id), plan)  # the run stops here
    row = session.exec(select(ReminderMessage)).one()
    row.created_at -= timedelta(hours=1)
    session.add(row)
    session.commit()
    add_hold(session, owner, durand, {"reason": "Négociation en cours"}, TODAY)
    run(engine, smtp_settings, owner.creditor_id, TODAY)  # acts on the intent left waiting
    assert smtp[0].messages == []
    row = _message(session)
    assert (row.status, row.reason) == (
        "cancelled", "annulé avant l'envoi : relances suspendues : Négociation en cours")


def test_worker_send_after_a_partial_payment_of_one_invoice_is_cancelled(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    plan = prepare(engine, owner.creditor_id, TODAY)
    recorded = record_plan(engine, system_actor(owner.creditor_id), plan)  # "Relances du jour"
    f2 = session.exec(select(Invoice).where(Invoice.number == "F-2")).one()
    make_full_payment(session, owner, durand, TODAY, f2)  # F-2 paid before the worker acts
    [(_, message_id)] = recorded
    send_pending(engine, smtp_settings, system_actor(owner.creditor_id), [message_id])
    assert smtp[0].messages == []
    row = _message(session)
    assert (row.status, row.reason) == (
        "cancelled", "annulé avant l'envoi : une facture de ce message a été réglée depuis")
    # the next run plans a message for the invoice still unpaid
    again = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert [(o.status, o.invoices) for o in again] == [("sent", ["F-1"])]


def test_message_still_due_is_sent(engine, session: Session, owner: Actor, durand: Debtor,
                                   greylist) -> None:
    handler, settings = greylist
    run(engine, settings, owner.creditor_id, TODAY)
    row = _retry_now(session)
    assert send_pending(engine, settings, system_actor(owner.creditor_id)) == {row.id: "sent"}
    assert len(handler.accepted) == 1


def test_a_message_cancelled_for_a_hold_goes_once_the_hold_is_lifted(
        engine, session: Session, owner: Actor, durand: Debtor, smtp: tuple[Recorder, int],
        smtp_settings: Settings) -> None:
    # Review 39: "Relances du jour" recorded the relance, a person then put the debtor on hold
    # ("Négociation en cours") before the worker acted: cancelled, right. The negotiation
    # fails, the hold is lifted the same day: the plan shows the same relance due again, but
    # its row's key (debtor, template, invoices) is taken by the cancelled one, so every run
    # answers "déjà pris en charge par une autre exécution" and the relance never goes.
    from app.services.reminders.holds import lift_hold

    plan = prepare(engine, owner.creditor_id, TODAY)
    [(_, message_id)] = record_plan(engine, system_actor(owner.creditor_id), plan)
    hold = add_hold(session, owner, durand, {"reason": "Négociation en cours"}, TODAY)
    send_pending(engine, smtp_settings, system_actor(owner.creditor_id), [message_id])
    assert _message(session).status == "cancelled"
    lift_hold(session, owner, durand, hold.id)  # type: ignore[arg-type]
    again = run(engine, smtp_settings, owner.creditor_id, TODAY)
    assert [o.status for o in again] == ["sent"], [(o.status, o.reason) for o in again]
    assert len(smtp[0].messages) == 1
