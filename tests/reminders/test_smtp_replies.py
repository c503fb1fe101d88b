"""Only the server's reply to DATA says a message was handed over: an unexpected reply to
MAIL or RCPT (a 2xx other than 250, or 251 to RCPT) is no acceptance."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from app.config import Settings, parse_smtp_url
from app.models import Debtor, ReminderMessage, Step
from app.services.context import Actor
from app.services.reminders import send
from app.services.reminders.run import run
from tests.reminders.conftest import SENDER, TODAY, free_port

EML = (b"From: relances@lefevre.test\r\nTo: compta@durand.test\r\nSubject: Relance 1\r\n"
       b"Message-ID: <r-1@lefevre.test>\r\n\r\nMadame, Monsieur,\r\n")


class Replies:
    """Answers MAIL and RCPT as told; keeps what reached DATA."""

    def __init__(self, mail: str = "250 OK", rcpt: str = "250 OK") -> None:
        self.mail, self.rcpt = mail, rcpt
        self.data: list[bytes] = []

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:
        envelope.mail_from = address
        return self.mail

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:
        envelope.rcpt_tos.append(address)
        return self.rcpt

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data.append(envelope.content)
        return "250 2.0.0 Ok"


@contextmanager
def _server(handler: Replies) -> Iterator[int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.mark.parametrize(("mail", "rcpt", "status", "reply"), [
    ("250 OK", "251 2.1.5 Forwarded", "sent", "250 2.0.0 Ok"),
    ("250 OK", "252 2.1.5 Cannot VRFY user, but will accept message", "failed",
     "réponse inattendue du serveur avant l'envoi : 252 2.1.5 Cannot VRFY user, but will "
     "accept message"),
    ("251 OK", "250 OK", "failed", "réponse inattendue du serveur avant l'envoi : 251 OK"),
    ("250 OK", "354 Go ahead", "failed",
     "réponse inattendue du serveur avant l'envoi : 354 Go ahead"),
    ("250 OK", "452 4.2.2 Boite pleine", "retry", "452 4.2.2 Boite pleine"),
    ("550 5.7.1 Expediteur refuse", "250 OK", "failed", "550 5.7.1 Expediteur refuse"),
])
def test_only_the_reply_to_data_means_sent(mail: str, rcpt: str, status: str,
                                           reply: str) -> None:
    handler = Replies(mail, rcpt)
    with _server(handler) as port:
        server = parse_smtp_url(f"smtp://127.0.0.1:{port}")
        assert server is not None
        delivery = send.send(server, EML, SENDER, "compta@durand.test", timeout=10)
        assert (delivery.status, delivery.reply) == (status, reply)
        assert len(handler.data) == (1 if status == "sent" else 0)


def test_reminder_answered_252_is_not_recorded_as_sent(engine, session: Session, owner: Actor,
                                                       durand: Debtor, tmp_path) -> None:
    handler = Replies(rcpt="252 2.1.5 Cannot VRFY user, but will accept message")
    with _server(handler) as port:
        settings = Settings(data_dir=tmp_path / "data", today=TODAY,
                            smtp_url=f"smtp://127.0.0.1:{port}", smtp_from=SENDER)
        [outcome] = run(engine, settings, owner.creditor_id, TODAY)
    assert outcome.status == "failed"
    assert outcome.reason.startswith("refusé par le serveur : réponse inattendue du serveur "
                                     "avant l'envoi : 252")
    assert handler.data == []
    assert session.exec(select(Step)).all() == []
    assert session.exec(select(ReminderMessage)).one().sent_at is None
