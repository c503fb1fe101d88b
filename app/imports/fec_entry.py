"""A FEC's customer lines and the careful, line-by-line reading of them.

`Entry` holds the lines of the current entry (`JournalCode` + `EcritureNum`): customer lines
wait until the entry is complete, so the entry tells a sale (a class-7 or VAT line: invoice or
credit note) from a settlement (bank, cash). `Entry.read_lines` reads lines one at a time and
gives every bad line its French reason and line number; the fast path
(`app.imports.fec_block`) reads plain blocks column-wise into the same state, and hands back to
this one any block it cannot read as plain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from app.imports.report import ImportReport
from app.parsing import CONTROL_CHARACTERS, in_range, strip_control_characters

if TYPE_CHECKING:
    from app.imports.fec import FecFormat

CUSTOMER_PREFIX = "411"  # PCG: clients
VAT_COLLECTED_PREFIX = "4457"  # PCG: TVA collectée
SALES_CLASS = "7"  # PCG: produits
READ_ACCOUNTS = (CUSTOMER_PREFIX, SALES_CLASS, VAT_COLLECTED_PREFIX)  # the others are skipped
_AMOUNT = re.compile(r"([+-]?)(\d+(?=\.|$)|\d*(?=\.\d))(?:\.(\d{0,2}))?")
new_tuple = tuple.__new__  # a CustomerLine without its Python-level __new__


class CustomerLine(NamedTuple):
    line: int
    account: str
    name: str
    piece_ref: str
    piece_date: date
    label: str
    debit: int  # cents
    credit: int  # cents
    letter: str
    sale: bool  # the entry has a sales or VAT line: invoice or credit note
    vat: int | None  # VAT of the entry (cents) when it is one invoice to one customer


MAX_UNITS = 9  # euros of at most 9 digits: MAX_AMOUNT (app/parsing.py), 999 999 999,99


def parse_cents(text: str) -> int:
    """'1234,56' / '-1 234,5' / '1234.56' / '' → cents; ValueError if not an amount."""
    if text == "0,00":  # half the cells of a ledger: one side of each line
        return 0
    units, comma, decimals = text.partition(",")
    if (len(decimals) == 2 and len(units) <= MAX_UNITS and text.isascii() and units.isdigit()
            and decimals.isdigit()):
        return int(units + decimals)  # 1234,56: most other cells
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        return 0
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(text)
    sign, units, decimals = match.groups()
    if len((units or "").lstrip("0")) > MAX_UNITS:  # a 40-digit Debit broke the page, then SQLite
        raise ValueError(text)
    cents = int(units or "0") * 100 + int((decimals or "").ljust(2, "0"))
    return -cents if sign == "-" else cents


def parse_fec_date(text: str) -> date:
    """AAAAMMJJ (LPF art. A47 A-1); JJ/MM/AAAA is tolerated. ValueError otherwise."""
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        return in_range(date(int(text[:4]), int(text[4:6]), int(text[6:])))
    if len(text) == 10 and text[2] == "/" and text[5] == "/":
        return in_range(date(int(text[6:]), int(text[3:5]), int(text[:2])))
    raise ValueError(text)


class Entry:
    """The lines of the current entry: customer lines wait until the entry is complete."""

    def __init__(self, fmt: FecFormat, report: ImportReport) -> None:
        c = fmt.columns
        self.separator, self.width = fmt.separator, fmt.width
        self.journal, self.number, self.account = c["JournalCode"], c["EcritureNum"], c["CompteNum"]
        self.debit, self.credit = c.get("Debit"), c.get("Credit")
        self.montant, self.sens = c.get("Montant"), c.get("Sens")
        self.piece_date, self.entry_date = c["PieceDate"], c["EcritureDate"]
        self.piece_ref, self.aux, self.aux_name = c["PieceRef"], c["CompAuxNum"], c["CompAuxLib"]
        self.account_name, self.label, self.letter = c["CompteLib"], c["EcritureLib"], c["EcritureLet"]
        self.report = report
        self.journal_code: str | None = None  # the current entry: JournalCode, EcritureNum
        self.number_code: str | None = None
        self.debit_credit = self.debit is not None and self.credit is not None
        self.customers: list[tuple[Any, ...]] = []  # CustomerLine's fields but sale and vat
        self.sale = False
        self.vat = 0
        self.dates: dict[str, date] = {}  # a ledger has a few hundred distinct dates

    def read_lines(self, lines: list[str], first: int) -> Iterator[CustomerLine]:
        """The customer lines of the entries these lines complete, `first` the number of the
        first line; a bad line goes to `report.refuse` with its number.

        Lines are split on the separator (the FEC has no quoting: QUOTE_NONE, as the csv
        module would read it, at a fraction of its cost per line); a customer line holding a
        control character is cleaned of them, the others are taken as they are."""
        separator, width, report = self.separator, self.width, self.report
        journal, number, account = self.journal, self.number, self.account
        for line, content in enumerate(lines, start=first):
            row = content.split(separator)
            row[-1] = row[-1].rstrip("\r\n")
            if len(row) != width:
                if any(cell.strip() for cell in row):
                    report.refuse(line, f"Ligne incomplète : {len(row)} colonnes au lieu "
                                        f"de {width}.")
                continue
            if (row[number] != self.number_code or row[journal] != self.journal_code) \
                    and self.starts_new(row):
                yield from self.flush()
            code = row[account].strip()
            if code.startswith(READ_ACCOUNTS):
                self.add(line, row, content, code)

    def starts_new(self, row: list[str]) -> bool:
        """The row opens another entry: True if the previous one has lines to flush."""
        self.journal_code, self.number_code = row[self.journal], row[self.number]
        if self.customers:
            return True
        self.sale, self.vat = False, 0  # nothing waits: the entry starts here
        return False

    def amounts(self, row: list[str]) -> tuple[int, int]:
        """(debit, credit) of a FEC with Montant and Sens columns."""
        assert self.montant is not None and self.sens is not None
        amount, sens = parse_cents(row[self.montant]), row[self.sens].strip().upper()
        if sens in ("D", "+1", "1"):
            return amount, 0
        if sens in ("C", "-1"):
            return 0, amount
        raise ValueError(row[self.sens])

    def add(self, line: int, row: list[str], content: str, account: str) -> None:
        """A line of a customer, sales or VAT account (READ_ACCOUNTS), `account` its CompteNum."""
        is_customer = account.startswith(CUSTOMER_PREFIX)
        if not is_customer and self.sale and not account.startswith(VAT_COLLECTED_PREFIX):
            return  # another sales line of a sale: it tells nothing more
        try:
            if self.debit_credit:
                debit, credit = row[self.debit], row[self.credit]  # type: ignore[index]
                # "0,00": one side of most lines, read without a call
                debit = 0 if debit == "0,00" else parse_cents(debit)
                credit = 0 if credit == "0,00" else parse_cents(credit)
            else:
                debit, credit = self.amounts(row)
        except ValueError:
            if is_customer:
                self.report.refuse(line, "Montant illisible dans Debit / Credit : écrivez par "
                                         "exemple 1234,56.")
            return
        if not is_customer:
            self.sale = True
            if account.startswith(VAT_COLLECTED_PREFIX):
                self.vat += credit - debit
            return
        if CONTROL_CHARACTERS.search(content):  # imported: removed, not refused
            row = [strip_control_characters(cell) for cell in row]
        # the customer line's fields, but sale and vat (known when the entry is complete)
        raw_date = row[self.piece_date].strip() or row[self.entry_date].strip()
        piece_date = self.dates.get(raw_date)
        if piece_date is None:
            try:
                piece_date = self.dates[raw_date] = parse_fec_date(raw_date)
            except ValueError:
                self.report.refuse(line, f"Date « {raw_date} » invalide : AAAAMMJJ attendu "
                                         "(PieceDate).")
                return
        piece_ref = row[self.piece_ref].strip()
        if not piece_ref and debit > credit:
            self.report.refuse(line, "Numéro de pièce (PieceRef) manquant : la facture ne "
                                     "peut pas être identifiée.")
            return
        code = row[self.aux].strip() or row[self.account].strip()
        name = row[self.aux_name].strip() or row[self.account_name].strip() or code
        self.customers.append((line, code, name, piece_ref or row[self.number].strip(),
                               piece_date, row[self.label].strip(), debit, credit,
                               row[self.letter].strip()))

    def flush(self) -> list[CustomerLine]:
        """The entry's customer lines, told whether the entry is a sale (and its VAT)."""
        customers, sale = self.customers, self.sale
        vat = self.vat if sale and len(customers) == 1 and customers[0][6] > 0 else None
        self.customers, self.sale, self.vat = [], False, 0
        self.report.lines_used += len(customers)
        tail = (sale, vat)
        return [new_tuple(CustomerLine, fields + tail) for fields in customers]
