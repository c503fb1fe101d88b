"""The XLSX exports show texts as they are: a debtor named "@SUM(1)" reads "@SUM(1)", not
"'@SUM(1)"; a text starting with "=" is a string cell, never a formula. (The CSV keeps its
apostrophe: there a spreadsheet reads any cell starting with = + - @ as a formula.)"""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook
from sqlmodel import Session

from app.services.context import Actor
from app.services.dashboard.export import Table, to_xlsx
from tests.conftest import Browser
from tests.dashboard.portfolio import build, invoice
from tests.factories import make_debtor

TEXTS = ("@SUM(1)", "=HYPERLINK(\"http://x\")", "+1+cmd", "-2", "\tTab")


def sheet_xml(book: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_texts_are_written_as_they_are_and_typed_as_strings() -> None:
    book = to_xlsx(Table("t", "Textes", ("=Entête", "Montant"), [(t, 1) for t in TEXTS]))

    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet is not None
    cells = list(sheet.iter_rows())
    assert [(c.value, c.data_type) for c in cells[0]] == [("=Entête", "s"), ("Montant", "s")]
    assert [(row[0].value, row[0].data_type) for row in cells[1:]] == [(t, "s") for t in TEXTS]
    assert "<f>" not in sheet_xml(book)  # no formula element anywhere in the sheet


def test_the_late_payers_xlsx_shows_a_formula_like_name_without_apostrophe(
        owner_client: Browser, session: Session, owner: Actor) -> None:
    build(session, owner)
    invoice(session, owner, make_debtor(session, owner, legal_name="@SUM(1)", siren=""),
            "X-1", 400, 100)

    body = owner_client.get("/dashboard/export/retards.xlsx").content
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("@SUM(1)", "s")
    assert "'@SUM(1)" not in sheet_xml(body)
    csv = owner_client.get("/dashboard/export/retards.csv").content.decode("utf-8-sig")
    assert "'@SUM(1)" in csv  # the CSV's guard is unchanged
