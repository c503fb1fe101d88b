"""French formatting for pages and documents (Babel): 1 234,56 €, 15/03/2026, 13,15 %."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "fr_FR"
PARIS = ZoneInfo("Europe/Paris")
# The locale's symbols, taken from Babel once: formatting a number by hand with them is ten
# times faster than format_decimal, which every amount of every page goes through.
GROUP = format_decimal(1000, format="#,##0", locale=LOCALE)[1]
DECIMAL_SIGN = format_decimal(Decimal("0.5"), format="0.0", locale=LOCALE)[1]
MINUS = format_decimal(-1, format="0", locale=LOCALE)[0]


def eur(amount: Decimal | int | None) -> str:
    """1 234,56 € with the narrow no-break spaces French typography uses."""
    if amount is None:
        return ""
    return f"{number_fr(amount)}\u00a0€"


def number_fr(value: Decimal | int | None, digits: int = 2) -> str:
    if value is None:
        return ""
    if not value:  # 0 and -0 are equal keys but not the same text ("-0,00" as Babel)
        return _number_fr(value, digits)
    return _cached_number_fr(value, digits)


def _number_fr(value: Decimal | int, digits: int) -> str:
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    text = f"{int(integer):,}".replace(",", GROUP) + (DECIMAL_SIGN + fraction if digits else "")
    return (MINUS if rounded.is_signed() else "") + text  # as Babel's "#,##0.00" (half-even)


# A page shows the same few amounts many times (a file's totals, its rows' balances): equal
# values give the same text, whatever their exponent (quantized above), so they share an entry.
_cached_number_fr = lru_cache(maxsize=8192)(_number_fr)


def rate_fr(rate: Decimal | None) -> str:
    """13,15 %"""
    if rate is None:
        return ""
    return f"{number_fr(rate)}\u00a0%"


def date_fr(day: date | datetime | None) -> str:
    """15/03/2026"""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"  # as strftime("%d/%m/%Y"), without it


def date_long_fr(day: date | None) -> str:
    """'15 mars 2026', '1er septembre 2025' (the ordinal on the first of the month)."""
    if day is None:
        return ""
    text = format_date(day, format="d MMMM y", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def datetime_fr(moment: datetime | None) -> str:
    """'15/01/2026 10:30': a stored (UTC) time shown in Paris local time."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


# Before a vowel or a mute h, "de" is elided: "d'Angers", "au profit d'Hôtel du Port".
# (An aspirated h, "de Hollande", is rare in names; a name that opens with a figure or a
# quote keeps "de".)
ELIDING = re.compile(r"^(?:[aeiouàâäéèêëîïôöùûüœæ]|y(?![aeiou])|h[aeiouyàâéèêëîïôöùûü])",
                     re.IGNORECASE)


def of_fr(name: str) -> str:
    """"de " + `name`, elided as French writes it."""
    name = name.strip()
    return f"d'{name}" if ELIDING.match(name) else f"de {name}"


FILTERS = {
    "of_fr": of_fr,
    "eur": eur,
    "number_fr": number_fr,
    "rate_fr": rate_fr,
    "date_fr": date_fr,
    "date_long_fr": date_long_fr,
    "datetime_fr": datetime_fr,
}
