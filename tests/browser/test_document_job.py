"""In Chromium: on a demo debtor, ask for a letter; the documents section says it is being
generated, then shows its links without a reload (htmx polls the job's status)."""

from __future__ import annotations

import os
from pathlib import Path

SHOTS = Path(os.environ["DOCUMENT_JOB_SCREENSHOTS"]) if os.environ.get(
    "DOCUMENT_JOB_SCREENSHOTS") else None


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#documents").screenshot(path=str(SHOTS / f"{name}.png"))


def test_a_letter_is_generated_in_the_background_then_its_link_shows(signed_in_page):  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=Hôtel du Port")
    page.click("#documents summary:has-text('Générer un courrier')")
    before = page.locator("#documents .documents-table tbody tr").count()
    page.select_option("#doc-kind", "relance_1")
    page.click("#documents button:has-text('Générer le PDF')")
    page.wait_for_selector("#document-job")
    assert "Génération en" in page.locator("#document-job").inner_text()
    shot(page, "1-during")
    page.wait_for_selector("#documents .alert.sev-info a:has-text('Télécharger')", timeout=60_000)
    assert page.locator("#document-job").count() == 0
    assert "Relance 1 v" in page.locator("#documents .alert.sev-info").inner_text() or \
        "générée" in page.locator("#documents .alert.sev-info").inner_text()
    assert page.locator("#documents .documents-table tbody tr").count() > before
    shot(page, "2-after")
    href = page.locator("#documents .alert.sev-info a:has-text('Télécharger')").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
