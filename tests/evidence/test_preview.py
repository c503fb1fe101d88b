"""Every kind of pièce has a preview: PDF pages drawn as PNGs, photos shown, e-mails read
(headers, text, attachments)."""

from __future__ import annotations

from html import unescape

import pytest
from sqlmodel import Session

from app.models import Debtor
from tests.conftest import Browser
from tests.evidence.conftest import rows, sample, upload


def uploaded(client: Browser, session: Session, debtor: Debtor, name: str) -> int:
    assert upload(client, debtor, (name, sample(name))).status_code == 200
    [row] = [r for r in rows(session, debtor) if r.original_name == name]
    assert row.id is not None
    return row.id


def test_pdf_preview_draws_its_pages(owner_client: Browser, session: Session,
                                     durand: Debtor) -> None:
    evidence_id = uploaded(owner_client, session, durand, "text_quote_signed.pdf")
    page = unescape(owner_client.get(f"/evidence/{evidence_id}/preview").text)
    assert f'<img src="/evidence/{evidence_id}/pages/1.png" alt="Page 1"' in page
    png = owner_client.get(f"/evidence/{evidence_id}/pages/1.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert owner_client.get(f"/evidence/{evidence_id}/pages/99.png").status_code == 404


@pytest.mark.parametrize("name", ["photo_exif_rotated_90.jpg", "screenshot.png"])
def test_image_preview_shows_the_photo_inline(owner_client: Browser, session: Session,
                                              durand: Debtor, name: str) -> None:
    evidence_id = uploaded(owner_client, session, durand, name)
    page = owner_client.get(f"/evidence/{evidence_id}/preview").text
    assert f'class="preview-image" src="/evidence/{evidence_id}/download?inline=1"' in page
    shown = owner_client.get(f"/evidence/{evidence_id}/download?inline=1")
    assert shown.headers["content-disposition"].startswith("inline")
    assert f'href="/evidence/{evidence_id}/preview"' in owner_client.get(
        f"/debtors/{durand.id}").text


def test_email_preview_shows_headers_text_and_attachments(owner_client: Browser,
                                                          session: Session,
                                                          durand: Debtor) -> None:
    evidence_id = uploaded(owner_client, session, durand, "email_with_pdf_attachment.eml")
    page = unescape(owner_client.get(f"/evidence/{evidence_id}/preview").text)
    assert "<dt>De</dt>" in page and "<dt>Objet</dt>" in page
    assert 'class="mail-text"' in page and "(aucun texte)" not in page
    assert "Pièces jointes (1)" in page and ".pdf" in page
    download = owner_client.get(f"/evidence/{evidence_id}/download?inline=1")
    assert download.headers["content-disposition"].startswith("attachment")
