"""In Chromium: sign in, create a debtor and an invoice, see the outstanding balance."""

from __future__ import annotations

import re


def test_create_debtor_and_invoice_shows_outstanding(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=+ Nouveau débiteur")
    page.fill("#f-legal_name", "Couvertures Lemoine")
    page.fill("#f-legal_form", "SARL")
    page.fill("#f-siren", "732 829 320")
    page.fill("#f-street", "4 rue du Moulin")
    page.fill("#f-postal_code", "35000")
    page.fill("#f-city", "Rennes")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_url(re.compile(r"/debtors/\d+"))
    assert page.locator("h1").inner_text().startswith("Couvertures Lemoine")

    page.click("summary:has-text('Ajouter une facture')")
    page.fill("#invoice-number", "F-2026-500")
    page.fill("#invoice-issue_date", "2026-09-01")
    page.fill("#invoice-due_date", "2026-10-01")
    page.fill("#invoice-amount_ht", "1 000,00")
    page.fill("#invoice-amount_tva", "200,00")
    page.fill("#invoice-amount_ttc", "1 200,00")
    page.click("button:has-text('Ajouter la facture')")
    page.wait_for_selector("#account td:has-text('F-2026-500')")
    assert "1\u202f200,00\u00a0€" in page.locator("#account").inner_text()
    page.reload()
    assert page.locator("#headline-outstanding").inner_text() == "1\u202f200,00\u00a0€"


def test_invoice_error_is_shown_next_to_the_field(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=Boulangerie Martin")
    page.click("summary:has-text('Ajouter une facture')")
    page.fill("#invoice-number", "F-ERR-1")
    page.fill("#invoice-issue_date", "2026-09-01")
    page.fill("#invoice-due_date", "2026-08-01")
    page.fill("#invoice-amount_ht", "100")
    page.fill("#invoice-amount_tva", "20")
    page.fill("#invoice-amount_ttc", "150")
    page.click("button:has-text('Ajouter la facture')")
    page.wait_for_selector("#e-invoice-amount_ttc")
    assert "TTC ≠ HT + TVA" in page.locator("#e-invoice-amount_ttc").inner_text()
    assert "précéder" in page.locator("#e-invoice-due_date").inner_text()
    assert "F-ERR-1" not in page.locator("#account table").first.inner_text()
