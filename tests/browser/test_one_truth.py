"""In Chromium: after each htmx action on a debtor's page (an invoice, a payment, a step), every
figure the page shows equals what a fresh load of the same page shows: one truth per page."""

from __future__ import annotations

import re

# Every block of the debtor page that shows a figure, a deadline or a status.
REGIONS = ("#headline-outstanding", "#headline", "#next-action", "#account", "#decompte",
           "#alerts", "#readiness", "#steps", "#documents")


def figures(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The visible text of each region present, whitespace collapsed."""
    found = {}
    for selector in REGIONS:
        region = page.locator(selector)
        if region.count():
            found[selector] = re.sub(r"\s+", " ", region.first.inner_text()).strip()
    return found


def assert_same_as_fresh_load(page) -> None:  # type: ignore[no-untyped-def]
    after_swap = figures(page)
    page.goto(page.url.split("#")[0].split("?")[0])
    fresh = figures(page)
    assert "#headline-outstanding" in fresh
    for selector, text in fresh.items():
        assert after_swap.get(selector) == text, f"{selector} differs from a fresh load"


def test_every_figure_agrees_after_invoice_payment_and_step(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.goto("/debtors/new")
    page.fill("#f-legal_name", "Charpentes Vidal")
    page.fill("#f-street", "2 quai des Bateliers")
    page.fill("#f-postal_code", "44000")
    page.fill("#f-city", "Nantes")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_url(re.compile(r"/debtors/\d+"))
    page.wait_for_load_state("networkidle")

    page.click("summary:has-text('Ajouter une facture')")
    page.fill("#invoice-number", "F-2026-700")
    page.fill("#invoice-issue_date", "2026-08-01")
    page.fill("#invoice-due_date", "2026-09-01")
    page.fill("#invoice-amount_ht", "3 200,00")
    page.fill("#invoice-amount_tva", "640,00")
    page.click("button:has-text('Ajouter la facture')")
    page.wait_for_selector("#account td:has-text('F-2026-700')")
    page.wait_for_selector("#decompte td:has-text('F-2026-700')")
    assert_same_as_fresh_load(page)

    page.click("summary:has-text('Enregistrer un paiement')")
    page.fill("#payment-date", "2026-10-15")
    page.fill("#payment-amount", "3 840,00")
    page.click("button:has-text('Enregistrer le paiement')")
    page.wait_for_selector("#account td:has-text('15/10/2026')")
    # 44 days late: the payment paid the penalties first (C. civ. 1343-1), the principal left
    # is the décompte's, the same in the headline and the account
    left = page.locator("#headline-outstanding").inner_text()
    assert left != "0,00\u00a0€" and left == page.locator("#account-outstanding").inner_text()
    assert "sur les pénalités échues" in page.locator("#account").inner_text()
    assert_same_as_fresh_load(page)

    page.click("summary:has-text('Ajouter une démarche')")
    page.select_option("#step-kind", "mise_en_demeure")
    page.fill("#step-date", "2026-10-01")
    page.click("button:has-text('Ajouter la démarche')")
    page.wait_for_selector("#steps time:has-text('01/10/2026')")
    assert_same_as_fresh_load(page)
