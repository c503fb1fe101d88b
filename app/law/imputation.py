"""Imputation of a payment that names no invoice (C. civ. 1342-10 al. 2; LAW.md §2.4, rule 5).

Pure ordering: the décompte (interest.py) says what each debt owes on the payment date and at
which annual rate; this module says how much of the payment goes to each debt and which rule of
1342-10 placed it: the debts already due first (not-yet-due ones only once every due one is
paid); among them the higher rate on the payment date (the debt the debtor had most interest in
paying); at equal rate the oldest (earliest due date); all else equal, proportionally to the
amounts, each share rounded down to the cent and the remainder cent(s) to the oldest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from itertools import groupby

from app.law.money import ZERO, format_rate

CENT = Decimal("0.01")
DESIGNATED = "facture désignée par le débiteur (C. civ. 1342-10 al. 1)"
_ARTICLE = "(C. civ. 1342-10 al. 2)"


@dataclass(frozen=True)
class Debt:
    key: str
    due: bool  # exigible on the payment date
    rate: Decimal  # annual rate applicable on the payment date
    due_date: date
    issue_date: date
    owed: Decimal  # accrued interest not yet paid + principal, on the payment date


@dataclass(frozen=True)
class Share:
    key: str
    amount: Decimal
    rule: str  # which rule of 1342-10 placed it, in French


def _tier_key(debt: Debt) -> tuple[bool, Decimal, date]:
    return (not debt.due, -debt.rate, debt.due_date)


def _oldest_first(debts: Sequence[Debt]) -> list[Debt]:
    return sorted(debts, key=lambda d: (d.due_date, d.issue_date, d.key))


def _why(debt: Debt, later: Debt | None, first: bool) -> str:
    """The first criterion of 1342-10 al. 2 that put `debt` before the debts still unpaid."""
    if later is None:
        if first:
            return f"imputation : seule dette restant à payer à cette date {_ARTICLE}"
        return f"imputation : solde, une fois les dettes prioritaires acquittées {_ARTICLE}"
    if debt.due != later.due:
        return f"imputation : dette échue, payée avant les dettes non échues {_ARTICLE}"
    if debt.rate != later.rate:
        return (
            f"imputation : dette au taux le plus élevé à la date du paiement "
            f"({format_rate(debt.rate)}), celle que le débiteur avait le plus d'intérêt à "
            f"acquitter {_ARTICLE}"
        )
    return f"imputation : à taux égal, la dette la plus ancienne (échéance la plus proche) {_ARTICLE}"


PROPORTIONAL = (
    "imputation : à échéance et taux égaux, répartie proportionnellement aux montants dus, "
    f"le centime restant à la plus ancienne {_ARTICLE}"
)


def _split(amount: Decimal, tier: list[Debt]) -> list[Share]:
    # All else equal: proportionally, rounded down to the cent; remainder to the oldest
    total = sum((d.owed for d in tier), ZERO)
    shares = {d.key: (amount * d.owed / total).quantize(CENT, rounding=ROUND_DOWN) for d in tier}
    remainder = amount - sum(shares.values(), ZERO)
    for debt in _oldest_first(tier):
        extra = min(remainder, debt.owed - shares[debt.key])
        shares[debt.key] += extra
        remainder -= extra
    return [Share(d.key, shares[d.key], PROPORTIONAL) for d in _oldest_first(tier)]


def impute(amount: Decimal, debts: Sequence[Debt]) -> tuple[list[Share], Decimal]:
    """How `amount` is spread over `debts` (1342-10 al. 2); returns the shares and the excess."""
    open_debts = sorted((d for d in debts if d.owed > 0), key=_tier_key)
    tiers = [list(group) for _, group in groupby(open_debts, key=_tier_key)]
    shares: list[Share] = []
    rest = amount
    for index, tier in enumerate(tiers):
        if rest <= 0:
            break
        later = tiers[index + 1][0] if index + 1 < len(tiers) else None
        total = sum((d.owed for d in tier), ZERO)
        if rest < total and len(tier) > 1:
            shares += _split(rest, tier)
            rest = ZERO
            break
        for debt in _oldest_first(tier):
            take = min(rest, debt.owed)
            if take > 0:
                shares.append(Share(debt.key, take, _why(debt, later, index == 0)))
                rest -= take
    return shares, rest
