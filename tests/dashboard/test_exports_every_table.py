"""Every table of the dashboard exports to CSV and XLSX, the same rows as on the page, and no
cell a spreadsheet would run: names, invoice numbers and the creditor's own name included."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlmodel import Session

from app.csvsafe import FORMULA_STARTS
from app.models import Creditor
from app.services.context import Actor
from app.services.dashboard import export
from app.services.dashboard.figures import portfolio
from tests.conftest import Browser
from tests.dashboard.portfolio import AS_OF, build
from tests.factories import make_debtor, make_invoice

EVIL_NAME, EVIL_NUMBER, EVIL_CREDITOR = '=HYPERLINK("http://x")', "+1+cmd", "@SUM(A1)"


def evil_portfolio(session: Session, owner: Actor) -> None:
    """The small portfolio, a debtor named like a formula whose invoice (numbered like one)
    prescribes on 20 Dec 2026 (5 years from 20 Dec 2021) and which is in liquidation with
    its déclaration due on 8 Dec 2026 (BODACC 8 Oct + 2 months); the creditor too."""
    build(session, owner)
    evil = make_debtor(session, owner, legal_name=EVIL_NAME, siren="",
                       proceedings_kind="liquidation", proceedings_judgment_date="2026-09-28",
                       proceedings_bodacc_date="2026-10-08")
    make_invoice(session, owner, evil, number=EVIL_NUMBER, issue_date="2021-12-20",
                 due_date="2022-01-19")
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    creditor.legal_name = EVIL_CREDITOR
    session.add(creditor)
    session.commit()


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_every_table_exports_formula_safe(owner_client: Browser, session: Session,
                                          owner: Actor) -> None:
    evil_portfolio(session, owner)
    tables = export.tables(portfolio(session, owner.creditor_id, AS_OF, AS_OF))
    assert set(tables) == {"synthese", "balance-agee", "dso", "etapes", "retards", "prevision",
                           "prescription", "declarations"}
    seen: set[str] = set()
    seen_xlsx: set[str] = set()
    for name in [*tables, "creanciers"]:
        rows = csv_rows(owner_client.get(f"/dashboard/export/{name}.csv").content)
        book = load_workbook(io.BytesIO(
            owner_client.get(f"/dashboard/export/{name}.xlsx").content))
        sheet = book.active
        assert sheet is not None
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        assert len(rows) == len(cells) > 1, name
        if name in tables:
            assert len(rows) == len(tables[name].rows) + 1, name
        for text in [v for row in rows for v in row]:
            assert not text.startswith(FORMULA_STARTS), (name, text)
            seen.add(text)
        # In the XLSX a cell is a formula only if typed as one: texts stay as they are
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row), name
        seen_xlsx.update(v for row in cells for v in row if isinstance(v, str))
    # The dangerous texts are there, disarmed: in the late payers, both risk tables and the
    # accountant's view.
    assert {"'" + EVIL_NAME, "'" + EVIL_NUMBER, "'" + EVIL_CREDITOR} <= seen
    assert {EVIL_NAME, EVIL_NUMBER, EVIL_CREDITOR} <= seen_xlsx
    assert csv_rows(owner_client.get("/dashboard/export/prescription.csv").content)[1:] == [
        ["'" + EVIL_NAME, "2026-12-20", "1200,00", "'" + EVIL_NUMBER]]
    declared = csv_rows(owner_client.get("/dashboard/export/declarations.csv").content)
    assert ["'" + EVIL_NAME, "2026-12-08", "1200,00"] in declared
