"""A PDF page of any declared size previews at most PAGE_PX on its longest side: a 14,400 pt
square page (200 inches) is not drawn at 60 dpi (12,000 px square, 573 MB for pdftoppm)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlmodel import Session

from app.models import Debtor
from app.services.evidence_preview import PAGE_PX, pdf_page_png
from tests.conftest import Browser
from tests.evidence.conftest import SAMPLES, rows, sample, upload

HUGE = "hostile/page-14400pt-square.pdf"  # page 1: 14,400 × 14,400 pt; page 2: 1 × 1 pt


def size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


def test_a_huge_page_previews_within_the_cap(owner_client: Browser, session: Session,
                                             durand: Debtor) -> None:
    assert upload(owner_client, durand, ("plan.pdf", sample(HUGE))).status_code == 200
    [row] = rows(session, durand)
    evidence_id = row.id
    png = owner_client.get(f"/evidence/{evidence_id}/pages/1.png")
    assert png.status_code == 200
    assert max(size(png.content)) <= PAGE_PX


def test_an_a4_page_still_previews_at_60_dpi() -> None:
    png = pdf_page_png(Path(SAMPLES / "text_quote_signed.pdf"), 1, 1)
    assert size(png) == (497, 702)  # 595 × 842 pt at 60 dpi


def test_a_tiny_page_previews_within_the_cap() -> None:
    assert max(size(pdf_page_png(SAMPLES / HUGE, 2, 2))) <= PAGE_PX
