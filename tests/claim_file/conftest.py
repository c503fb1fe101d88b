"""A debtor's file worth a claim file: two invoices, a payment, reminders, a mise en demeure
and its AR, and exhibits uploaded out of the ordre d'usage (invoices first, the quote last),
among them a scanned AR (JPEG) and an e-mail with its attachment."""

from __future__ import annotations

import io
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from PIL import Image
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.models import ClaimFileJob, Debtor, Evidence, GeneratedDocument
from app.services import claim_file, claim_file_run, evidence
from app.services.context import Actor
from app.storage import FileStore
from tests.factories import make_debtor, make_invoice, make_payment, make_step
from tests.pdfs import outline

A4 = (595.276, 841.89)


def text_pdf(label: str, pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    for n in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=A4)
        page.obj.Contents = pdf.make_stream(f"BT /F1 18 Tf 72 700 Td ({label} {n}) Tj ET".encode())
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    buffer = io.BytesIO()
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def scan_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 640), (240, 238, 230)).save(buffer, "JPEG", quality=80,
                                                        dpi=(150, 150))
    return buffer.getvalue()


def email_bytes(attachment: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "Marc Durand <marc@durand-btp.test>"
    message["To"] = "claire@lefevre.test"
    message["Subject"] = "RE: facture F-2025-001"
    message["Date"] = "Tue, 04 Mar 2025 10:00:00 +0100"
    message.set_content("Bonjour,\n\nNous réglerons la facture F-2025-001 fin mars.\n\nMarc Durand")
    message.add_attachment(attachment, maintype="application", subtype="pdf",
                           filename="facture-F-2025-001.pdf")
    return bytes(message)


@pytest.fixture
def store(settings: Settings) -> FileStore:
    settings.ensure_dirs()
    return FileStore(settings.files_dir)


@pytest.fixture
def debtor(session: Session, owner: Actor) -> Debtor:
    return make_debtor(session, owner)


@pytest.fixture
def exhibits(session: Session, owner: Actor, store: FileStore, debtor: Debtor,
             ) -> dict[str, Evidence]:
    make_invoice(session, owner, debtor)
    make_invoice(session, owner, debtor, number="F-2025-002", issue_date="2025-02-01",
                 due_date="2025-03-03", amount_ht="500.00", amount_tva="100.00",
                 amount_ttc="600.00", description="Escalier")
    make_payment(session, owner, debtor, date="2025-06-01", amount="200.00")
    make_step(session, owner, debtor, date="2025-03-01")
    make_step(session, owner, debtor, kind="mise_en_demeure", date="2025-04-01", channel="lrar",
              reference="1A 000 111 2222 3", deadline_days="8", level="")
    make_step(session, owner, debtor, kind="ar_signed", date="2025-04-03", channel="lrar",
              level="")

    def add(name: str, content: bytes, kind: str, title: str, day: str,
            invoices: str = "F-2025-001") -> Evidence:
        return evidence.add_bytes(session, owner, store, debtor, content, name, 10_000_000,
                                  {"kind": kind, "title": title, "document_date": day,
                                   "invoices": invoices})

    invoice_pdf = text_pdf("Facture F-2025-001", 2)
    return {
        "invoice_1": add("F-2025-001.pdf", invoice_pdf, "invoice", "Facture F-2025-001",
                         "2025-01-10"),
        "invoice_2": add("F-2025-002.pdf", text_pdf("Facture F-2025-002"), "invoice",
                         "Facture F-2025-002", "2025-02-01", "F-2025-002"),
        "ar": add("AR.jpg", scan_jpeg(), "ar_signed", "Avis de réception signé", "2025-04-03"),
        "email": add("reponse.eml", email_bytes(invoice_pdf), "email",
                     "Réponse de M. Durand", "2025-03-04"),
        "quote": add("devis.pdf", text_pdf("Devis signe", 3), "signed_quote",
                     "Devis D-12 signé", "2024-12-01", "F-2025-001, F-2025-002"),
    }


def build_now(engine: Engine, settings: Settings, session: Session, actor: Actor,
              debtor: Debtor, data: dict[str, str] | None = None) -> ClaimFileJob:
    """Start a job and run it in this thread; the job as it ended."""
    job = claim_file.start(session, actor, debtor, data or {}, settings.today)  # type: ignore[arg-type]
    claim_file_run.run(engine, settings.files_dir, job.id)  # type: ignore[arg-type]
    session.expire_all()
    finished = session.get(ClaimFileJob, job.id)
    assert finished is not None
    return finished


@pytest.fixture
def build(engine: Engine, settings: Settings, session: Session, owner: Actor, debtor: Debtor,
          ) -> Callable[..., ClaimFileJob]:
    def run(data: dict[str, str] | None = None) -> ClaimFileJob:
        return build_now(engine, settings, session, owner, debtor, data)
    return run


def pdf_of(store: FileStore, session: Session, job: ClaimFileJob) -> Path:
    document = session.get(GeneratedDocument, job.pdf_document_id)
    assert document is not None
    return store.path_for(document.sha256)


def plain(text: str) -> str:
    """Extracted text with every kind of space made one ordinary space."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture
def helpers() -> SimpleNamespace:
    return SimpleNamespace(pdf_of=pdf_of, outline=outline, plain=plain, build_now=build_now,
                           text_pdf=text_pdf)
