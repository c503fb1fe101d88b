"""A creditor's file with real stored files (pièces, generated documents), and restore targets.

Under CONTENTIEUX_TEST_DATABASE_URL (PostgreSQL) the restore target is a second, empty
database on the same server, created for the test and dropped after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

from app import db
from app.config import Settings
from app.models import Debtor, Evidence, GeneratedDocument
from app.services import evidence as evidence_service
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import TEST_DB_URL, TODAY
from tests.factories import make_debtor, make_invoice

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LIMIT = 10 * 1024 * 1024


@dataclass
class Snapshot:
    """What a restore must give back: debtors, pièces and documents with their hashes."""

    debtors: list[tuple[int, str, str]]
    evidence: list[tuple[int, int, str, str, int]]
    documents: list[tuple[int, int, str, str, int]]


def snapshot(session: Session) -> Snapshot:
    return Snapshot(
        debtors=[(d.id, d.legal_name, d.siren) for d in  # type: ignore[misc]
                 session.exec(select(Debtor).order_by(Debtor.id))],
        evidence=[(e.id, e.debtor_id, e.original_name, e.sha256, e.size) for e in  # type: ignore[misc]
                  session.exec(select(Evidence).order_by(Evidence.id))],
        documents=[(g.id, g.debtor_id, g.kind, g.sha256, g.size) for g in  # type: ignore[misc]
                   session.exec(select(GeneratedDocument).order_by(GeneratedDocument.id))],
    )


@pytest.fixture
def store(settings: Settings) -> FileStore:
    settings.ensure_dirs()
    return FileStore(settings.files_dir)


def add_document(session: Session, actor: Actor, store: FileStore, debtor: Debtor,
                 content: bytes, kind: str = "mise_en_demeure") -> GeneratedDocument:
    sha = store.put(content)
    document = GeneratedDocument(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                                 kind=kind, document_date=date(2026, 11, 2), sha256=sha,
                                 size=len(content), filename=f"{kind}.pdf")
    session.add(document)
    session.commit()
    return document


@pytest.fixture
def filled(session: Session, owner: Actor, store: FileStore) -> Snapshot:
    """Two debtors, three pièces (one shared by both), one generated letter."""
    durand = make_debtor(session, owner)
    make_invoice(session, owner, durand)
    martin = make_debtor(session, owner, legal_name="Boulangerie Martin", siren="")
    quote = (SAMPLES / "text_quote_signed.pdf").read_bytes()
    for debtor, name in ((durand, "text_quote_signed.pdf"), (martin, "screenshot.png")):
        content = (SAMPLES / name).read_bytes()
        evidence_service.add_bytes(session, owner, store, debtor, content, name, LIMIT)
    evidence_service.add_bytes(session, owner, store, martin, quote, "devis.pdf", LIMIT)
    add_document(session, owner, store, durand, b"%PDF-1.7\n% mise en demeure\n%%EOF\n")
    return snapshot(session)


@pytest.fixture
def restore_settings(tmp_path: Path) -> Iterator[Settings]:
    data_dir = tmp_path / "restored"
    if not TEST_DB_URL:
        yield Settings(data_dir=data_dir, today=TODAY)
        return
    name = f"contentieux_restore_{uuid.uuid4().hex[:10]}"
    server = db.make_engine(TEST_DB_URL).execution_options(isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(TEST_DB_URL).set(database=name).render_as_string(hide_password=False)
    yield Settings(data_dir=data_dir, database_url=url, today=TODAY)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def open_engine(settings: Settings) -> Engine:
    return db.make_engine(settings.db_url)
