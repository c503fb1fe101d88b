"""In Chromium, issue 19's journey: a photographed delivery note uploaded on a debtor's page is
read by OCR in the background; its badge turns from "Lecture du texte en cours…" to "Texte lu
par OCR" and the suggestions show up without a reload (htmx polling, then the list fetched
again); one click accepts them, the debtor's search finds the pièce by the number printed on
it, and the user chooses to put the OCR'd copy in the claim file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.evidence import ocr
from tests.browser.test_upload_evidence import shot

pytestmark = pytest.mark.any_database  # what OCR reads and the page shows

SCAN = Path(__file__).resolve().parents[1] / "samples" / "ocr" / "issue-bl-2026-77.jpg"


@pytest.mark.skipif(not ocr.available() and not os.environ.get("CI"),
                    reason="OCRmyPDF and Tesseract are not installed")
def test_a_photo_is_read_by_ocr_its_suggestions_accepted_and_found(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=M. Julien Moreau")
    page.wait_for_selector("#evidence form.enhanced")
    page.set_input_files("#evidence-files", [{"name": "IMG_2041.jpg", "mimeType": "image/jpeg",
                                              "buffer": SCAN.read_bytes()}])
    row = "#evidence-list .exhibit:has-text('IMG_2041')"
    page.wait_for_selector(f"{row} .evidence-text[data-text-status=pending]")
    shot(page, "ocr-0-pending")
    page.wait_for_selector(f"{row} .evidence-text[data-text-status=done]", timeout=180_000)
    assert page.locator(f"{row} .evidence-text .badge").inner_text() == "Texte lu par OCR"
    page.wait_for_selector(f"{row} .suggestion:has-text('Bon de livraison')")  # no reload
    assert "12/03/2026" in page.locator(f"{row} .suggestion").inner_text()
    shot(page, "ocr-1-read-with-suggestions")
    evidence_id = page.locator(row).get_attribute("id").removeprefix("exhibit-")  # type: ignore[union-attr]
    page.click(f"{row} .suggestion button:has-text('Accepter')")
    page.wait_for_selector(f"{row} .badge.kind:has-text('Bon de livraison')")
    assert "du 12/03/2026" in page.locator(row).inner_text()
    page.fill("#evidence-search-q", "BL-2026-77")
    page.press("#evidence-search-q", "Enter")
    page.wait_for_selector(f".search-hit[data-evidence='{evidence_id}'] mark")
    with page.expect_response(lambda r: r.url.endswith(f"/evidence/{evidence_id}/ocr-copy")):
        page.check(f"{row} .ocr-copy input[type=checkbox]")  # saved before the reload reads it
    page.reload()
    expect(page.locator(f"{row} .ocr-copy input[type=checkbox]")).to_be_checked()
    shot(page, "ocr-2-accepted-copy-chosen")
