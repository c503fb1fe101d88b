"""The dashboard's measures as pure functions: aging buckets, DSO countback, rates.

Days past due of an invoice = as_of − due date; an invoice due on as_of is not yet overdue.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.errors import ValidationFailed
from app.parsing import OUT_OF_RANGE, DateOutOfRange, parse_date

BUCKETS = {"not_due": "Non échu", "1-30": "1 à 30 jours", "31-60": "31 à 60 jours",
           "61-90": "61 à 90 jours", "91-180": "91 à 180 jours", "180+": "Plus de 180 jours"}
# Days past due, both ends included; None: open.
DAYS: dict[str, tuple[int | None, int | None]] = {
    "not_due": (None, 0), "1-30": (1, 30), "31-60": (31, 60), "61-90": (61, 90),
    "91-180": (91, 180), "180+": (181, None)}
DSO_MONTHS = 12
COUNTBACK_LIMIT = 36  # months of sales a countback may reach back to
FORECAST_WEEKS = 8
TENTH, HUNDREDTH = Decimal("0.1"), Decimal("0.01")


def bucket_of(days_past_due: int) -> str:
    for code, (low, high) in DAYS.items():
        if (low is None or days_past_due >= low) and (high is None or days_past_due <= high):
            return code
    raise AssertionError(days_past_due)  # the ranges cover every integer


def due_range(code: str, as_of: date) -> tuple[date | None, date | None]:
    """The due dates (first, last; None: open) whose invoices fall in bucket `code`."""
    low, high = DAYS[code]
    return (None if high is None else as_of - timedelta(days=high),
            None if low is None else as_of - timedelta(days=low))


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def dso_countback(outstanding: Decimal, periods: Iterable[tuple[int, Decimal]]) -> Decimal:
    """Days of sales the outstanding stands for. `periods`, newest first: (days, sales).
    Each period's sales are taken off the outstanding while it covers them, adding the
    period's days; the last one counts for the share it covers."""
    days, left = Decimal(0), outstanding
    for period_days, sales in periods:
        if left <= 0:
            break
        if left >= sales:
            days += period_days
            left -= sales
        else:
            days += period_days * left / sales
            left = Decimal(0)
    return days.quantize(TENTH, rounding=ROUND_HALF_UP)


def dso_by_month(as_of: date, figures: Mapping[date, tuple[Decimal, Decimal]],
                 shown: Decimal, count: int = DSO_MONTHS) -> list[tuple[date, Decimal]]:
    """DSO at the end of each of the `count` months up to as_of's (that month: at as_of).
    `figures`: month → (invoiced, settled). Outstanding at a month's end = everything
    invoiced up to it − everything settled up to it; at as_of, the outstanding the dashboard
    shows (`shown`, the invoices' balances: a trop-perçu settles nothing more, a payment made
    late pays its penalties first, C. civ. 1343-1)."""
    last = month_start(as_of)
    # (days, sales) of every month a countback may reach, newest first, read once.
    history = [(_days(m, as_of), figures.get(m, (Decimal(0), Decimal(0)))[0]) for m in
               (months_back(last, k) for k in range(count - 1 + COUNTBACK_LIMIT))]
    first = months_back(last, count - 1)
    outstanding = sum((i - s for m, (i, s) in figures.items() if m < first), Decimal(0))
    result = []
    for back in range(count - 1, -1, -1):
        month = months_back(last, back)
        invoiced, settled = figures.get(month, (Decimal(0), Decimal(0)))
        outstanding += invoiced - settled
        periods = history[back:back + COUNTBACK_LIMIT]
        counted = shown if back == 0 else max(outstanding, Decimal(0))
        result.append((month, dso_countback(counted, periods)))
    return result


def _days(month: date, as_of: date) -> int:
    """A month's days; as_of's month counts its days up to as_of."""
    if month == month_start(as_of):
        return as_of.day
    return monthrange(month.year, month.month)[1]


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in per cent, one decimal; None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return (part * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


def weeks(as_of: date, count: int = FORECAST_WEEKS) -> list[tuple[date, date]]:
    """Week k: as_of + 7k to as_of + 7k + 6."""
    return [(as_of + timedelta(days=7 * k), as_of + timedelta(days=7 * k + 6))
            for k in range(count)]


def read_as_of(text: str, today: date) -> date:
    """The dashboard's date: ISO or French, today when empty; raises ValidationFailed."""
    if not text.strip():
        return today
    try:
        return parse_date(text)
    except DateOutOfRange:
        raise ValidationFailed({"as_of": OUT_OF_RANGE}) from None
    except ValueError:
        raise ValidationFailed({"as_of": f"Date invalide : « {text[:40]} » (attendu AAAA-MM-JJ "
                                         "ou JJ/MM/AAAA)."}) from None
