"""E-mails in any script are checked at upload by rendering them as the build does: CJK, emoji,
Greek, Cyrillic, Arabic and Hebrew print; a character no installed font has is refused with the
character named; private-use characters are accepted with a note; and the page count the upload
records is the exhibit's page count in the claim file (a long e-mail takes several pages)."""

from __future__ import annotations

import subprocess
from email.message import EmailMessage

import pytest
from sqlmodel import Session

from app.evidence import Refusal
from app.models import Debtor
from app.services import evidence
from app.services.context import Actor
from app.storage import FileStore
from tests.claim_file.conftest import pdf_of, text_pdf

pytestmark = pytest.mark.any_database  # how an e-mail prints, the same on either database

WORLD = ("请付款，发票还没付。日本語のテキスト。한국어 텍스트. Ελληνικά Кириллица "
         "ẞ ǅ Ḁ ṩ ǰ ự 🎉😀👍🏽 مرحبا بالعالم שלום עולם")


def mail(subject: str, body: str, attachment: bytes | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "王小明 <wang@example.cn>"
    message["To"] = "claire@lefevre.test"
    message["Subject"] = subject
    message["Date"] = "Tue, 04 Mar 2025 10:00:00 +0100"
    message.set_content(body)
    if attachment:
        message.add_attachment(attachment, maintype="application", subtype="pdf",
                               filename="facture.pdf")
    return bytes(message)


def add(session: Session, owner: Actor, store: FileStore, debtor: Debtor, name: str,
        content: bytes):  # type: ignore[no-untyped-def]
    return evidence.add_bytes(session, owner, store, debtor, content, name, 10_000_000,
                              {"kind": "email", "title": name})


def test_any_script_prints_and_pages_match_the_claim_file(session, owner, store, debtor,
                                                          build):
    long_body = WORLD + "\n" + "\n".join(f"Ligne {n} : {WORLD}" for n in range(160))
    item = add(session, owner, store, debtor, "monde.eml",
               mail(f"Relance 🎉 {WORLD[:20]}", long_body, text_pdf("Facture jointe", 2)))
    assert item.pages >= 5  # several pages of text, then the 2 attached pages

    job = build()
    assert job.status == "done", job.error
    (placed,) = [e for e in _exhibits(session, job) if e["evidence_id"] == item.id]
    assert placed["pages"] == item.pages

    text = subprocess.run(["pdftotext", str(pdf_of(store, session, job)), "-"], check=True,
                          capture_output=True, text=True).stdout
    for fragment in ("请付款", "日本語のテキスト", "한국어", "Ελληνικά", "Кириллица", "ẞ", "ự",
                     "עולם"):
        assert fragment in text, fragment


def _exhibits(session, job):  # type: ignore[no-untyped-def]
    from app.models import GeneratedDocument

    document = session.get(GeneratedDocument, job.pdf_document_id)
    return document.params["exhibits"]


def test_a_character_no_font_has_is_refused_and_named(session, owner, store, debtor):
    with pytest.raises(Refusal) as caught:
        add(session, owner, store, debtor, "khitan.eml", mail("Objet", "Texte \U00018b00 fin"))
    assert "« \U00018b00 » (U+18B00)" in caught.value.message
    assert "aucune police" in caught.value.message


def test_private_use_characters_are_accepted_with_a_note(session, owner, store, debtor):
    item = add(session, owner, store, debtor, "prive.eml", mail("Objet", "Logo \ue000 ici"))
    assert "1 caractère de cet e-mail" in item.note and "\ufffd" in item.note


def _two_attachments() -> bytes:
    message = EmailMessage()
    message["From"] = "Marc Durand <marc@durand-btp.test>"
    message["To"] = "claire@lefevre.test"
    message["Subject"] = "Factures jointes"
    message.set_content("Bonjour, ci-joint les deux factures.")
    for name, pages in (("facture-1.pdf", 2), ("facture-2.pdf", 3)):
        message.add_attachment(text_pdf(name, pages), maintype="application", subtype="pdf",
                               filename=name)
    return bytes(message)


def test_pages_follow_the_attachments_produced_on_their_own(session, owner, store, debtor,
                                                            build):
    item = add(session, owner, store, debtor, "factures.eml", _two_attachments())
    assert item.pages == 1 + 2 + 3

    (outcome,) = evidence.add_attachments(session, owner, store, item, [0], 10_000_000)
    session.refresh(item)
    assert item.pages == 1 + 3  # facture-1.pdf is now an exhibit of its own
    job = build()
    assert job.status == "done", job.error
    placed = {e["evidence_id"]: e["pages"] for e in _exhibits(session, job)}
    assert placed[item.id] == item.pages and placed[outcome.evidence.id] == 2

    evidence.withdraw(session, owner, outcome.evidence, {"reason": "doublon"})
    session.refresh(item)
    assert item.pages == 1 + 2 + 3
