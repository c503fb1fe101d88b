"""CSV cells a spreadsheet will not run: a cell starting with =, +, -, @, a tab or a carriage
return is a formula to Excel and LibreOffice (CSV injection), so it gets a leading apostrophe,
which they show as text. Use it for every CSV the app writes (manifests, exports)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with an apostrophe in front if a spreadsheet would read it as a formula.
    Numbers are left alone (a negative amount is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Sequence[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def safe_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: safe_cell(value) for key, value in row.items()}


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ";",
              encoding: str = "utf-8-sig") -> bytes:
    """A whole CSV (";" and a BOM by default, what a French spreadsheet opens as is)."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return text.getvalue().encode(encoding)
