"""In Chromium at a phone's width (390 px): the debtors list, a debtor's page and the alerts
dashboard fit the screen; only wide tables scroll, inside themselves."""

from __future__ import annotations

import pytest

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("path", ["/debtors", "debtor", "/alerts"])
def test_page_fits_a_phone_screen(signed_in_page, path: str) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    if path == "debtor":
        page.click("text=Hôtel du Port")
        page.wait_for_selector("#next-action")
    else:
        page.goto(path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(OVERFLOW) == 0
    for link in page.locator(".mainnav a").all():  # the menu is reachable, not cut off
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    search = page.locator("input[type=search]")
    if search.count():
        assert search.first.bounding_box()["width"] >= 200  # type: ignore[index]


@pytest.mark.parametrize("width", [1024, 1366, 1440, 1536, 1920])
def test_the_top_bar_fits_a_laptop_screen(signed_in_page, width: int) -> None:  # type: ignore[no-untyped-def]
    """Seen at 1366 to 1535 px (the commonest laptop screens) and at 1024: a page wider than
    the window, "Déconnexion" off the dark bar, white on light."""
    page = signed_in_page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/debtors")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(OVERFLOW) == 0
    bar = page.locator(".topbar").bounding_box()
    assert bar is not None
    for item in [*page.locator(".mainnav a").all(), page.locator(".account").first,
                 page.locator(".nav-search input").first]:
        box = item.bounding_box()
        assert box is not None
        assert bar["x"] <= box["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"]
        assert bar["y"] <= box["y"] and box["y"] + box["height"] <= bar["y"] + bar["height"]
