"""In Chromium: files uploaded together each announce the pièce number they finally have in
the bordereau; a refused file looks refused (red, its reason, no full progress bar)."""

from __future__ import annotations

import re

from tests.evidence.conftest import SAMPLES


def test_each_file_announces_its_final_number_and_a_refusal_looks_refused(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.goto("/debtors/new")
    page.fill("#f-legal_name", "Toitures Garnier")
    page.click("button:has-text('Enregistrer')")
    page.wait_for_url(re.compile(r"/debtors/\d+"))
    page.wait_for_selector("#evidence form.enhanced")
    # The e-mail is sent first but the signed quote comes first in the bordereau: the
    # e-mail's number changes when the quote arrives.
    page.set_input_files("#evidence-files", [
        str(SAMPLES / "email_with_pdf_attachment.eml"),
        str(SAMPLES / "text_quote_signed.pdf"),
        str(SAMPLES / "html_page.pdf"),
    ])
    page.wait_for_selector("#evidence form[data-upload]:not([data-busy])", timeout=30_000)
    listed = {}
    for exhibit in page.locator("#evidence-list ol.exhibits > li").all():
        name = exhibit.locator(".exhibit-body .muted.small").first.inner_text().split(" · ")[0]
        listed[name.strip()] = exhibit.locator(".exhibit-no").inner_text().strip()
    assert sorted(listed.values()) == ["1", "2"]
    announced = {}
    for item in page.locator(".upload-queue li.done").all():
        match = re.search(r"pièce n° (\d+)", item.locator(".status").inner_text())
        assert match, item.inner_text()
        announced[item.get_attribute("data-file")] = match.group(1)
    assert announced == listed

    refused = page.locator(".upload-queue li.refused")
    assert refused.count() == 1
    assert refused.locator("progress").count() == 0  # no bar drawn full as if sent
    assert "Refusé" in refused.inner_text()
    assert "son contenu est une page web (HTML)" in refused.locator(".status").inner_text()
    color = refused.locator(".status").evaluate("e => getComputedStyle(e).color")
    assert color == "rgb(179, 38, 30)"  # --danger
