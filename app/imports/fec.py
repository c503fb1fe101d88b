"""The Fichier des Écritures Comptables (LPF art. A47 A-1), read as a stream.

18 columns (`JournalCode` … `Idevise`) separated by a tab or `|`, dates AAAAMMJJ, amounts with a
decimal comma, in UTF-8 (with or without BOM), Latin-1 or CP1252. Only the customer lines
(`CompteNum` 411…) are kept; each comes out as a `CustomerLine` once its entry (`JournalCode` +
`EcritureNum`) is complete, so the entry tells a sale (a class-7 or VAT line: invoice or credit
note) from a settlement (bank, cash). Lines are read one at a time: memory does not grow with
the file, only with the customer pieces aggregated downstream (`app.imports.lettrage`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from app.imports.limits import ReadLimits
from app.imports.report import FileRefused, ImportReport
from app.imports.text import ENCODING_LABELS, detect_encoding, open_text, read_sample
from app.parsing import CONTROL_CHARACTERS, strip_control_characters

FEC_COLUMNS = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
)
# LPF art. A47 A-1 allows one signed amount and a direction instead of Debit and Credit.
MONTANT_SENS = ("Montant", "Sens")
CUSTOMER_PREFIX = "411"  # PCG: clients
VAT_COLLECTED_PREFIX = "4457"  # PCG: TVA collectée
SALES_CLASS = "7"  # PCG: produits
READ_ACCOUNTS = (CUSTOMER_PREFIX, SALES_CLASS, VAT_COLLECTED_PREFIX)  # the others are skipped
PROGRESS_EVERY = 5000
_AMOUNT = re.compile(r"([+-]?)(\d+(?=\.|$)|\d*(?=\.\d))(?:\.(\d{0,2}))?")
Progress = Callable[[float], None]
_new_tuple = tuple.__new__  # a CustomerLine without its Python-level __new__
NOT_FEC = ("Ce fichier n'est pas un FEC : sa première ligne doit nommer les 18 colonnes de "
           "l'article A47 A-1 du livre des procédures fiscales (JournalCode, JournalLib, "
           "EcritureNum, … Idevise), séparées par une tabulation ou « | ».")


@dataclass(frozen=True, slots=True)
class FecFormat:
    encoding: str
    separator: str
    columns: dict[str, int]  # FEC column name → position
    width: int

    @property
    def label(self) -> str:
        sep = "tabulation" if self.separator == "\t" else "« | »"
        return f"{ENCODING_LABELS[self.encoding]}, séparateur {sep}"


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


def sniff(path: Path) -> FecFormat:
    """Encoding, separator and column positions; FileRefused if it is not a FEC."""
    sample = read_sample(path)
    if not sample.strip():
        raise FileRefused("Le fichier est vide.")
    if sample.startswith((b"PK\x03\x04", b"%PDF")) or b"\x00" in sample[:4096]:
        raise FileRefused(NOT_FEC + " C'est un fichier binaire (classeur, PDF…) : pour un "
                          "tableur, choisissez l'import CSV / Excel.")
    encoding = detect_encoding(sample)
    header = sample.decode(encoding, errors="replace").splitlines()[0]
    separator = "\t" if "\t" in header else "|" if "|" in header else ""
    if not separator:
        raise FileRefused(NOT_FEC)
    names = [name.strip().strip('"') for name in header.split(separator)]
    known = {name.lower(): name for name in FEC_COLUMNS + MONTANT_SENS}
    columns = {known[n.lower()]: i for i, n in enumerate(names) if n.lower() in known}
    required = [c for c in FEC_COLUMNS if c not in ("Debit", "Credit")]
    if not all(c in columns for c in ("Debit", "Credit")):
        required += list(MONTANT_SENS)
    missing = [c for c in required if c not in columns]
    if len(missing) > len(FEC_COLUMNS) // 2:
        raise FileRefused(NOT_FEC)
    if missing:
        raise FileRefused("FEC incomplet : colonne" + ("s" if len(missing) > 1 else "")
                          + " absente" + ("s" if len(missing) > 1 else "") + " : "
                          + ", ".join(missing) + " (LPF art. A47 A-1).")
    return FecFormat(encoding, separator, columns, len(names))


def parse_cents(text: str) -> int:
    """'1234,56' / '-1 234,5' / '1234.56' / '' → cents; ValueError if not an amount."""
    if text == "0,00":  # half the cells of a ledger: one side of each line
        return 0
    units, comma, decimals = text.partition(",")
    if len(decimals) == 2 and text.isascii() and units.isdigit() and decimals.isdigit():
        return int(units + decimals)  # 1234,56: most other cells
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        return 0
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(text)
    sign, units, decimals = match.groups()
    cents = int(units or "0") * 100 + int((decimals or "").ljust(2, "0"))
    return -cents if sign == "-" else cents


def parse_fec_date(text: str) -> date:
    """AAAAMMJJ (LPF art. A47 A-1); JJ/MM/AAAA is tolerated. ValueError otherwise."""
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if len(text) == 10 and text[2] == "/" and text[5] == "/":
        return date(int(text[6:]), int(text[3:5]), int(text[:2]))
    raise ValueError(text)


def preview_rows(path: Path, fmt: FecFormat, count: int = 8) -> list[list[str]]:
    """The first data rows, for the upload preview."""
    rows: list[list[str]] = []
    raw, text = open_text(path, fmt.encoding)
    with raw, text:
        reader = csv.reader(text, delimiter=fmt.separator, quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if len(rows) >= count:
                break
            if any(cell.strip() for cell in row):
                rows.append([cell.strip() for cell in row])
    return rows


def customer_lines(path: Path, fmt: FecFormat, report: ImportReport,
                   progress: Progress | None = None, limits: ReadLimits | None = None
                   ) -> Iterator[CustomerLine]:
    """Every customer line of the file, entry by entry; bad lines go to `report.refuse`.
    FileRefused past `limits.max_rows` lines, its deadline or its cancellation.

    Lines are split on the separator (the FEC has no quoting: QUOTE_NONE, as the csv module
    would read it, at a fraction of its cost per line); a line holding a control character
    is cleaned of them, the others are taken as they are."""
    limits = limits or ReadLimits()
    last_line = limits.max_rows + 1  # the header is line 1
    checkpoint = min(PROGRESS_EVERY, last_line + 1)  # one test per line for both
    size = max(path.stat().st_size, 1)
    entry = _Entry(fmt, report)
    separator, width = fmt.separator, fmt.width
    journal, number = fmt.columns["JournalCode"], fmt.columns["EcritureNum"]
    account = fmt.columns["CompteNum"]
    raw, text = open_text(path, fmt.encoding)
    with raw, text:
        line = 1
        try:
            next(text, None)
            for line, content in enumerate(text, start=2):
                if line >= checkpoint:
                    if line > last_line:
                        limits.check_row(line - 1)
                    if line % PROGRESS_EVERY == 0:
                        limits.check_time()
                        if progress:
                            progress(raw.tell() / size)
                    checkpoint = min(line - line % PROGRESS_EVERY + PROGRESS_EVERY,
                                     last_line + 1)
                row = content.split(separator)
                row[-1] = row[-1].rstrip("\r\n")
                if len(row) != width:
                    if any(cell.strip() for cell in row):
                        report.refuse(line, f"Ligne incomplète : {len(row)} colonnes au lieu "
                                            f"de {width}.")
                    continue
                if (row[number] != entry.number_code or row[journal] != entry.journal_code) \
                        and entry.starts_new(row):
                    yield from entry.flush()
                code = row[account].strip()
                if code.startswith(READ_ACCOUNTS):
                    entry.add(line, row, content, code)
        except UnicodeDecodeError as exc:
            raise FileRefused(f"Ligne {line + 1} : caractères illisibles en "
                              f"{ENCODING_LABELS[fmt.encoding]} ({exc.reason}). Ré-exportez le "
                              "FEC dans un seul encodage (UTF-8 de préférence).") from exc
        yield from entry.flush()
        report.lines_read = max(line - 1, 0)


class _Entry:
    """The lines of the current entry: customer lines wait until the entry is complete."""

    def __init__(self, fmt: FecFormat, report: ImportReport) -> None:
        c = fmt.columns
        self.journal, self.number, self.account = c["JournalCode"], c["EcritureNum"], c["CompteNum"]
        self.debit, self.credit = c.get("Debit"), c.get("Credit")
        self.montant, self.sens = c.get("Montant"), c.get("Sens")
        self.c = c
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
        return [_new_tuple(CustomerLine, fields + tail) for fields in customers]
