"""Imports of the review of 2 December 2026 (tests/samples/hostile/imports/): numbers no
spreadsheet or ledger should hold. Each is refused where it stands, never a server error, and
the import's page stays readable."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest
from sqlmodel import select

from app.models import Invoice
from tests.imports.test_import_pages import batch_url, upload

SAMPLES = Path(__file__).parents[1] / "samples" / "hostile" / "imports"


@pytest.mark.parametrize(("name", "said"), [
    # openpyxl raised reading the cell: GET /imports/{id} was a 500 for good
    ("xlsx_nan.xlsx", "cellule illisible à la ligne 2"),
    # Decimal("inf") and 1e30 went through quantize: a 500 at the check
    ("xlsx_inf.xlsx", "Montant « inf » invalide"),
    ("xlsx_1e30.xlsx", "Montant « 1e+30 » invalide"),
])
def test_a_spreadsheet_cell_that_is_no_amount_is_refused(owner_client, session, name, said):
    response = upload(owner_client, (SAMPLES / name).read_bytes(), name, "csv")
    assert response.status_code in (303, 422), response.text
    if response.status_code == 422:  # refused at once, next to the file field
        assert said in unescape(response.text)
        return
    url = batch_url(response)
    page = owner_client.get(url)
    assert page.status_code == 200
    checked = owner_client.submit(url + "/check", {
        "map_number": "Numéro", "map_debtor_name": "Client", "map_issue_date": "Date",
        "map_due_date": "Échéance", "map_amount_ttc": "Montant TTC", "action": "check"})
    text = unescape(page.text + checked.text)
    assert checked.status_code in (200, 422), checked.text
    assert said in text, text[-3000:]


def test_a_forty_digit_debit_is_refused_and_the_other_lines_imported(owner_client, session):
    name = "123456789FEC20261231.txt"
    url = batch_url(upload(owner_client, (SAMPLES / name).read_bytes(), name))
    checked = owner_client.submit(url + "/check", {"term_days": "30", "action": "check"})
    assert checked.status_code == 200, checked.text
    assert "Montant illisible dans Debit / Credit" in unescape(checked.text)
    assert owner_client.get(url).status_code == 200
    done = owner_client.submit(url + "/check", {"term_days": "30", "action": "apply"})
    assert done.status_code == 200, done.text
    assert [i.number for i in session.exec(select(Invoice))] == ["FEC-OK"]


def test_a_csv_with_a_cell_over_128_kb_is_refused_in_french(owner_client, session):
    # Seen: a first line over 128 KB, a 500 at upload (csv's field limit, while sniffing)
    content = ("Numéro;Client;Montant TTC\nF-1;" + "x" * 200_000 + ";100,00\n").encode()
    response = upload(owner_client, content, "factures.csv", "csv")
    assert response.status_code in (303, 422), response.text
    text = unescape(response.text if response.status_code == 422
                    else owner_client.get(batch_url(response)).text)
    assert "une cellule de plus de 128 Ko" in text
