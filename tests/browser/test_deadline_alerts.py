"""Journey 3 in Chromium: a demo debtor's page shows its dated alerts and its checklist."""

from __future__ import annotations


def test_demo_debtor_shows_alerts_and_checklist(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=Hôtel du Port")
    alerts = page.locator("#alerts")
    alerts.wait_for()
    # Mise en demeure sent 23/10/2026, AR signed 26/10: 8 days from receipt → Tuesday
    # 03/11/2026 (LAW.md §4).
    notice = alerts.locator("[data-key=mise_en_demeure]")
    assert "Délai de la mise en demeure expiré le 03/11/2026" in notice.inner_text()
    assert "sev-warning" in (notice.get_attribute("class") or "")
    assert alerts.locator("[data-key=prescription]").count() == 1
    checklist = page.locator("#readiness .checklist li")
    assert checklist.count() == 16  # LAW.md §10 items 1-16
    assert "Injonction de payer" in page.locator("#readiness .routes li.recommended").inner_text()


def test_consumer_near_prescription_is_urgent_on_the_dashboard(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("nav >> text=Échéances")
    page.wait_for_url("**/alerts")
    row = page.locator("#alert-table tr", has_text="M. Julien Moreau").first
    assert "Urgent" in row.inner_text()
    page.select_option("#alert-severity", "urgent")
    page.wait_for_function(
        "() => !document.querySelector('#alert-table').innerText.includes('Hôtel du Port')")
    assert "M. Julien Moreau" in page.locator("#alert-table").inner_text()


def test_decompte_at_a_chosen_date(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("text=Durand BTP")
    page.fill("#decompte-date", "2026-12-31")
    page.click("#decompte button:has-text('Recalculer')")
    page.wait_for_selector("#decompte h2:has-text('Décompte au 31/12/2026')")
    assert "Total réclamé" in page.locator("#decompte").inner_text()
