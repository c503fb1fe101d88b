"""In Chromium: a phone call logged in two clicks from the debtor page (outcome, save), the
promise fields opened by the outcome "promesse", the promise paused in the reminders section
and the call in the chronology; the settings page of the scenarios at desktop and phone width.

Set SCREENSHOT_DIR to keep screenshots of each step.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def shot(page, name: str, selector: str | None = None) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        path = str(Path(folder) / f"{name}.png")
        if selector:
            page.locator(selector).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)


def test_a_call_with_a_promise_in_two_clicks(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=Durand BTP")
    section = page.locator("#reminders")
    # Waited for, not read once (a page's text may come a moment after its load event).
    expect(section).to_contain_text("Scénario « Standard »")
    promise_date = page.locator("#call-promise_due_date")
    # only a promise needs its date and amount; waited for too: until reminders.css has
    # loaded, the DOM is there unstyled (seen under load in CI)
    expect(promise_date).to_be_hidden()

    page.click("#call-form label:has-text('Promesse de paiement')")  # click 1
    expect(promise_date).to_be_visible()
    promise_date.fill("2026-12-04")
    page.fill("#call-promise_amount", "2 000,00")
    page.fill("#call-notes", "Virement promis par Sophie Durand")
    shot(page, "call_form_promise", "#reminders")
    page.click("#call-form button.primary")  # click 2

    page.wait_for_selector("#reminders li:has-text('au plus tard le 04/12/2026')")
    text = page.locator("#reminders").inner_text()
    assert "En cours" in text and "relances suspendues jusque-là" in text
    alerts = " ".join(page.locator("#alerts").inner_text().split())
    assert "Promesse de paiement de 2" in alerts and "au plus tard le 04/12/2026" in alerts
    timeline = page.locator("#steps").inner_text()
    assert "Appel téléphonique" in timeline and "Promesse de paiement" in timeline
    shot(page, "debtor_reminders_after_call", "#reminders")

    # a call nobody answered: two clicks, nothing to type
    page.click("#call-form label:has-text('Pas de réponse')")
    page.click("#call-form button.primary")
    page.wait_for_selector("#steps li:has-text('Pas de réponse')")

    page.click("#reminders summary:has-text('Stop relance')")
    page.fill("#hold-reason", "Rendez-vous prévu avec le gérant")
    page.click("#reminders button:has-text('Arrêter les relances')")
    page.wait_for_selector("#reminders .held")
    assert "Rendez-vous prévu avec le gérant" in page.locator("#reminders .held").inner_text()
    shot(page, "debtor_reminders_desktop", "#reminders")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator("#reminders").wait_for()
    shot(page, "debtor_reminders_phone", "#reminders")
    assert page.evaluate(OVERFLOW) == 0
    page.click("#reminders button:has-text('lever')")
    page.wait_for_selector("#reminders .held", state="detached")


def test_the_settings_page_fits_desktop_and_phone(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.goto("/settings/relances")
    assert page.locator("#scenario-1 input[name='steps.0.offset_days']").input_value() == "-5"
    shot(page, "settings_relances_desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "settings_relances_phone")
    assert page.evaluate(OVERFLOW) == 0
