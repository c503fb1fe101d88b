"""The dashboard's tables, and their CSV and XLSX files with formula-safe cells.

In the CSV, a text cell that a spreadsheet would read as a formula (starting with = + - @, a
tab or a carriage return) is prefixed with an apostrophe (app/csvsafe.py, "CSV injection").
In the XLSX a cell is a formula only if it is typed as one, so texts are written as they are,
typed as strings: openpyxl would type a text starting with "=" as a formula, so those cells are
made and typed by hand. Numbers stay numbers. CSV: semicolons and decimal commas, UTF-8 with a
BOM, as French Excel opens it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from app.csvsafe import safe_cell
from app.services.dashboard.board import Portfolio
from app.services.dashboard.risk import RiskList

Cell = str | int | Decimal | date | None


@dataclass(frozen=True)
class Table:
    name: str  # the file name and the anchor on the page
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def safe_text(value: str) -> str:
    return str(safe_cell(value))


def tables(board: Portfolio) -> dict[str, Table]:
    found = [
        Table("synthese", "Synthèse", ("Indicateur", "Valeur"), [
            ("Encours (TTC)", board.outstanding), ("Échu", board.overdue),
            ("Débiteurs", board.debtors), ("Factures ouvertes", board.invoices),
            ("DSO (jours)", board.dso_days),
            ("Taux de recouvrement sur 12 mois (%)", board.recovery_rate),
            ("Retard moyen par débiteur (jours)", board.average_days_late)]),
        Table("balance-agee", "Balance âgée",
              ("Tranche", "Montant", "Factures", "Débiteurs (plus ancienne facture)"),
              [(b.label, b.amount, b.invoices, b.debtors) for b in board.aging]),
        Table("dso", "DSO par mois (méthode par épuisement)", ("Mois", "DSO (jours)"),
              [(m.strftime("%Y-%m"), d) for m, d in board.dso_by_month]),
        Table("etapes", "Étapes du recouvrement", ("Étape", "Montant", "Débiteurs"),
              [(s.label, s.amount, s.debtors) for s in board.stages]),
        Table("retards", "Plus gros retards", ("Débiteur", "Jours de retard", "Encours", "Étape"),
              [(p.name, p.days_late, p.outstanding, p.stage) for p in board.top_late_payers]),
        Table("prevision", "Encaissements attendus sur 8 semaines",
              ("Du", "Au", "Échéances de factures", "Plans de paiement", "Promesses", "Total"),
              [(w.start, w.end, w.invoices, w.plans, w.promises, w.total)
               for w in board.forecast]),
        Table("prescription", "Prescription dans les 90 jours",
              ("Débiteur", "Date limite", "Montant à risque", "Factures"),
              [(r.name, r.date, r.amount, ", ".join(r.invoices))
               for r in board.prescription.rows]),
        _risks("declarations", "Déclarations de créance dans les 30 jours", board.declarations),
    ]
    if board.notes:
        found[0].rows.extend(("Note", note) for note in board.notes)
    return {table.name: table for table in found}


def _risks(name: str, title: str, risks: RiskList) -> Table:
    return Table(name, title, ("Débiteur", "Date limite", "Encours du débiteur"),
                 [(r.name, r.date, r.amount) for r in risks.rows])


def creditors_table(boards: Sequence[Portfolio]) -> Table:
    return Table("creanciers", "Tous les créanciers", (
        "Créancier", "Encours", "Échu", "Débiteurs", "DSO (jours)", "Recouvrement 12 mois (%)",
        "Prescription < 90 j", "Déclarations < 30 j"),
        [(b.creditor_name, b.outstanding, b.overdue, b.debtors, b.dso_days, b.recovery_rate,
          b.prescription.amount, b.declarations.amount) for b in boards])


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace(".", ",")


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in table.headers])
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.title[:31])
    sheet.append([_xlsx_cell(sheet, h) for h in table.headers])
    for row in table.rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    """The value as is; a text openpyxl would make a formula ("=…") kept a string."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value
