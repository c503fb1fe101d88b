"""The rate tables in force: the packaged CSV tables corrected by administrators' overrides.

An override (`RateOverride`) replaces the row of its semester; when several exist for one
semester, the latest wins. A value left empty in an override keeps the packaged one.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from app.law.rates import (
    ECB_MARGIN,
    EcbRate,
    LegalRate,
    RateTables,
    load_default_rates,
    merge_rates,
    semester_bounds,
)
from app.models import RateOverride

# Read by every debtor page: built once, both tables in one statement.
LATEST = select(RateOverride).order_by(RateOverride.created_at, RateOverride.id)  # type: ignore[arg-type]


def _latest(session: Session) -> dict[str, list[RateOverride]]:
    """By table, the newest correction of each semester."""
    by_table: dict[str, dict[str, RateOverride]] = {"legal": {}, "ecb": {}}
    for row in session.exec(LATEST):
        by_table.setdefault(row.table_name, {})[row.semester] = row
    return {table: list(rows.values()) for table, rows in by_table.items()}


def _pick(value: Decimal | None, fallback: Decimal | None) -> Decimal:
    picked = value if value is not None else fallback
    if picked is None:
        raise ValueError("taux manquant dans la correction")
    return picked


def _legal(row: RateOverride, base: RateTables) -> LegalRate:
    start, end = semester_bounds(row.semester)
    known = next((r for r in base.legal if r.semester == row.semester), None)
    return LegalRate(
        row.semester,
        start,
        end,
        _pick(row.particuliers, known.particuliers if known else None),
        _pick(row.autres_cas, known.autres_cas if known else None),
        row.status,
        row.source,
    )


def _ecb(row: RateOverride, base: RateTables) -> EcbRate:
    known = next((r for r in base.ecb if r.semester == row.semester), None)
    mro = _pick(row.ecb_mro, known.ecb_mro if known else None)
    anchor = semester_bounds(row.semester)[0]
    return EcbRate(row.semester, anchor, mro, mro + ECB_MARGIN, row.status, row.source)


def current_rates(session: Session) -> RateTables:
    """`load_default_rates()` with every administrator correction applied (LAW.md §3)."""
    base = load_default_rates()
    latest = _latest(session)
    return merge_rates(
        base,
        legal_overrides=[_legal(row, base) for row in latest["legal"]],
        ecb_overrides=[_ecb(row, base) for row in latest["ecb"]],
    )
