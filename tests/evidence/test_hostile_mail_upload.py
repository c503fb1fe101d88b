"""Uploading the e-mails that were refused or misread in the attacker review
(tests/samples/hostile-mail, see tests/samples/SOURCES.md): each is accepted as an e-mail, its
preview shows the text its sender wrote, and the same e-mail again is refused before any work."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import Session

from app.evidence import Refusal, inspect_file
from app.evidence.sniff import EML, PDF, sniff
from app.models import Debtor
from app.services import evidence as exhibits
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import Browser
from tests.evidence.conftest import LIMIT_MB, SAMPLES, rows, sample, upload

HOSTILE = "hostile-mail/"


def uploaded(client: Browser, session: Session, debtor: Debtor, name: str) -> int:
    response = upload(client, debtor, (name, sample(HOSTILE + name)))
    assert response.status_code == 200, response.text
    assert f"« {name} » enregistré" in unescape(response.text)
    [row] = [r for r in rows(session, debtor) if r.original_name == name]
    assert row.media_type == "message/rfc822"
    return row.id  # type: ignore[return-value]


def test_an_email_whose_subject_names_a_pdf_header_is_an_email(owner_client: Browser,
                                                                session: Session,
                                                                durand: Debtor) -> None:
    path = SAMPLES / HOSTILE / "mail-with-pdf-magic.eml"
    found = inspect_file(path, path.name)
    assert found.media_type == EML and found.title == "Votre fichier %PDF-1.7 est corrompu"

    uploaded(owner_client, session, durand, "mail-with-pdf-magic.eml")  # was "PDF endommagé"


def test_a_pdf_header_after_a_few_junk_bytes_is_still_a_pdf() -> None:
    assert sniff(b"\x00\x00junk\r\n%PDF-1.7\n1 0 obj") == PDF
    assert sniff(b"Subject: scan\r\n%PDF-1.4\n") == PDF  # one header-like line is no e-mail


@pytest.mark.parametrize("name", ["xhtml-decl.eml", "html-comment.eml"])
def test_an_html_only_email_no_parser_takes_is_accepted(owner_client: Browser, session: Session,
                                                        durand: Debtor, name: str) -> None:
    evidence_id = uploaded(owner_client, session, durand, name)  # was "erreur inattendue"

    page = unescape(owner_client.get(f"/evidence/{evidence_id}/preview").text)
    if name == "xhtml-decl.eml":
        assert "Bonjour, la facture 42 reste impayée." in page
    else:
        assert "(aucun texte)" in page and "rien" not in page


@pytest.mark.parametrize(("name", "text"), [
    ("thai-874.eml", "เรียนท่าน ใบแจ้งหนี้เลขที่ 42 ยังไม่ได้ชำระ"),
    ("hebrew-8i.eml", "שלום, חשבונית מספר 42 טרם שולמה"),
    ("maccyr.eml", "Здравствуйте, счёт 42 не оплачен"),
    ("unknown-charset.eml", "café"),
])
def test_the_preview_shows_the_text_under_any_charset_label(owner_client: Browser,
                                                            session: Session, durand: Debtor,
                                                            name: str, text: str) -> None:
    evidence_id = uploaded(owner_client, session, durand, name)

    page = unescape(owner_client.get(f"/evidence/{evidence_id}/preview").text)
    assert text in page and "(aucun texte)" not in page


def test_the_preview_shows_a_forwarded_message(owner_client: Browser, session: Session,
                                               durand: Debtor) -> None:
    evidence_id = uploaded(owner_client, session, durand, "nested.eml")

    page = unescape(owner_client.get(f"/evidence/{evidence_id}/preview").text)
    assert "Message transféré" in page and "Inner body" in page
    assert "inner.pdf" in page


def test_the_same_long_email_again_is_refused_before_it_is_laid_out(
        session: Session, owner: Actor, store: FileStore, durand: Debtor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    content = sample(HOSTILE + "long300k.eml")
    exhibits.add_bytes(session, owner, store, durand, content, "long300k.eml",
                       LIMIT_MB * 1024 * 1024)

    def no_work(*args: object) -> None:
        raise AssertionError("a duplicate was inspected or laid out again")

    monkeypatch.setattr(exhibits, "inspect_file", no_work)
    monkeypatch.setattr(exhibits, "check_fit", no_work)
    with pytest.raises(Refusal) as caught:
        exhibits.add_bytes(session, owner, store, durand, content, "copie.eml",
                           LIMIT_MB * 1024 * 1024)
    assert caught.value.code == "duplicate"
    assert caught.value.message == "« copie.eml » refusé : déjà présent : pièce n° 1 " \
                                   "(« long300k.eml »)."
