"""In Chromium: a promise to pay corrected, then cancelled, from the debtor page, at desktop
and phone width: the forms open under the promise, an error shows next to its field, the
section and the alerts follow, the cancelled promise stays struck through.

Set SCREENSHOT_DIR to keep screenshots of each step.
"""

from __future__ import annotations

from tests.browser.test_call_promise import OVERFLOW, shot

PROMISE = "#reminders li.promise"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def both_widths(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The promises at phone width (nothing wider than the screen), then desktop."""
    page.set_viewport_size(PHONE)
    shot(page, f"{name}_phone", "#reminders .promises")
    assert page.evaluate(OVERFLOW) == 0
    page.set_viewport_size(DESKTOP)
    shot(page, f"{name}_desktop", "#reminders .promises")


def test_a_promise_corrected_then_cancelled(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.set_viewport_size(DESKTOP)
    page.click("text=Boulangerie Martin")
    page.locator("#reminders").wait_for()
    page.click("#call-form label:has-text('Promesse de paiement')")
    page.fill("#call-promise_due_date", "2026-11-25")
    page.fill("#call-promise_amount", "800")
    page.fill("#call-notes", "Virement annoncé par le gérant")
    page.fill("#call-date", "2026-11-15")  # called a week ago (today: 22/11/2026)
    page.click("#call-form button.primary")
    promise = page.locator(PROMISE).first
    promise.locator("summary:has-text('Modifier')").wait_for()
    both_widths(page, "promise_before")

    promise.locator("summary:has-text('Modifier')").click()
    promise.locator("input[name=promise_due_date]").fill("2026-11-20")  # after the call, but passed
    promise.locator("button:has-text('Enregistrer la correction')").click()
    error = page.locator(f"{PROMISE} .field-error").first
    error.wait_for()
    assert "Cette date est déjà passée" in error.inner_text()
    both_widths(page, "promise_edit_error")

    promise = page.locator(PROMISE).first
    promise.locator("input[name=promise_due_date]").fill("2026-12-09")
    promise.locator("input[name=promise_amount]").fill("750,50")
    promise.locator("button:has-text('Enregistrer la correction')").click()
    page.wait_for_selector(f"{PROMISE}:has-text('au plus tard le 09/12/2026')")
    assert "relances suspendues jusque-là" in page.locator(PROMISE).first.inner_text()
    alerts = " ".join(page.locator("#alerts").inner_text().split())
    assert "09/12/2026" in alerts
    both_widths(page, "promise_after_edit")

    page.set_viewport_size(PHONE)
    page.reload()
    page.locator("#reminders").wait_for()
    promise = page.locator(PROMISE).first
    promise.locator("summary:has-text('Annuler la promesse')").click()
    shot(page, "promise_cancel_form_phone", "#reminders .promises")
    assert page.evaluate(OVERFLOW) == 0
    promise.locator("input[name=cancel_reason]").fill("Le client revient sur sa promesse")
    promise.locator("button.danger").click()  # "Confirmer l'annulation"
    page.wait_for_selector(f"{PROMISE}.cancelled")
    text = page.locator(PROMISE).first.inner_text()
    assert "Annulée" in text and "Le client revient sur sa promesse" in text
    assert "Modifier" not in text
    assert page.locator(f"{PROMISE}.cancelled s").count() == 1
    both_widths(page, "promise_after_cancel")
    page.click("#history summary")
    history = page.locator("#history").inner_text()
    assert "Promesse de paiement corrigée" in history and "Raison de l'annulation" in history
    shot(page, "promise_history_desktop", "#history table")
