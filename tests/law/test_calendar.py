"""Procedural calendar: CPC 640-642 and French public holidays."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.law.calendar import (
    add_days,
    add_months,
    add_years,
    department_from_postcode,
    holiday_calendar,
    next_working_day,
    normalise_department,
    procedural_deadline,
)

YEARS = range(2020, 2031)
FRANCE = holiday_calendar(None, YEARS)
MOSELLE = holiday_calendar("57", YEARS)
MARTINIQUE = holiday_calendar("972", YEARS)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # no 31 Feb → last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2026, 9, 15), 3, date(2026, 12, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_number_or_takes_the_last_day(start, months, expected):
    assert add_months(start, months) == expected


def test_add_years_turns_29_february_into_28_february():
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_day_periods_do_not_count_the_triggering_day():
    # CPC 641: 8 days from Monday 2 Nov 2026 end on Tuesday 10 Nov
    assert add_days(date(2026, 11, 2), 8) == date(2026, 11, 10)


def test_deadline_on_saturday_moves_to_monday():
    # 3 Sept 2026 + 1 month = Saturday 3 Oct 2026 → Monday 5 Oct
    result = procedural_deadline(date(2026, 9, 3), months=1, holidays=FRANCE)
    assert (result.nominal, result.deadline, result.extended) == (
        date(2026, 10, 3),
        date(2026, 10, 5),
        True,
    )
    assert "samedi 03/10/2026" in result.reason
    assert "prorogé au lundi 05/10/2026 (CPC 642)" in result.reason


@pytest.mark.parametrize(
    ("start", "months", "days", "expected"),
    [
        (date(2026, 4, 14), 1, 0, date(2026, 5, 15)),  # 14 May 2026 is Ascension Day
        (date(2026, 1, 31), 1, 0, date(2026, 3, 2)),  # 28 Feb 2026 a Saturday → Monday 2 March
        (date(2026, 11, 3), 0, 8, date(2026, 11, 12)),  # 11 Nov is Armistice Day
        (date(2026, 10, 1), 1, 0, date(2026, 11, 2)),  # 1 Nov 2026: Sunday and All Saints
        (date(2026, 11, 24), 1, 0, date(2026, 12, 24)),  # a Thursday: unchanged
    ],
)
def test_waited_out_deadlines_are_extended_to_the_next_working_day(start, months, days, expected):
    assert (
        procedural_deadline(start, months=months, days=days, holidays=FRANCE).deadline == expected
    )


def test_alsace_moselle_adds_good_friday():
    # 3 March 2026 + 1 month = Good Friday 3 April 2026: a working day in Paris; in Metz the
    # deadline moves past the weekend and Easter Monday (6 April) to Tuesday 7 April.
    assert procedural_deadline(date(2026, 3, 3), months=1, holidays=FRANCE).deadline == date(
        2026, 4, 3
    )
    assert procedural_deadline(date(2026, 3, 3), months=1, holidays=MOSELLE).deadline == date(
        2026, 4, 7
    )
    assert date(2026, 12, 26) in MOSELLE and date(2026, 12, 26) not in FRANCE


def test_martinique_adds_its_abolition_of_slavery_day():
    # 22 May 2026 (Friday) is a holiday in Martinique; Monday 25 May is Whit Monday
    assert procedural_deadline(date(2026, 4, 22), months=1, holidays=MARTINIQUE).deadline == date(
        2026, 5, 26
    )
    assert procedural_deadline(date(2026, 4, 22), months=1, holidays=FRANCE).deadline == date(
        2026, 5, 22
    )


@pytest.mark.parametrize(
    ("department", "holiday"),
    [
        ("67", date(2026, 4, 3)),  # Bas-Rhin: Good Friday
        ("68", date(2026, 12, 26)),  # Haut-Rhin: Saint Stephen's Day
        ("971", date(2026, 5, 27)),  # Guadeloupe
        ("973", date(2026, 6, 10)),  # Guyane
        ("974", date(2026, 12, 20)),  # La Réunion
        ("976", date(2026, 4, 27)),  # Mayotte
    ],
)
def test_local_holidays_follow_the_department(department, holiday):
    assert holiday in holiday_calendar(department, [2026])
    assert holiday not in holiday_calendar("75", [2026])


def test_the_eleven_national_holidays_of_2026():
    assert sorted(holiday_calendar(None, [2026])) == [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    ]


def test_own_deadline_is_not_extended_but_mentions_the_possible_extension():
    # 13 Sept 2026 + 3 months = Sunday 13 Dec 2026: the creditor aims at the 13th
    result = procedural_deadline(date(2026, 9, 13), months=3, holidays=FRANCE, extend=False)
    assert (result.deadline, result.extended) == (date(2026, 12, 13), False)
    assert "prorogation au 14/12/2026 est possible (CPC 642)" in result.reason


@pytest.mark.parametrize(
    ("postcode", "department"),
    [
        ("57000", "57"),
        ("75015", "75"),
        ("97200", "972"),
        ("97110", "971"),
        ("20090", "2A"),
        ("20200", "2B"),
        ("1000", None),
        ("", None),
        (None, None),
    ],
)
def test_department_from_postcode(postcode, department):
    assert department_from_postcode(postcode) == department


def test_normalise_department_strips_and_pads():
    assert normalise_department(" 057 ") == "57"
    assert normalise_department("2a") == "2A"
    assert normalise_department("") is None


DEPARTMENTS = [None, "75", "57", "67", "971", "972", "973", "974", "976"]
CALENDARS = {dept: holiday_calendar(dept, YEARS) for dept in DEPARTMENTS}


@given(
    start=st.dates(min_value=date(2021, 1, 1), max_value=date(2029, 12, 31)),
    months=st.integers(0, 6),
    days=st.integers(0, 60),
    department=st.sampled_from(DEPARTMENTS),
)
def test_extended_deadline_is_never_on_a_weekend_or_holiday(start, months, days, department):
    holidays = CALENDARS[department]
    result = procedural_deadline(start, months=months, days=days, holidays=holidays)
    assert result.deadline.weekday() < 5 and result.deadline not in holidays
    assert result.nominal <= result.deadline < result.nominal + timedelta(days=6)
    assert result.extended == (result.deadline != result.nominal)
    assert next_working_day(result.deadline, holidays) == result.deadline
