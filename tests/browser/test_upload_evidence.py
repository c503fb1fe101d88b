"""In Chromium: select several files on a demo debtor's page, watch them listed with their
kinds without a reload; a refused file is named with its reason next to its progress bar."""

from __future__ import annotations

import os
from pathlib import Path

from tests.evidence.conftest import SAMPLES

SHOTS = Path(os.environ.get("EVIDENCE_SCREENSHOTS", "")) if os.environ.get(
    "EVIDENCE_SCREENSHOTS") else None


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#evidence").screenshot(path=str(SHOTS / f"{name}.png"))


def test_several_files_are_uploaded_and_listed_with_their_kinds(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=Boulangerie Martin")
    page.wait_for_selector("#evidence form.enhanced")  # upload.js took over the form
    assert page.locator("#evidence .empty").is_visible()
    shot(page, "1-empty")
    page.evaluate("window.__notReloaded = true")
    page.set_input_files("#evidence-files", [
        str(SAMPLES / "text_quote_signed.pdf"),
        str(SAMPLES / "email_with_pdf_attachment.eml"),
        str(SAMPLES / "photo_exif_rotated_90.jpg"),
        str(SAMPLES / "html_page.pdf"),
    ])
    page.wait_for_selector(".upload-queue li.refused")
    page.wait_for_function("document.querySelectorAll('.upload-queue li.done').length === 3")
    page.wait_for_selector("#evidence form[data-upload]:not([data-busy])")  # list refreshed
    assert page.locator("#evidence-list ol.exhibits > li").count() == 3
    assert page.evaluate("window.__notReloaded") is True
    kinds = page.locator("#evidence-list .exhibit .badge.kind").all_inner_texts()
    assert sorted(kinds) == ["Autre", "Devis signé", "Échange d'e-mails"]
    refused = page.locator(".upload-queue li.refused .status").inner_text()
    assert refused.startswith("« html_page.pdf » refusé : son nom se termine par .pdf mais "
                              "son contenu est une page web (HTML)")
    assert page.locator("#evidence-list .evidence-count").inner_text().startswith("3 pièces")
    shot(page, "2-with-files-and-error")

    page.click("#evidence-list .exhibit:has-text('Relance facture') >> text=Modifier")
    page.wait_for_selector("#evidence-list form.exhibit-edit")
    page.select_option("#evidence-list form.exhibit-edit select[name=kind]", "reminder_copy")
    page.click("#evidence-list form.exhibit-edit button:has-text('Enregistrer')")
    page.wait_for_selector("#evidence-list .exhibit:has-text('Relance facture') "
                           ".badge.kind:has-text('Copie de relance')")
    page.click("#evidence-list button:has-text('Ajouter comme pièces')")
    page.wait_for_selector("#evidence-list .upload-outcomes li.stored")
    assert page.locator("#evidence-list ol.exhibits > li").count() == 4
    shot(page, "3-after-edit-and-attachment")
    page.reload()
    assert page.locator("#evidence-list ol.exhibits > li").count() == 4
