"""In Chromium: upload a FEC, read the dry-run report, confirm, see the new debtors.

Set SCREENSHOT_DIR to keep screenshots of each step.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.imports.builders import Fec
from tests.imports.test_import_spreadsheet import csv_bytes


def snap(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def fec_file(tmp_path: Path) -> Path:
    ledger = (Fec()
              .sale("20261002", "CBERNARD", "Charpentes Bernard", "F-2026-301", "4800.00")
              .sale("20261010", "CBERNARD", "Charpentes Bernard", "F-2026-302", "1200.00",
                    letter="BA")
              .receipt("20261030", "CBERNARD", "Charpentes Bernard", "VIR-301", "500.00",
                       letter="BA")
              .sale("20261012", "CROUX", "Atelier Roux", "F-2026-303", "960.00"))
    text = ledger.text("|").split("\r\n")
    text.insert(3, "VT|Ventes|99|20261011|411000")  # a broken line
    path = tmp_path / "812345678FEC20261031.txt"
    path.write_bytes("\r\n".join(text).encode("cp1252"))
    return path


def test_upload_a_fec_read_the_dry_run_and_confirm(signed_in_page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    page.click("a:has-text('Importer')")
    page.wait_for_url("**/imports")
    page.select_option("#f-kind", "fec")
    page.set_input_files("#f-file", str(fec_file(tmp_path)))
    snap(page, "1-upload")
    page.click("button:has-text('Déposer et prévisualiser')")
    page.wait_for_selector("#import-preview")
    assert "séparateur « | »" in page.content()
    snap(page, "2-preview")
    page.click("button:has-text('Lancer la simulation')")
    page.wait_for_selector("#import-report")
    report = page.locator("#import-report").inner_text()
    assert "Simulation" in report
    assert re.search(r"Factures\s+3\s+0\s+0", report)
    refusals = page.locator("#import-refusals").inner_text()
    assert "Ligne incomplète : 5 colonnes au lieu de 18." in refusals
    page.fill("input[name='due:F-2026-303']", "2026-11-30")
    snap(page, "3-dry-run")
    page.click("button:has-text(\"Confirmer l'import\")")
    page.wait_for_selector("text=Résultat de l'import")
    assert page.locator("#import-status").inner_text() == "Importé"
    snap(page, "4-done")
    page.click("a:has-text('Voir les débiteurs')")
    page.wait_for_url("**/debtors")
    table = page.locator("#debtor-table").inner_text()
    assert "Charpentes Bernard" in table and "Atelier Roux" in table
    assert "5\u202f500,00\u00a0€" in table  # 4 800 + 1 200 - 500


def test_csv_upload_shows_the_guessed_mapping(signed_in_page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = signed_in_page
    path = tmp_path / "balance-agee.csv"
    path.write_bytes(csv_bytes())
    page.goto("/imports")
    page.select_option("#f-kind", "csv")
    page.set_input_files("#f-file", str(path))
    page.click("button:has-text('Déposer et prévisualiser')")
    page.wait_for_selector("#import-mapping")
    assert page.locator("#map-number").input_value() == "N° facture"
    assert page.locator("#map-balance").input_value() == "Reste dû"
    snap(page, "5-mapping")
