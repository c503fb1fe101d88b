"""Rate tables: taux de l'intérêt légal (CMF L313-2) and ECB anchor rates (C. com. L441-10 II).

The tables are data (`app/law/data/*.csv`, one row per semester with its source and status),
parsed from text by `parse_legal_rates` / `parse_ecb_rates`. Rates are percentages
(`Decimal("13.15")` means 13.15 %). `load_default_rates()` is the only function that reads a
file; rule functions receive a `RateTables` value. Administrators' corrections replace the row
of the same semester (`merge_rates`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import TypeVar

from app.law.calendar import fr_date

UNVERIFIED = frozenset({"?", ""})  # LAW.md: "?" = not verified, shown "à vérifier"
ECB_MARGIN = Decimal("10")  # C. com. L441-10 II: ECB rate + 10 points
_SEMESTER = re.compile(r"(\d{4})-S([12])")


def semester_of(day: date) -> str:
    """date(2025, 7, 1) → '2025-S2'."""
    return f"{day.year}-S{1 if day.month <= 6 else 2}"


def semester_bounds(semester: str) -> tuple[date, date]:
    """'2025-S1' → (2025-01-01, 2025-06-30)."""
    match = _SEMESTER.fullmatch(semester)
    if not match:
        raise ValueError(f"semestre invalide : {semester!r} (attendu AAAA-S1 ou AAAA-S2)")
    year, half = int(match[1]), int(match[2])
    return (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )


def semester_label(semester: str) -> str:
    """'2025-S1' → '1er semestre 2025'."""
    start, _ = semester_bounds(semester)
    return f"{'1er' if start.month == 1 else '2e'} semestre {start.year}"


def next_semester_start(day: date) -> date:
    """The next 1 January or 1 July strictly after `day`."""
    return date(day.year, 7, 1) if day.month <= 6 else date(day.year + 1, 1, 1)


@dataclass(frozen=True)
class LegalRate:
    semester: str
    start: date
    end: date
    particuliers: Decimal
    autres_cas: Decimal
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status.strip() not in UNVERIFIED


@dataclass(frozen=True)
class EcbRate:
    semester: str
    anchor_date: date
    ecb_mro: Decimal
    default_penalty: Decimal
    status: str
    note: str

    @property
    def verified(self) -> bool:
        return self.status.strip() not in UNVERIFIED


@dataclass(frozen=True)
class RateTables:
    legal: tuple[LegalRate, ...]
    ecb: tuple[EcbRate, ...]

    def legal_for(self, day: date) -> LegalRate | None:
        """The taux légal row of the semester containing `day` (CMF L313-2)."""
        key = semester_of(day)
        return next((row for row in self.legal if row.semester == key), None)

    def ecb_for(self, day: date) -> EcbRate | None:
        """The ECB row whose anchor (1 Jan / 1 Jul) governs `day` (C. com. L441-10 II)."""
        key = semester_of(day)
        return next((row for row in self.ecb if row.semester == key), None)

    def with_row(self, row: LegalRate | EcbRate) -> RateTables:
        """A copy where `row` replaces the row of the same semester (or is added)."""
        if isinstance(row, LegalRate):
            return replace(self, legal=_replace_row(self.legal, row))
        return replace(self, ecb=_replace_row(self.ecb, row))


_Row = TypeVar("_Row", LegalRate, EcbRate)


def _replace_row(rows: tuple[_Row, ...], row: _Row) -> tuple[_Row, ...]:
    kept = [r for r in rows if r.semester != row.semester]
    return tuple(sorted([*kept, row], key=lambda r: r.semester))


def merge_rates(
    base: RateTables,
    legal_overrides: Iterable[LegalRate] = (),
    ecb_overrides: Iterable[EcbRate] = (),
) -> RateTables:
    """Apply administrators' corrections: each replaces the row of its semester."""
    tables = base
    for row in (*legal_overrides, *ecb_overrides):
        tables = tables.with_row(row)
    return tables


def _decimal(value: str, line: int, column: str) -> Decimal:
    try:
        return Decimal(value.strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(f"ligne {line} : {column} n'est pas un nombre ({value!r})") from exc


def _date(value: str, line: int, column: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(
            f"ligne {line} : {column} n'est pas une date AAAA-MM-JJ ({value!r})"
        ) from exc


def _rows(text: str, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.strip()))
    missing = set(columns) - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"colonnes manquantes : {', '.join(sorted(missing))}")
    for line, row in enumerate(reader, start=2):
        yield line, {key: (row[key] or "").strip() for key in columns}


LEGAL_COLUMNS = (
    "semester",
    "start",
    "end",
    "particuliers_pct",
    "autres_cas_pct",
    "status",
    "source",
)
ECB_COLUMNS = ("semester", "anchor_date", "ecb_mro_pct", "default_penalty_pct", "status", "note")


def parse_legal_rates(text: str) -> tuple[LegalRate, ...]:
    """Parse the taux légal CSV; each row must cover exactly its semester."""
    rows = []
    for line, raw in _rows(text, LEGAL_COLUMNS):
        start, end = _date(raw["start"], line, "start"), _date(raw["end"], line, "end")
        if (start, end) != semester_bounds(raw["semester"]):
            raise ValueError(f"ligne {line} : {fr_date(start)}-{fr_date(end)} ≠ {raw['semester']}")
        rows.append(
            LegalRate(
                raw["semester"],
                start,
                end,
                _decimal(raw["particuliers_pct"], line, "particuliers_pct"),
                _decimal(raw["autres_cas_pct"], line, "autres_cas_pct"),
                raw["status"],
                raw["source"],
            )
        )
    return _unique(rows)


def parse_ecb_rates(text: str) -> tuple[EcbRate, ...]:
    """Parse the ECB CSV; the default penalty must be the MRO rate + 10 points (L441-10 II)."""
    rows = []
    for line, raw in _rows(text, ECB_COLUMNS):
        anchor = _date(raw["anchor_date"], line, "anchor_date")
        if anchor != semester_bounds(raw["semester"])[0]:
            raise ValueError(f"ligne {line} : ancrage {fr_date(anchor)} ≠ {raw['semester']}")
        mro = _decimal(raw["ecb_mro_pct"], line, "ecb_mro_pct")
        penalty = _decimal(raw["default_penalty_pct"], line, "default_penalty_pct")
        if penalty != mro + ECB_MARGIN:
            raise ValueError(f"ligne {line} : {penalty} ≠ taux BCE {mro} + 10 points")
        rows.append(EcbRate(raw["semester"], anchor, mro, penalty, raw["status"], raw["note"]))
    return _unique(rows)


def _unique(rows: list[_Row]) -> tuple[_Row, ...]:
    semesters = [row.semester for row in rows]
    duplicates = sorted({s for s in semesters if semesters.count(s) > 1})
    if duplicates:
        raise ValueError(f"semestre en double : {', '.join(duplicates)}")
    return tuple(sorted(rows, key=lambda row: row.semester))


@cache  # the packaged tables never change while the app runs; RateTables is immutable
def load_default_rates() -> RateTables:
    """Read the packaged CSV tables (the only file access of app.law; rules never call it)."""
    folder = resources.files("app.law").joinpath("data")
    return RateTables(
        legal=parse_legal_rates(folder.joinpath("legal_rates.csv").read_text(encoding="utf-8")),
        ecb=parse_ecb_rates(folder.joinpath("ecb_rates.csv").read_text(encoding="utf-8")),
    )
