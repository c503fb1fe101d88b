"""In Chromium: a pièce whose text was read (rows written as the OCR step leaves them) is found
from the top bar's search box with the words highlighted, opened; found again within its
debtor's file; its suggestions are checked in the edit form, then accepted in one click."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app import db
from app.models import Debtor, Evidence, EvidenceText
from app.storage import FileStore
from tests.evidence.conftest import SAMPLES

SHOTS = Path(os.environ["SEARCH_SCREENSHOTS"]) if os.environ.get("SEARCH_SCREENSHOTS") else None
TEXT = ("BON DE LIVRAISON N° BL-2026-77\nGarage Central, 56 route de Rennes, Orvault\n"
        "Livré le 12/03/2026 : 4 portes d'atelier sectionnelles.\nFacture F-2026-077. "
        "<script>alert('pièce')</script>")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def add_read_piece(live_server, name: str, text: str, **suggested) -> int:  # type: ignore[no-untyped-def]
    engine = db.make_engine(live_server.settings.db_url)
    sha = FileStore(live_server.settings.files_dir).put((SAMPLES / "scanned_delivery_note.pdf")
                                                        .read_bytes() + name.encode())
    with Session(engine) as session:
        debtor = session.exec(select(Debtor).where(Debtor.legal_name == "Garage Central")).one()
        evidence = Evidence(creditor_id=debtor.creditor_id, debtor_id=debtor.id, sha256=sha,  # type: ignore[arg-type]
                            size=1000, media_type="application/pdf", original_name=name,
                            position=90, text_status="done", text_source="ocr", **suggested)
        session.add(evidence)
        session.flush()
        session.add(EvidenceText(evidence_id=evidence.id, creditor_id=debtor.creditor_id,  # type: ignore[arg-type]
                                 debtor_id=debtor.id, text=text, pages=1))  # type: ignore[arg-type]
        session.commit()
        evidence_id = evidence.id
    engine.dispose()
    return evidence_id  # type: ignore[return-value]


@pytest.fixture
def delivery_scan(live_server) -> int:  # type: ignore[no-untyped-def]
    return add_read_piece(live_server, "IMG_2041.jpg.pdf", TEXT, suggested_kind="delivery_note",
                          suggested_date=date(2026, 3, 12), suggested_invoices=["F-2026-077"])


def test_search_open_and_accept_in_one_click(signed_in_page, delivery_scan) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.fill("#nav-search-q", "alert")
    page.press("#nav-search-q", "Enter")
    page.wait_for_selector(f".search-hit[data-evidence='{delivery_scan}'] mark")
    assert "<script>alert('pièce')</script>" in page.locator(".snippet").first.inner_text()
    assert dialogs == []  # shown as text, never run
    page.fill("#nav-search-q", "bl-2026-77 portes")
    page.press("#nav-search-q", "Enter")
    page.wait_for_url("**/recherche?q=*")
    hit = page.locator(f".search-hit[data-evidence='{delivery_scan}']")
    assert [m.lower() for m in hit.locator("mark").all_inner_texts()] == [
        "bl-2026-77", "portes"]
    shot(page, "search-results-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "search-results-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    hit.locator("a.hit-title").click()
    page.wait_for_url(f"**/evidence/{delivery_scan}/preview")
    page.click("text=Garage Central")
    page.wait_for_selector("#evidence-search-q")
    page.fill("#evidence-search-q", "sectionnelles")
    page.press("#evidence-search-q", "Enter")
    page.wait_for_selector(f"#search-results .search-hit[data-evidence='{delivery_scan}'] mark")
    assert page.locator("#search-results mark").first.inner_text().lower() == "sectionnelles"

    row = page.locator(f"#exhibit-{delivery_scan}")
    row.locator("text=Vérifier d'abord").click()
    form = page.locator("#evidence-list form.exhibit-edit")
    form.wait_for()
    assert "Suggéré d'après le texte" in form.inner_text()
    assert form.locator("select[name=kind]").input_value() == "delivery_note"
    assert form.locator("input[name=document_date]").input_value() == "2026-03-12"
    form.scroll_into_view_if_needed()
    if SHOTS:
        page.locator("#evidence").screenshot(path=str(SHOTS / "edit-form-desktop.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        page.locator("#evidence").screenshot(path=str(SHOTS / "edit-form-phone.png"))
        page.set_viewport_size({"width": 1366, "height": 900})
    form.locator("text=Annuler").click()
    page.wait_for_selector(f"#exhibit-{delivery_scan} .suggestion")
    if SHOTS:
        page.locator("#evidence").screenshot(path=str(SHOTS / "list-suggestion-desktop.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        page.locator("#evidence").screenshot(path=str(SHOTS / "list-suggestion-phone.png"))
        page.set_viewport_size({"width": 1366, "height": 900})
    page.locator(f"#exhibit-{delivery_scan} .suggestion button:has-text('Accepter')").click()
    page.wait_for_selector(f"#exhibit-{delivery_scan} .badge.kind:has-text('Bon de livraison')")
    accepted = page.locator(f"#exhibit-{delivery_scan}")
    assert accepted.locator(".suggestion").count() == 0
    assert "F-2026-077" in accepted.inner_text() and "12/03/2026" in accepted.inner_text()
