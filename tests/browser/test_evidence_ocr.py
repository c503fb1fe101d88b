"""In Chromium: a photographed delivery note uploaded on a debtor's page is read by OCR in the
background; its badge turns from "Lecture du texte en cours…" to "Texte lu par OCR" without a
reload (htmx polling), and the user chooses to put the OCR'd copy in the claim file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.evidence import ocr
from tests.browser.test_upload_evidence import shot

SCAN = Path(__file__).resolve().parents[1] / "samples" / "ocr" / "issue-bl-2026-77.jpg"


@pytest.mark.skipif(not ocr.available() and not os.environ.get("CI"),
                    reason="OCRmyPDF and Tesseract are not installed")
def test_a_photo_is_read_by_ocr_in_the_background_and_its_copy_chosen(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=Garage Central")
    page.wait_for_selector("#evidence form.enhanced")
    page.set_input_files("#evidence-files", [str(SCAN)])
    row = "#evidence-list .exhibit:has-text('issue-bl-2026-77')"
    page.wait_for_selector(f"{row} .evidence-text")
    page.wait_for_selector(f"{row} .evidence-text[data-text-status=done]", timeout=180_000)
    assert page.locator(f"{row} .evidence-text .badge").inner_text() == "Texte lu par OCR"
    shot(page, "ocr-1-read")
    page.check(f"{row} .ocr-copy input[type=checkbox]")
    page.wait_for_selector(f"{row} .ocr-copy input[type=checkbox]:checked")
    page.reload()
    assert page.locator(f"{row} .ocr-copy input[type=checkbox]").is_checked()
    shot(page, "ocr-2-copy-chosen")
