"""Statutory payment terms between professionals (C. com. L441-10 I)."""

from datetime import date

import pytest

from app.law.terms import latest_end_of_month_due, payment_terms_warning


@pytest.mark.parametrize(
    ("issue", "latest"),
    [
        # 02/01 + 45 days = 16/02 → end of month 28/02; end of January + 45 days = 17/03
        (date(2025, 1, 2), date(2025, 3, 17)),
        # 20/01 + 45 days = 06/03 → 31/03; 31/01 + 45 days = 17/03
        (date(2025, 1, 20), date(2025, 3, 31)),
    ],
)
def test_45_days_end_of_month_accepts_the_later_of_both_readings(issue, latest):
    assert latest_end_of_month_due(issue) == latest


@pytest.mark.parametrize(
    ("due", "fragment"),
    [
        (date(2025, 3, 3), None),  # exactly 60 days
        (date(2025, 3, 4), "à 61 jours"),
        (date(2025, 3, 17), "expressément convenu"),
        (date(2025, 3, 18), "délai de paiement excessif (C. com. L441-10 I)"),
    ],
)
def test_due_date_beyond_60_days_is_flagged_never_blocked(due, fragment):
    warning = payment_terms_warning("F1", date(2025, 1, 2), due)
    assert (warning is None) if fragment is None else (fragment in warning)
