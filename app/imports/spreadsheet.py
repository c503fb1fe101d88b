"""Rows of a spreadsheet export → open items, through the user's column mapping.

Two shapes of export: an invoice list or a balance âgée (one row per invoice: amount TTC, and
maybe what is paid or still due), or a grand livre client (one row per entry: Débit, Crédit,
Lettrage), which goes through the same lettrage as a FEC.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stdnum.fr import siren as stdnum_siren

from app.imports.csv import Progress, Table
from app.imports.fec import CustomerLine
from app.imports.items import CREDIT_NOTE, PAYMENT, Credit, Customer, InvoiceItem, name_key
from app.imports.lettrage import Ledger
from app.imports.report import ImportReport
from app.parsing import (
    MAX_AMOUNT,
    RANGE_TEXT,
    DateOutOfRange,
    in_range,
    parse_amount,
    strip_control_characters,
)

CENT = Decimal("0.01")
EXCEL_EPOCH = date(1899, 12, 30)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y%m%d")
DETAILS = ("email", "street", "postal_code", "city")
PAID_REFERENCE = "Règlements selon l'export comptable"


class RowRefused(ValueError):
    """One row cannot be read: its French reason goes to the report."""


def read_customers(table: Table, mapping: dict[str, str], report: ImportReport, *,
                   progress: Progress | None = None) -> list[Customer]:
    columns = {name: table.headers.index(header) for name, header in mapping.items()}
    reader = _Row(columns)
    if "debit" in columns and "credit" in columns and "amount_ttc" not in columns:
        return _ledger_customers(table, reader, report, progress)
    customers: dict[str, Customer] = {}
    for line, cells in table.rows(progress):
        report.lines_read += 1
        try:
            reader.load(cells)
            _add_invoice_row(customers, reader, line)
        except RowRefused as exc:
            report.refuse(line, str(exc))
            continue
        report.lines_used += 1
    return list(customers.values())


def _customer(customers: dict[str, Customer], row: _Row) -> Customer:
    name, siren, account = row.text("debtor_name"), row.siren(), row.text("account")
    key = siren or account or name_key(name)
    customer = customers.get(key)
    if customer is None:
        details = {field: row.text(field) for field in DETAILS if row.text(field)}
        customer = customers[key] = Customer(account=account, name=name or account or siren,
                                             siren=siren, details=details)
    return customer


def _add_invoice_row(customers: dict[str, Customer], row: _Row, line: int) -> None:
    number = row.required_text("number", "N° de facture manquant.")
    issue = row.date("issue_date", required=True)
    ttc = row.amount("amount_ttc")
    balance = row.amount("balance")
    if ttc is None:
        if balance is None:
            raise RowRefused("Montant TTC manquant.")
        ttc = balance
    if ttc == 0:
        raise RowRefused("Montant nul : rien à recouvrer.")
    customer = _customer(customers, row)
    if ttc < 0:  # a credit note in an invoice list
        customer.credits.append(Credit(CREDIT_NOTE, number, issue, -ttc, line))
        return
    paid = ttc - balance if balance is not None else row.amount("paid") or Decimal("0.00")
    if not Decimal(0) <= paid <= ttc:
        raise RowRefused(f"Déjà réglé ({paid}) incohérent avec le montant TTC ({ttc}).")
    if number in customer.numbers:  # a set: a list scan made 30,000 rows take minutes
        raise RowRefused(f"Facture {number} en double dans le fichier.")
    customer.numbers.add(number)
    customer.invoices.append(InvoiceItem(
        number=number, issue_date=issue, amount_ttc=ttc, line=line, amount_tva=row.vat(ttc),
        due_date=row.date("due_date"), description=row.text("description"),
        settled=paid == ttc))
    if paid > 0:
        # A balance âgée does not say when the paid part came: on its due date, it paid no
        # penalty (C. civ. 1343-1 imputes on the payment's day), and what the export says is
        # still due stays the principal, never more.
        paid_on = row.date("payment_date") or row.date("due_date") or issue
        customer.credits.append(Credit(PAYMENT, PAID_REFERENCE, paid_on, paid, line, number,
                                       cumulative=True))


def _ledger_customers(table: Table, row: _Row, report: ImportReport,
                      progress: Progress | None) -> list[Customer]:
    ledger = Ledger()
    identities: dict[str, tuple[str, str, dict[str, str]]] = {}
    for line, cells in table.rows(progress):
        report.lines_read += 1
        try:
            row.load(cells)
            entry = _ledger_line(row, line)
        except RowRefused as exc:
            report.refuse(line, str(exc))
            continue
        if entry is not None:
            report.lines_used += 1
            identities.setdefault(entry.account, (row.siren(), entry.name, {
                field: row.text(field) for field in DETAILS if row.text(field)}))
            ledger.add(entry)
    customers = list(ledger.customers())
    for customer in customers:
        customer.siren, customer.name, customer.details = identities[customer.account]
    return customers


def _ledger_line(row: _Row, line: int) -> CustomerLine | None:
    number = row.required_text("number", "N° de pièce manquant.")
    day = row.date("issue_date", required=True)
    debit, credit = row.amount("debit") or Decimal(0), row.amount("credit") or Decimal(0)
    if debit == credit:
        return None
    name, siren, account = row.text("debtor_name"), row.siren(), row.text("account")
    if not (name or siren or account):
        raise RowRefused("Client manquant.")
    label = row.text("description")
    credit_note = credit > debit and ("avoir" in label.lower() or number.upper().startswith("AV"))
    return CustomerLine(line=line, account=account or siren or name_key(name),
                        name=name or account, piece_ref=number, piece_date=day, label=label,
                        debit=int(debit * 100), credit=int(credit * 100),
                        letter=row.text("letter"), sale=credit_note or debit > credit,
                        vat=None)


class _Row:
    """Typed access to the cells of one row through the mapping."""

    def __init__(self, columns: dict[str, int]) -> None:
        self.columns = columns
        self.cells: list[Any] = []

    def load(self, cells: list[Any]) -> None:
        self.cells = cells

    def raw(self, name: str) -> Any:
        index = self.columns.get(name)
        if index is None or index >= len(self.cells):
            return None
        value = self.cells[index]
        return value.strip() if isinstance(value, str) else value

    def text(self, name: str) -> str:
        value = self.raw(name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed in Excel: "1045", not "1045.0"
        return "" if value is None else strip_control_characters(str(value)).strip()

    def required_text(self, name: str, message: str) -> str:
        value = self.text(name)
        if not value:
            raise RowRefused(message)
        return value[:60]

    def siren(self) -> str:
        raw = self.text("siren")
        digits = re.sub(r"\D", "", raw)[:9]
        if raw and not stdnum_siren.is_valid(digits):
            raise RowRefused(f"SIREN « {raw} » invalide (9 chiffres, clé de contrôle).")
        return digits

    def amount(self, name: str) -> Decimal | None:
        value = self.raw(name)
        if value is None or value == "":
            return None
        if isinstance(value, int | float | Decimal):
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) > MAX_AMOUNT:  # NaN, inf, 1e30 cells
                raise RowRefused(f"Montant « {value} » invalide : un nombre de 999 999 999,99 "
                                 "au plus est attendu.")
            return number.quantize(CENT, rounding=ROUND_HALF_UP)
        text = str(value)
        negative = text.startswith("(") and text.endswith(")")
        try:
            amount = parse_amount(text.strip("()"))
        except ValueError:
            raise RowRefused(f"Montant « {text} » invalide : écrivez par exemple 1 234,56."
                             ) from None
        return -amount if negative else amount

    def date(self, name: str, required: bool = False) -> date | None:
        value = self.raw(name)
        if value is None or value == "":
            if required:
                raise RowRefused("Date de facture manquante.")
            return None
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        elif isinstance(value, int | float) and 20000 < value < 80000:  # an Excel serial day
            day = EXCEL_EPOCH + timedelta(days=int(value))
        else:
            day = _parse_date(str(value))
        try:
            return in_range(day)
        except DateOutOfRange:
            raise RowRefused(f"Date du {day:%d/%m/%Y} hors de la plage admise ({RANGE_TEXT})."
                             ) from None

    def vat(self, ttc: Decimal) -> Decimal | None:
        tva, ht = self.amount("amount_tva"), self.amount("amount_ht")
        if tva is not None:
            return tva
        return ttc - ht if ht is not None else None


def _parse_date(text: str) -> date:
    text = text.strip()[:10] if re.match(r"\d{4}-\d\d-\d\d", text) else text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise RowRefused(f"Date « {text} » invalide : JJ/MM/AAAA attendu.")

