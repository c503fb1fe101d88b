"""Decimal helpers for money and rates: cent rounding, French parsing and French display.

Money is always `Decimal`; rounding is half-up to the cent (the décompte rule of LAW.md §2.5.6).
The display helpers use plain spaces so explanations read the same in HTML, PDF and tests.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def round_cent(value: Decimal) -> Decimal:
    """Round half-up to the cent: 60.955 → 60.96."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """'1 234,56', '1.234,56 €', '1234.56' → Decimal('1234.56'); ValueError otherwise."""
    cleaned = _SPACES.sub("", str(text)).replace("€", "")
    if "," in cleaned:
        if "." in cleaned:  # 1.234,56: the dot groups thousands, before the comma
            if cleaned.rfind(".") > cleaned.find(","):
                raise ValueError(f"montant illisible : {text!r}")
            cleaned = cleaned.replace(".", "")
        cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"montant illisible : {text!r}")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards
        raise ValueError(f"montant illisible : {text!r}") from exc
    if value != round_cent(value):
        raise ValueError(f"plus de deux décimales : {text!r}")
    return round_cent(value)


def _group(digits: str) -> str:
    """'1234567' → '1 234 567'."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return " ".join(parts)


def format_number(value: Decimal, places: int = 2) -> str:
    """Decimal(1234.5) → '1 234,50' (French grouping and decimal comma)."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{abs(value.quantize(quantum, rounding=ROUND_HALF_UP)):f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if value < 0 and text.strip("0.") else ""
    return sign + _group(whole) + ("," + fraction if fraction else "")


def format_eur(amount: Decimal) -> str:
    """Decimal('1337.71') → '1 337,71 €'."""
    return f"{format_number(amount)} €"


def format_rate(rate: Decimal) -> str:
    """Decimal('13.15') (a percentage) → '13,15 %'."""
    return f"{format_number(rate)} %"
