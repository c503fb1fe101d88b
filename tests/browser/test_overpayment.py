"""In Chromium: a payment above the invoice's balance is announced with its excess and the
choices for it; nothing is saved until the user confirms one."""

from __future__ import annotations

import re


def test_overpayment_is_announced_and_saved_only_when_confirmed(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.goto("/debtors/new")
    page.fill("#f-legal_name", "Menuiserie Arnaud")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_url(re.compile(r"/debtors/\d+"))
    page.click("summary:has-text('Ajouter une facture')")
    page.fill("#invoice-number", "F-2026-800")
    page.fill("#invoice-issue_date", "2026-08-01")
    page.fill("#invoice-due_date", "2026-09-01")
    page.fill("#invoice-amount_ht", "3 200,00")
    page.fill("#invoice-amount_tva", "640,00")
    assert page.input_value("#invoice-amount_ttc") == "3840,00"  # computed, still editable
    page.click("button:has-text('Ajouter la facture')")
    page.wait_for_selector("#account td:has-text('F-2026-800')")

    page.click("summary:has-text('Enregistrer un paiement')")
    page.fill("#payment-date", "2026-10-15")
    page.fill("#payment-amount", "9 999,00")
    page.select_option("#payment-invoice_id", label="F-2026-800 — reste 3\u202f840,00\u00a0€")
    page.click("button:has-text('Enregistrer le paiement')")
    notice = page.locator("#overpayment")
    notice.wait_for()
    text = notice.inner_text()
    # 3 840 € and the 56,24 € of penalties accrued by 15/10/2026, paid first (C. civ. 1343-1)
    assert "dépasse de 6\u202f102,76\u00a0€ le solde de la facture F-2026-800, pénalités " \
           "comprises" in text
    assert "Trop-perçu à restituer" in text and "avoir" in text
    assert page.locator("#account table").count() == 1  # no payments table: nothing saved
    page.reload()
    assert "Aucun paiement enregistré." in page.locator("#account").inner_text()
    assert page.locator("#headline-outstanding").inner_text() == "3\u202f840,00\u00a0€"

    page.click("summary:has-text('Enregistrer un paiement')")
    page.fill("#payment-date", "2026-10-15")
    page.fill("#payment-amount", "9 999,00")
    page.select_option("#payment-invoice_id", label="F-2026-800 — reste 3\u202f840,00\u00a0€")
    page.click("button:has-text('Enregistrer le paiement')")
    page.locator("#overpayment").wait_for()
    page.check("input[name=excess][value=trop_percu]")
    page.click("button:has-text('Confirmer et enregistrer')")
    page.wait_for_selector("#account td:has-text('trop-perçu')")
    assert page.locator("#headline-outstanding").inner_text() == "0,00\u00a0€"
    assert "6\u202f102,76" in page.locator("#account").inner_text()
