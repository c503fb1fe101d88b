"""Which annual rate applies to one day of delay, and the sentence that says why.

Business debtor: ECB rate + 10 points, or the contractual rate floored at 3 × the taux légal
(C. com. L441-10 II, LAW.md §2.5 rules 4 and 9). Consumer: the taux légal "autres cas" column
(C. civ. 1231-6; CMF L313-2). A missing semester reuses the nearest known row; a missing or "?"
row adds a visible "à vérifier" warning (LAW.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from app.law.money import format_rate
from app.law.rates import EcbRate, LegalRate, RateTables, semester_label, semester_of

FLOOR_MULTIPLIER = Decimal("3")  # C. com. L441-10 II: contractual rate ≥ 3 × taux légal

_Row = TypeVar("_Row", LegalRate, EcbRate)


@dataclass(frozen=True)
class AppliedRate:
    rate: Decimal
    rule: str
    warnings: tuple[str, ...]


def _nearest(rows: tuple[_Row, ...], semester: str) -> _Row:
    """The row of `semester`, else the latest earlier one, else the earliest."""
    if not rows:
        raise ValueError("table de taux vide")
    earlier = [row for row in rows if row.semester <= semester]
    return earlier[-1] if earlier else rows[0]


def _row_warnings(table: str, row: LegalRate | EcbRate, semester: str, rate: Decimal,
                  gives: str = "") -> list[str]:
    """`gives`: what the rate leads to, when it is not the rate applied itself."""
    label = semester_label(semester)
    if row.semester != semester:
        return [
            f"{table} du {label} absent de la table : le taux du "
            f"{semester_label(row.semester)} ({format_rate(rate)}{gives}) est repris, à vérifier."
        ]
    if not row.verified:
        return [f"{table} du {label} à vérifier : valeur non confirmée "
                f"({format_rate(rate)} retenu{gives})."]
    return []


def legal_row(rates: RateTables, day: date) -> tuple[LegalRate, list[str]]:
    """The taux légal row for `day` (CMF L313-2) with its "à vérifier" warnings."""
    semester = semester_of(day)
    row = _nearest(rates.legal, semester)
    return row, _row_warnings("Taux d'intérêt légal", row, semester, row.autres_cas)


def ecb_row(rates: RateTables, day: date) -> tuple[EcbRate, list[str]]:
    """The ECB anchor row for `day` (C. com. L441-10 II) with its "à vérifier" warnings."""
    semester = semester_of(day)
    row = _nearest(rates.ecb, semester)
    # the ECB's own rate, then the penalty rate it gives (+ 10 points): "Taux BCE (12,15 %)"
    # read as if the ECB's rate were 12,15 %
    gives = f", soit des pénalités au taux de {format_rate(row.default_penalty)}"
    return row, _row_warnings("Taux BCE", row, semester, row.ecb_mro, gives)


def _suffix(warnings: list[str]) -> str:
    return " (à vérifier)" if warnings else ""


def default_penalty_rate(rates: RateTables, day: date) -> AppliedRate:
    # C. com. L441-10 II: ECB rate of 1 Jan / 1 Jul + 10 points; never floored (LAW.md §3, 2024)
    row, warnings = ecb_row(rates, day)
    label = semester_label(semester_of(day))
    rule = (
        "Pénalités de retard au taux BCE + 10 points (C. com. L441-10 II), taux de "
        f"{format_rate(row.default_penalty)} du {label}{_suffix(warnings)}"
    )
    return AppliedRate(row.default_penalty, rule, tuple(warnings))


def contractual_penalty_rate(
    rates: RateTables, day: date, contractual: Decimal, invoice: str
) -> AppliedRate:
    # C. com. L441-10 II: the agreed rate, floored semester by semester at 3 × taux légal (rule 9)
    row, warnings = legal_row(rates, day)
    floor = FLOOR_MULTIPLIER * row.autres_cas
    label = semester_label(semester_of(day))
    if contractual >= floor:
        rule = (
            "Pénalités de retard au taux contractuel (C. com. L441-10 II), taux de "
            f"{format_rate(contractual)}"
        )
        return AppliedRate(contractual, rule, tuple(warnings))
    rule = (
        "Pénalités de retard au plancher de 3 fois le taux d'intérêt légal (C. com. L441-10 II), "
        f"taux de {format_rate(floor)} du {label}{_suffix(warnings)}"
    )
    warnings.append(
        f"Facture {invoice} : le taux contractuel de {format_rate(contractual)} est inférieur au "
        f"plancher de 3 fois le taux d'intérêt légal ({format_rate(floor)} au {label}) ; "
        "le plancher est appliqué (C. com. L441-10 II)."
    )
    return AppliedRate(floor, rule, tuple(warnings))


def consumer_legal_rate(rates: RateTables, day: date, by_due_date: bool = False) -> AppliedRate:
    # C. civ. 1231-6, 1344-1; CMF L313-2, D313-1-A: "autres cas" column (the creditor is a pro);
    # from the due date when the terms of sale make it the notice (C. civ. 1344)
    row, warnings = legal_row(rates, day)
    label = semester_label(semester_of(day))
    since = (
        "de l'échéance, qui vaut mise en demeure selon les conditions générales (C. civ. 1344, "
        if by_due_date
        else "de la mise en demeure (C. civ. "
    )
    rule = (
        f"Intérêts au taux légal à compter {since}1231-6, 1344-1 ; "
        f"CMF L313-2), taux de {format_rate(row.autres_cas)} du {label}{_suffix(warnings)}"
    )
    return AppliedRate(row.autres_cas, rule, tuple(warnings))


def as_of_warnings(rates: RateTables, as_of: date, consumer: bool = False) -> list[str]:
    """LAW.md: when "today" falls in a missing or "?" semester, every décompte says so: of the
    rates it uses. A consumer owes legal interest, never penalties at the ECB rate (§2.3)."""
    return legal_row(rates, as_of)[1] + ([] if consumer else ecb_row(rates, as_of)[1])
