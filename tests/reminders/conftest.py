"""A real SMTP server on 127.0.0.1 (aiosmtpd) and a debtor with two overdue invoices.

The server keeps every message it accepted (envelope and exact bytes); a recipient whose
address starts with "refuse" is refused for good (550), one starting with "busy" for now (451).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import db
from app.config import Settings
from app.models import Creditor, Debtor
from app.services.context import Actor
from tests.conftest import TEST_DB_URL, _emptied, _postgres
from tests.factories import make_debtor, make_invoice

TODAY = date(2026, 11, 22)
SENDER = "relances@lefevre.test"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """The day's sending runs on the app's worker thread while the request thread polls its
    progress: a database file with a connection per thread, as in production. In memory,
    every thread shares the one connection, and a poll's ROLLBACK could undo the worker's
    unfinished writes (a foreign-key error filing the reminder's copy, 1 run in 8)."""
    if TEST_DB_URL:
        yield _emptied(_postgres())
        return
    engine = db.make_engine(f"sqlite:///{tmp_path / 'reminders.sqlite3'}")
    db.create_all(engine)
    yield engine
    engine.dispose()


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class Recorder:
    messages: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:
        if address.startswith("refuse"):
            self.refused.append(address)
            return f"550 5.1.1 <{address}>: utilisateur inconnu"
        if address.startswith("busy"):
            self.refused.append(address)
            return "451 4.7.1 Boite pleine, reessayez plus tard"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content or envelope.content))
        return "250 2.0.0 Ok: queued as 4XyZ"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield recorder, port
    controller.stop()


@pytest.fixture
def smtp_settings(tmp_path: Path, smtp: tuple[Recorder, int]) -> Settings:
    return Settings(data_dir=tmp_path / "data", today=TODAY,
                    smtp_url=f"smtp://127.0.0.1:{smtp[1]}", smtp_from=SENDER)


@pytest.fixture
def durand(session: Session, owner: Actor) -> Debtor:
    """Durand BTP: F-1 due 05/11/2026 (J+17: relance 2) and F-2 due 18/11/2026 (J+4: relance 1)."""
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.sender_name, creditor.sender_email = "Claire Lefèvre", "claire@lefevre.test"
    creditor.reply_to = "compta@lefevre.test"
    session.add(creditor)
    session.commit()
    debtor = make_debtor(session, owner, email="compta@durand.test")
    make_invoice(session, owner, debtor, number="F-1", issue_date="2026-10-06",
                 due_date="2026-11-05")
    make_invoice(session, owner, debtor, number="F-2", issue_date="2026-10-19",
                 due_date="2026-11-18", amount_ht="500.00", amount_tva="100.00",
                 amount_ttc="600.00")
    session.refresh(debtor)
    return debtor
