"""The deadline a mise en demeure leaves the debtor (LAW.md §4 tool rule; CPC 641, 642)."""

from datetime import date
from importlib.metadata import version

import pytest

from app.law.calendar import department_from_postcode, holiday_calendar
from app.law.notice import notice_deadline

YEARS = range(2026, 2028)


def deadline(sent, days=8, received=None, postcode="75001", served=False):
    holidays = holiday_calendar(department_from_postcode(postcode), YEARS)
    return notice_deadline(
        sent=sent, days=days, received=received, holidays=holidays, served=served
    )


@pytest.mark.parametrize(
    ("sent", "days", "received", "served", "expected", "estimated"),
    [
        # AR signed Wednesday 04/11/2026: + 8 days = Thursday 12/11/2026
        (date(2026, 11, 2), 8, date(2026, 11, 4), False, date(2026, 11, 12), False),
        # pli avisé non réclamé, first presented 03/11: + 8 = 11/11 (Armistice) → 12/11
        (date(2026, 11, 2), 8, date(2026, 11, 3), False, date(2026, 11, 12), False),
        # 15 days from an AR of 06/11: Saturday 21/11 → Monday 23/11
        (date(2026, 11, 2), 15, date(2026, 11, 6), False, date(2026, 11, 23), False),
        # sommation by commissaire de justice on 02/11: received that day, + 8 = Tuesday 10/11
        (date(2026, 11, 2), 8, None, True, date(2026, 11, 10), False),
        # no AR yet: 02/11 + 3 days of post = 05/11, + 8 days = Friday 13/11, an estimate
        (date(2026, 11, 2), 8, None, False, date(2026, 11, 13), True),
        # estimate on a weekend: 06/11 + 3 = 09/11, + 15 = Tuesday 24/11
        (date(2026, 11, 6), 15, None, False, date(2026, 11, 24), True),
    ],
)
def test_deadline_from_the_ar_or_estimated(sent, days, received, served, expected, estimated):
    result = deadline(sent, days, received, served=served)
    assert (result.deadline, result.estimated) == (expected, estimated)
    assert ("Estimation" in result.reason) is estimated


@pytest.mark.parametrize(
    ("postcode", "expected", "local"),
    [
        # AR 19/05/2026 + 8 days = Wednesday 27/05/2026
        ("75001", date(2026, 5, 27), None),  # Paris: a working day
        # Guadeloupe (971, from 3 digits): 27/05 is its abolition day → Thursday 28/05
        ("97110", date(2026, 5, 28), "27/05/2026 (Abolition de l'esclavage)"),
        # Martinique (972): its abolition day is 22/05, so 27/05 is a working day there
        ("97200", date(2026, 5, 27), None),
    ],
)
def test_an_overseas_debtor_s_deadline_moves_off_a_local_holiday(postcode, expected, local):
    result = deadline(date(2026, 5, 15), 8, date(2026, 5, 19), postcode=postcode)
    assert result.deadline == expected
    if local:
        assert local in result.reason
        assert f"bibliothèque holidays {version('holidays')}" in result.reason
    else:
        assert "bibliothèque holidays" not in result.reason


def test_martinique_local_holiday_then_whit_monday():
    # AR 14/05/2026 + 8 = Friday 22/05 (Martinique's abolition day) → the weekend → Monday
    # 25/05 is Whit Monday (national) → Tuesday 26/05
    result = deadline(date(2026, 5, 11), 8, date(2026, 5, 14), postcode="97200")
    assert result.deadline == date(2026, 5, 26)
    assert "22/05/2026 (Abolition de l'esclavage)" in result.reason
