"""Every pièce the list shows can be told apart without a download: a PDF's first page and a
photo (set upright) as small PNGs; an e-mail has no picture but its headers in the row."""

from __future__ import annotations

import io

from PIL import Image
from sqlmodel import Session

from app.models import Debtor
from tests.conftest import Browser
from tests.evidence.conftest import rows, sample, upload


def uploaded(client: Browser, session: Session, debtor: Debtor, name: str) -> int:
    assert upload(client, debtor, (name, sample(name))).status_code == 200
    [row] = [r for r in rows(session, debtor) if r.original_name == name]
    return row.id  # type: ignore[return-value]


def png(response) -> Image.Image:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_a_pdf_shows_its_first_page(owner_client: Browser, session: Session,
                                    durand: Debtor) -> None:
    evidence_id = uploaded(owner_client, session, durand, "text_quote_signed.pdf")
    image = png(owner_client.get(f"/evidence/{evidence_id}/thumb.png"))
    assert max(image.size) == 240
    assert image.size[1] > image.size[0]  # an A4 page, upright
    page = owner_client.get(f"/debtors/{durand.id}").text
    assert f'src="/evidence/{evidence_id}/thumb.png"' in page


def test_a_photo_is_reduced_and_set_upright(owner_client: Browser, session: Session,
                                            durand: Debtor) -> None:
    evidence_id = uploaded(owner_client, session, durand, "photo_exif_rotated_90.jpg")
    [row] = rows(session, durand)
    shown = row.meta["image"]
    image = png(owner_client.get(f"/evidence/{evidence_id}/thumb.png"))
    assert max(image.size) <= 240
    # same orientation as the photo displayed (EXIF applied), not as stored
    assert (image.size[0] > image.size[1]) == (shown["display_width"] > shown["display_height"])


def test_an_email_has_no_picture_but_its_headers(owner_client: Browser, session: Session,
                                                 durand: Debtor) -> None:
    evidence_id = uploaded(owner_client, session, durand, "email_with_pdf_attachment.eml")
    assert owner_client.get(f"/evidence/{evidence_id}/thumb.png").status_code == 404
    page = owner_client.get(f"/debtors/{durand.id}").text
    assert f'src="/evidence/{evidence_id}/thumb.png"' not in page
    assert '<dl class="mail-facts small">' in page


def test_another_creditor_gets_404(client: Browser, owner_client: Browser, session: Session,
                                   durand: Debtor, outsider) -> None:  # type: ignore[no-untyped-def]
    evidence_id = uploaded(owner_client, session, durand, "screenshot.png")
    client.cookies.clear()
    client.login("paul@roux.test")
    assert client.get(f"/evidence/{evidence_id}/thumb.png").status_code == 404
