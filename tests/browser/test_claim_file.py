"""In Chromium: on a demo debtor, generate the complete claim file, watch the progress bar,
download the PDF and find its bookmarks (parts, then every exhibit)."""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfReader

from tests.pdfs import outline

SHOTS = Path(os.environ["CLAIM_FILE_SCREENSHOTS"]) if os.environ.get(
    "CLAIM_FILE_SCREENSHOTS") else None


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#claim-file").screenshot(path=str(SHOTS / f"{name}.png"))


def titles(reader: PdfReader) -> list[str]:
    return [title for _, title, _ in outline(reader)]


def test_generate_watch_the_progress_and_download_the_claim_file(signed_in_page,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path) -> None:
    page = signed_in_page
    page.click("text=Hôtel du Port")
    page.wait_for_selector("#claim-file")
    page.locator("#claim-file summary").click()
    shot(page, "1-before")

    page.click("#claim-file button:has-text('Générer le dossier complet')")
    page.wait_for_selector("#claim-file progress")
    assert "Construction du dossier" in page.locator("#claim-file-job").inner_text()
    shot(page, "2-during")
    page.wait_for_selector("#claim-file .claim-versions a:has-text('PDF')", timeout=60_000)
    assert page.locator("#claim-file progress").count() == 0
    shot(page, "3-after")

    with page.expect_download() as download_info:
        page.click("#claim-file .claim-versions a:has-text('PDF')")
    download = download_info.value
    assert download.suggested_filename.startswith("dossier-creance-hotel-du-port-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)

    found = titles(PdfReader(target))
    assert found[:6] == ["Page de garde", "Résumé", "Chronologie", "Décompte",
                         "Bordereau des pièces", "Pièces"]
    assert found[6].startswith("Pièce n° 1 — Devis D-2026-011 signé")
    assert "Pièce n° 3 — Facture F-2026-032" in found
    assert any(t.startswith("Pièce n° ") and "Avis de réception signé" in t for t in found)
