"""Aging buckets and the DSO countback (app/services/dashboard/measures.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.services.dashboard.measures import bucket_of, dso_countback, due_range, rate

AS_OF = date(2026, 11, 22)


@pytest.mark.parametrize(("days", "bucket"), [
    (-10, "not_due"), (0, "not_due"),  # due on as_of: not yet overdue
    (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"),
    (91, "91-180"), (180, "91-180"), (181, "180+"), (4000, "180+"),
])
def test_bucket_edges(days: int, bucket: str) -> None:
    assert bucket_of(days) == bucket


def test_due_ranges_of_the_buckets() -> None:
    assert due_range("not_due", AS_OF) == (AS_OF, None)
    assert due_range("1-30", AS_OF) == (date(2026, 10, 23), date(2026, 11, 21))
    assert due_range("180+", AS_OF) == (None, date(2026, 5, 25))


def test_dso_countback_worked_example() -> None:
    # Outstanding 50 000 at the end of March (31 days), sales: March 20 000, February
    # (28 days) 25 000, January (31 days) 30 000.
    # March: 50 000 ≥ 20 000 → 31 days, 30 000 left. February: 30 000 ≥ 25 000 → 28 days,
    # 5 000 left. January: 5 000 / 30 000 of 31 days = 5.1667 → DSO = 31 + 28 + 5.2 = 64.2.
    periods = [(31, Decimal(20000)), (28, Decimal(25000)), (31, Decimal(30000))]
    assert dso_countback(Decimal(50000), periods) == Decimal("64.2")
    # Less than the month's own sales: a share of the month alone (10 000 / 20 000 × 31).
    assert dso_countback(Decimal(10000), periods) == Decimal("15.5")
    assert dso_countback(Decimal(0), periods) == 0


def test_rate_has_nothing_to_divide_by() -> None:
    assert rate(Decimal(1), Decimal(0)) is None
    assert rate(Decimal(1), Decimal(3)) == Decimal("33.3")
