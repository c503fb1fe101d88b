"""Spreadsheet exports (grand livre client, balance âgée, invoice lists): `.csv` with any common
separator and encoding, or `.xlsx` read with openpyxl in read-only mode, row by row.

`open_table` finds the encoding, the separator and the header row; `Table.rows()` streams the
data rows with their line number. `app.imports.spreadsheet` turns rows into open items.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.imports.columns import header_score
from app.imports.limits import GuardedFile, ReadLimits, check_xlsx
from app.imports.report import FileRefused
from app.imports.text import ENCODING_LABELS, detect_encoding, open_text, read_sample

SEPARATORS = (";", ",", "\t", "|")
HEADER_SEARCH_ROWS = 15  # exports often open with a title, a date, a blank line…
XLSX_MAGIC = b"PK\x03\x04"
CHECK_EVERY = 1000  # rows between two looks at the clock
Progress = Callable[[float], None]


@dataclass(frozen=True)
class Table:
    path: Path
    kind: str  # csv | xlsx
    headers: list[str]
    header_line: int
    encoding: str = ""
    separator: str = ""
    limits: ReadLimits = ReadLimits()

    @property
    def label(self) -> str:
        if self.kind == "xlsx":
            return "classeur Excel (.xlsx)"
        sep = {"\t": "tabulation", ";": "« ; »", ",": "« , »", "|": "« | »"}[self.separator]
        return f"CSV {ENCODING_LABELS[self.encoding]}, séparateur {sep}"

    def rows(self, progress: Progress | None = None) -> Iterator[tuple[int, list[Any]]]:
        """(line number, cells) after the header row; blank rows are left out. FileRefused
        past the row limit, the deadline or a cancellation (app/imports/limits.py)."""
        source = _xlsx_rows(self.path, self.limits) if self.kind == "xlsx" else \
            _csv_rows(self.path, self.encoding, self.separator, progress)
        for count, (line, row) in enumerate(source, start=1):
            if count % CHECK_EVERY == 0:
                self.limits.check_time()
            self.limits.check_row(count - self.header_line)
            if line > self.header_line and any(_filled(cell) for cell in row):
                yield line, row

    def preview(self, count: int = 8) -> list[list[Any]]:
        rows = []
        for _, row in self.rows():
            rows.append(row)
            if len(rows) >= count:
                break
        return rows


def open_table(path: Path, filename: str, limits: ReadLimits | None = None) -> Table:
    """Detect the format and find the header row; FileRefused if it cannot be read."""
    limits = limits or ReadLimits()
    sample = read_sample(path)
    if not sample.strip():
        raise FileRefused("Le fichier est vide.")
    lower = filename.lower()
    if sample.startswith(XLSX_MAGIC) or lower.endswith(".xlsx"):
        return _table(path, "xlsx", _xlsx_rows(path, limits), limits=limits)
    if lower.endswith((".xls", ".ods")) or sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("Format de classeur non pris en charge : enregistrez-le en .xlsx "
                          "ou en CSV.")
    if sample.startswith(b"%PDF") or b"\x00" in sample[:4096]:
        raise FileRefused("Ce fichier n'est ni un CSV ni un classeur .xlsx.")
    encoding = detect_encoding(sample)
    separator = sniff_separator(sample.decode(encoding, errors="replace"))
    return _table(path, "csv", _csv_rows(path, encoding, separator), encoding, separator,
                  limits)


def sniff_separator(text: str) -> str:
    """The separator found the same number of times on the first lines, the most often."""
    lines = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    best, best_score = ";", 0
    for separator in SEPARATORS:
        try:
            counts = [len(next(csv.reader([line], delimiter=separator))) - 1 for line in lines]
        except csv.Error:  # a field over csv's limit (128 KB) with this separator: not it
            continue
        steady = max(counts.count(n) for n in set(counts)) if counts else 0
        score = max(counts, default=0) * steady
        if score > best_score:
            best, best_score = separator, score
    return best


def _table(path: Path, kind: str, rows: Iterator[tuple[int, list[Any]]],
           encoding: str = "", separator: str = "", limits: ReadLimits | None = None) -> Table:
    first: tuple[int, list[Any]] | None = None
    for count, (line, row) in enumerate(rows):
        if count >= HEADER_SEARCH_ROWS:
            break
        if not any(_filled(cell) for cell in row):
            continue
        first = first or (line, row)
        if header_score(row) >= 2:
            first = (line, row)
            break
    if first is None:
        raise FileRefused("Aucune ligne d'en-tête trouvée dans les premières lignes du fichier.")
    line, row = first
    headers = [str(cell).strip() if cell is not None else "" for cell in row]
    return Table(path, kind, headers, line, encoding, separator, limits or ReadLimits())


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _csv_rows(path: Path, encoding: str, separator: str,
              progress: Progress | None = None) -> Iterator[tuple[int, list[Any]]]:
    size = max(path.stat().st_size, 1)
    raw, text = open_text(path, encoding)
    with raw, text:
        reader = csv.reader(text, delimiter=separator)
        try:
            for row in reader:
                if progress and reader.line_num % 5000 == 0:
                    progress(raw.tell() / size)
                yield reader.line_num, row
        except UnicodeDecodeError as exc:
            raise FileRefused(f"Ligne {reader.line_num + 1} : caractères illisibles en "
                              f"{ENCODING_LABELS[encoding]}. Ré-exportez le fichier en UTF-8."
                              ) from exc
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRefused(f"Ligne {reader.line_num + 1} : une cellule de plus de 128 Ko,"
                                  " ce qu'aucun tableau de factures ne contient.") from exc
            raise FileRefused(f"Ligne {reader.line_num} : CSV mal formé ({exc}).") from exc


def _xlsx_rows(path: Path, limits: ReadLimits) -> Iterator[tuple[int, list[Any]]]:
    """Rows streamed by openpyxl in read-only mode, once the inflated sizes are checked."""
    from openpyxl import load_workbook  # imported here: only spreadsheet imports pay for it

    check_xlsx(path, limits)
    with path.open("rb") as raw:  # a handle: stored files have no .xlsx extension
        handle = GuardedFile(raw, limits)
        try:
            # openpyxl's warnings on parts it does not read are silenced for good (app/quiet.py)
            workbook = load_workbook(handle, read_only=True, data_only=True)  # type: ignore[arg-type]
        except FileRefused:
            raise
        except Exception as exc:  # a corrupt zip or XML: openpyxl raises many kinds
            raise FileRefused("Ce classeur .xlsx est illisible (fichier abîmé ou protégé)."
                              ) from exc
        line = 0
        try:
            sheet = workbook.worksheets[0]
            for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield line, list(row)
        except FileRefused:
            raise
        except ValueError as exc:  # a number cell openpyxl cannot read ("NaN"): a 500 per page
            raise FileRefused(f"Ce classeur .xlsx a une cellule illisible à la ligne {line + 1} "
                              "(un nombre qui n'en est pas un) : corrigez-la dans le tableur."
                              ) from exc
        finally:
            workbook.close()
