"""Reading a pièce's text in the background (app/services/evidence_text/): PDF text layers and
e-mails read directly, Factur-X data, OCR of scans and photos into a copy kept beside the
untouched original, suggestions set but not applied, retries, and OCR off without Tesseract.

Only the tests marked `ocr` run OCRmyPDF (seconds each); without it they fail under CI."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.evidence import ocr
from app.models import Debtor, Evidence, EvidenceText
from app.ops.inventory import referenced_files
from app.services import evidence as exhibits
from app.services import evidence_text
from app.services.attempts import Attempt
from app.services.claim_file_build import engine_exhibits
from app.services.context import Actor
from app.services.evidence_text import reading
from app.services.evidence_text.copy import claim_file_source
from app.storage import FileStore
from tests.conftest import TODAY, Browser
from tests.evidence.conftest import LIMIT_MB, sample, upload
from tests.factories import make_invoice

MB = 1024 * 1024
ISSUE_SCAN = Path(__file__).resolve().parents[1] / "samples" / "ocr" / "issue-bl-2026-77.jpg"
needs_ocr = pytest.mark.skipif(not ocr.available() and not os.environ.get("CI"),
                               reason="OCRmyPDF and Tesseract are not installed")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", today=TODAY, max_upload_mb=LIMIT_MB,
                    read_evidence=True)


def add(session: Session, actor: Actor, store: FileStore, debtor: Debtor, name: str,
        content: bytes | None = None) -> Evidence:
    return exhibits.add_bytes(session, actor, store, debtor, content or sample(name), name, MB)


def read_now(engine: Engine, store: FileStore, evidence: Evidence, **options: object) -> Evidence:
    evidence_text.run(engine, store.root, evidence.id, **options)  # type: ignore[arg-type]
    with Session(engine, expire_on_commit=False) as fresh:
        row = fresh.get(Evidence, evidence.id)
    assert row is not None
    return row


def text_of(engine: Engine, evidence: Evidence) -> str:
    with Session(engine) as fresh:
        row = fresh.get(EvidenceText, evidence.id)
        return row.text if row else ""


def no_ocr_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None
                        if name in ("ocrmypdf", "tesseract") else real(name, *a, **k))
    monkeypatch.setattr(ocr, "_asked", [])  # the pages' last answer forgotten, as a minute on


def test_the_pages_ask_for_the_ocr_programs_at_most_once_a_minute(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    installed = [True]
    monkeypatch.setattr(ocr, "_asked", [])
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k:
                        asked.append(name) or (f"/usr/bin/{name}" if installed[0] else None))
    assert ocr.available_lately(now=1000.0) and ocr.available_lately(now=1059.0)
    assert asked == ["ocrmypdf", "tesseract"]  # one search of the PATH for both renders
    installed[0] = False  # the packages removed: the pages say so within the minute
    assert ocr.available_lately(now=1059.9)
    assert not ocr.available_lately(now=1060.0)
    assert not ocr.available() and len(asked) == 4  # the reading jobs ask each time
    installed[0] = True
    assert ocr.available_lately(now=10.0)  # an earlier time than the last answer: asked again


def test_a_pdf_with_a_text_layer_is_read_directly_even_without_ocr(
        engine: Engine, session: Session, owner: Actor, store: FileStore, durand: Debtor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    no_ocr_programs(monkeypatch)
    evidence = read_now(engine, store, add(session, owner, store, durand, "text_quote_signed.pdf"))
    assert (evidence.text_status, evidence.text_source, evidence.ocr_sha256) == ("done", "pdf", "")
    assert "devis" in text_of(engine, evidence).lower()
    assert evidence.suggested_kind == "signed_quote"
    assert evidence.kind == "signed_quote" and evidence.document_date is None  # nothing applied


def test_an_email_is_read_from_its_subject_and_body(
        engine: Engine, session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    evidence = read_now(engine, store,
                        add(session, owner, store, durand, "email_with_pdf_attachment.eml"))
    assert (evidence.text_status, evidence.text_source) == ("done", "email")
    assert "Objet :" in text_of(engine, evidence)
    # "Relance facture F-2025-001" is an e-mail about an invoice, not an invoice: never
    # suggested as "Facture" (seen: accepting it reclassified the exchange)
    assert evidence.suggested_kind == "email"


def test_a_facturx_invoice_is_read_from_its_data_and_links_its_own_number(
        engine: Engine, session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    make_invoice(session, owner, durand, number="F-2026-042")
    evidence = read_now(engine, store,
                        add(session, owner, store, durand, "facturx_invoice_F-2026-042.pdf"))
    assert (evidence.text_status, evidence.text_source) == ("done", "facturx")
    assert evidence.suggested_kind == "invoice"
    assert evidence.suggested_invoices == ["F-2026-042"]
    assert evidence.suggested_date == date.fromisoformat(evidence.meta["facturx"]["issue_date"])


def test_without_tesseract_a_scan_stays_unread_with_a_notice_and_pdfs_are_still_read(
        owner_client: Browser, session: Session, durand: Debtor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    no_ocr_programs(monkeypatch)
    response = upload(owner_client, durand, ("scan.pdf", sample("scanned_delivery_note.pdf")),
                      ("devis.pdf", sample("text_quote_signed.pdf")))
    assert response.status_code == 200
    owner_client.app.state.queue.drain()  # type: ignore[attr-defined]
    session.expire_all()
    quote, scan = sorted(session.exec(select(Evidence)).all(), key=lambda e: e.original_name)
    assert (quote.original_name, quote.text_status, quote.text_source) == ("devis.pdf", "done", "pdf")
    assert (scan.text_status, scan.ocr_sha256) == ("none", "")
    page = owner_client.get(f"/debtors/{durand.id}").text
    assert "Lecture des scans et photos (OCR) désactivée" in page
    assert "Texte lu (PDF)" in page


def test_a_failed_ocr_is_final_and_says_why(
        engine: Engine, session: Session, owner: Actor, store: FileStore, durand: Debtor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> Path:
        raise ocr.OcrFailed("le PDF est protégé par un mot de passe : son texte ne peut pas être lu.")

    monkeypatch.setattr(ocr, "ocr_file", refuse)
    evidence = read_now(engine, store, add(session, owner, store, durand, "screenshot.png"),
                        attempt=Attempt(1, "worker:1"), ocr_on=True)
    assert evidence.text_status == "failed"
    assert evidence.meta["text_error"].startswith("le PDF est protégé")


def test_an_unexpected_error_is_retried_then_given_up(
        engine: Engine, session: Session, owner: Actor, store: FileStore, durand: Debtor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(reading.ocr, "ocr_file", crash)
    evidence = add(session, owner, store, durand, "screenshot.png")
    with pytest.raises(RuntimeError):  # the queue runs it again
        read_now(engine, store, evidence, attempt=Attempt(1, "worker:1"), ocr_on=True)
    with Session(engine) as fresh:
        assert fresh.get(Evidence, evidence.id).text_status != "failed"  # type: ignore[union-attr]
    with pytest.raises(RuntimeError):  # the last attempt fails it, and tells the queue
        read_now(engine, store, evidence, attempt=Attempt(3, "worker:1"), ocr_on=True)
    with Session(engine) as fresh:
        row = fresh.get(Evidence, evidence.id)
        assert row is not None and row.text_status == "failed"
        assert row.meta["text_attempts"] == 3


def test_the_ocr_copy_is_referenced_and_used_by_the_claim_file_only_when_chosen(
        engine: Engine, session: Session, owner: Actor, store: FileStore, durand: Debtor) -> None:
    evidence = add(session, owner, store, durand, "screenshot.png")
    copy = store.put(sample("scanned_delivery_note.pdf"))
    evidence.ocr_sha256 = copy
    session.add(evidence)
    session.commit()
    assert copy in referenced_files(engine)  # never swept as an orphan
    (exhibit,) = engine_exhibits(store, [(1, evidence)])
    assert (exhibit.path, exhibit.media_type) == (store.path_for(evidence.sha256), "image/png")
    evidence_text.copy.set_use_ocr_copy(session, owner, evidence, True)
    (exhibit,) = engine_exhibits(store, [(1, evidence)])
    assert (exhibit.path, exhibit.media_type, exhibit.sha256) == \
        (store.path_for(copy), "application/pdf", copy)
    assert claim_file_source(store, evidence)[2] == copy


@needs_ocr
def test_ocr_of_the_issue_scan_suggests_delivery_note_invoice_and_date(
        owner_client: Browser, session: Session, owner: Actor, store: FileStore,
        durand: Debtor) -> None:
    """The issue's test: a generated scan of "BON DE LIVRAISON N° BL-2026-77 … Facture
    F-2026-140 … 12/03/2026", uploaded, read on the queue; the user then chooses the copy."""
    for number in ("F-2026-140", "F-2026-14", "F-2026-1400"):
        make_invoice(session, owner, durand, number=number)
    original = ISSUE_SCAN.read_bytes()
    assert upload(owner_client, durand, ("scan-0001.jpg", original)).status_code == 200
    session.expire_all()
    (evidence,) = session.exec(select(Evidence)).all()  # type: ignore[attr-defined]
    badge = owner_client.get(f"/evidence/{evidence.id}/text-status").text
    assert 'data-text-status="pending"' in badge and 'hx-trigger="every 2s"' in badge
    owner_client.app.state.queue.drain(timeout=300)  # type: ignore[attr-defined]
    session.expire_all()
    evidence = session.get(Evidence, evidence.id)
    assert evidence is not None
    assert (evidence.text_status, evidence.text_source) == ("done", "ocr")
    assert evidence.suggested_kind == "delivery_note"
    assert evidence.suggested_invoices == ["F-2026-140"]
    assert evidence.suggested_date == date(2026, 3, 12)
    assert evidence.kind == "other" and evidence.document_date is None  # not applied
    assert store.read(evidence.sha256) == original  # the original untouched
    assert store.read(evidence.ocr_sha256).startswith(b"%PDF")
    assert "BL-2026-77" in text_of(owner_client.app.state.queue.runtime.engine, evidence)  # type: ignore[attr-defined]
    badge = owner_client.get(f"/evidence/{evidence.id}/text-status").text
    assert "Texte lu par OCR" in badge and "hx-trigger=\"every" not in badge
    response = owner_client.post(f"/evidence/{evidence.id}/ocr-copy",
                                 data={"csrf_token": owner_client.csrf, "use_ocr_copy": "1"},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200 and " checked>" in response.text
    session.expire_all()
    assert session.get(Evidence, evidence.id).use_ocr_copy is True  # type: ignore[union-attr]


class RecordingQueue:
    mode = "inline"

    def __init__(self) -> None:
        self.deferred: list[tuple[str, dict[str, object]]] = []

    def defer(self, task: str, **kwargs: object) -> int:
        self.deferred.append((task, kwargs))
        return len(self.deferred)


def test_an_upload_only_queues_the_reading_and_a_restart_queues_it_again(
        engine: Engine, session: Session, owner: Actor, store: FileStore, durand: Debtor,
        settings: Settings) -> None:
    from app.jobs import resume_interrupted
    from app.queue import Runtime

    evidence = add(session, owner, store, durand, "screenshot.png")
    queue = RecordingQueue()
    evidence_text.launch(session, queue, [evidence])
    assert queue.deferred == [("evidence.read", {"evidence_id": evidence.id})]
    with Session(engine) as fresh:
        assert fresh.get(Evidence, evidence.id).text_status == "pending"  # type: ignore[union-attr]
    restarted = RecordingQueue()  # the server stopped: its in-memory queue is gone
    assert resume_interrupted(Runtime(engine, settings), restarted) == 1  # type: ignore[arg-type]
    assert restarted.deferred == [("evidence.read", {"evidence_id": evidence.id})]


def test_ocr_text_keeps_the_text_layer_of_the_pages_ocrmypdf_skipped(tmp_path: Path) -> None:
    result = ocr.OcrResult(tmp_path / "ocr.pdf", "BON DE LIVRAISON\f[OCR skipped on page(s) 2]\f")
    text = ocr.text_of(result, lambda path: "page one layer\fFacture F-2026-140\f")
    assert text.split("\f")[:2] == ["BON DE LIVRAISON", "Facture F-2026-140"]
    assert ocr.text_of(ocr.OcrResult(tmp_path / "x.pdf", "Tout lu"), lambda path: "") == "Tout lu"


def test_the_ocr_copy_can_be_chosen_only_when_there_is_one_and_by_a_writer(
        session: Session, owner: Actor, reader: Actor, store: FileStore, durand: Debtor) -> None:
    from app.errors import DomainError, Forbidden
    from app.services.evidence_text.copy import set_use_ocr_copy

    evidence = add(session, owner, store, durand, "screenshot.png")
    with pytest.raises(DomainError, match="n'a pas de copie lue par OCR"):
        set_use_ocr_copy(session, owner, evidence, True)
    evidence.ocr_sha256 = store.put(sample("scanned_delivery_note.pdf"))
    with pytest.raises(Forbidden):
        set_use_ocr_copy(session, reader, evidence, True)
    set_use_ocr_copy(session, owner, evidence, True)
    assert evidence.use_ocr_copy is True


def test_a_failed_reading_is_read_again_on_request(
        owner_client: Browser, session: Session, owner: Actor, store: FileStore,
        durand: Debtor) -> None:
    evidence = add(session, owner, store, durand, "screenshot.png")
    evidence.text_status, evidence.meta = "failed", {**evidence.meta, "text_attempts": 3,
                                                     "text_error": "échec"}
    session.add(evidence)
    session.commit()
    badge = owner_client.get(f"/evidence/{evidence.id}/text-status").text
    assert "Relire le texte" in badge
    queue = RecordingQueue()
    owner_client.app.state.queue = queue  # type: ignore[attr-defined]
    response = owner_client.post(f"/evidence/{evidence.id}/read",
                                 data={"csrf_token": owner_client.csrf},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'data-text-status="pending"' in response.text
    assert queue.deferred == [("evidence.read", {"evidence_id": evidence.id})]
    session.expire_all()
    row = session.get(Evidence, evidence.id)
    assert row is not None and "text_attempts" not in row.meta and "text_error" not in row.meta
