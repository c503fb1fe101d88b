"""Prescription (LAW.md §1): 5 or 2 years, interruptions, suspensions, the 20-year cap."""

from datetime import date

import pytest

from app.law.prescription import PrescriptionEvent, prescription


def event(kind, day):
    return PrescriptionEvent(kind, day)


def test_acknowledgment_restarts_a_full_five_year_period():
    # contract example: 20/01/2025 + 5 years = 20/01/2030;
    # 22/11/2026 → 20/01/2030 = 365 + 366 + 365 + 59 = 1155 days
    result = prescription(
        debtor_kind="professional",
        start=date(2024, 3, 15),
        as_of=date(2026, 11, 22),
        events=[event("acknowledgment", date(2025, 1, 20))],
    )
    assert (result.deadline, result.prescribed, result.days_left) == (
        date(2030, 1, 20),
        False,
        1155,
    )
    assert result.years == 5
    assert any(
        "Reconnaissance de dette (C. civ. 2240) le 20/01/2025" in line
        for line in result.explanation
    )


@pytest.mark.parametrize(
    ("kind", "start", "deadline"),
    [
        ("professional", date(2024, 3, 15), date(2029, 3, 15)),  # C. com. L110-4
        ("consumer", date(2024, 3, 15), date(2026, 3, 15)),  # C. conso. L218-2
        ("professional", date(2024, 2, 29), date(2029, 2, 28)),  # 29 Feb → 28 Feb
        ("consumer", date(2024, 2, 29), date(2026, 2, 28)),
        ("professional", date(2021, 3, 14), date(2026, 3, 14)),  # a Saturday: not moved
    ],
)
def test_deadline_is_the_same_day_number_and_never_moved_to_a_working_day(kind, start, deadline):
    result = prescription(debtor_kind=kind, start=start, as_of=date(2025, 1, 1))
    assert result.deadline == deadline


def test_the_last_day_still_counts_and_the_next_day_is_too_late():
    on_last_day = prescription(
        debtor_kind="consumer", start=date(2024, 3, 15), as_of=date(2026, 3, 15)
    )
    day_after = prescription(
        debtor_kind="consumer", start=date(2024, 3, 15), as_of=date(2026, 3, 16)
    )
    assert (on_last_day.prescribed, on_last_day.days_left) == (False, 0)
    assert (day_after.prescribed, day_after.days_left) == (True, -1)
    assert "Prescription acquise depuis le 16/03/2026" in " ".join(day_after.explanation)


@pytest.mark.parametrize(
    "kind", ["acknowledgment", "partial_payment", "ip_service", "enforcement", "claim_declaration"]
)
def test_every_interruption_restarts_a_period_of_the_same_length(kind):
    # consumer: 10/06/2025 + 2 years = 10/06/2027 (C. civ. 2231)
    result = prescription(
        debtor_kind="consumer",
        start=date(2024, 1, 10),
        as_of=date(2025, 12, 1),
        events=[event(kind, date(2025, 6, 10))],
    )
    assert result.deadline == date(2027, 6, 10)


def test_lasting_interruptions_say_so():
    result = prescription(
        debtor_kind="professional",
        start=date(2024, 1, 10),
        as_of=date(2025, 12, 1),
        events=[event("claim_declaration", date(2025, 6, 10))],
    )
    assert "jusqu'à la clôture de la procédure collective" in " ".join(result.explanation)


def test_an_event_after_prescription_does_not_revive_the_claim():
    # 10/01/2018 + 5 years = 10/01/2023; an acknowledgment in 2024 comes too late
    result = prescription(
        debtor_kind="professional",
        start=date(2018, 1, 10),
        as_of=date(2024, 6, 1),
        events=[event("acknowledgment", date(2024, 1, 10))],
    )
    assert (result.deadline, result.prescribed) == (date(2023, 1, 10), True)
    assert "postérieur à l'acquisition de la prescription" in " ".join(result.explanation)


@pytest.mark.parametrize(
    ("suspended", "resumed", "deadline"),
    [
        # 90 days suspended early: 10/01/2029 + 90 days = 10/04/2029
        (date(2025, 1, 10), date(2025, 4, 10), date(2029, 4, 10)),
        # 40 days left on 01/12/2028; resumes 01/03/2029: 40 days → 10/04/2029,
        # but at least 6 months after the end (2238) → 01/09/2029
        (date(2028, 12, 1), date(2029, 3, 1), date(2029, 9, 1)),
    ],
)
def test_suspension_keeps_the_remaining_time_and_at_least_six_months(suspended, resumed, deadline):
    result = prescription(
        debtor_kind="professional",
        start=date(2024, 1, 10),
        as_of=date(2029, 3, 2),
        events=[
            event("suspension_start", suspended),
            event("suspension_end", resumed),
        ],
    )
    assert result.deadline == deadline


def test_a_suspension_still_running_gives_a_minimum_date():
    # 2 years from 10/01/2024 = 10/01/2026; suspended on 10/07/2025 (184 days left);
    # still suspended on 01/12/2025 → 01/12/2025 + 184 days = 03/06/2026 (≥ 6 months)
    result = prescription(
        debtor_kind="consumer",
        start=date(2024, 1, 10),
        as_of=date(2025, 12, 1),
        events=[event("suspension_start", date(2025, 7, 10))],
    )
    assert result.deadline == date(2026, 6, 3)
    assert not result.prescribed
    assert any("Suspension en cours" in line for line in result.explanation)


def test_twenty_year_long_stop_caps_repeated_interruptions():
    # acknowledgments every 4 years would reach 01/01/2031; C. civ. 2232 caps at 01/01/2030
    events = [event("acknowledgment", date(year, 1, 1)) for year in (2014, 2018, 2022, 2026)]
    result = prescription(
        debtor_kind="professional", start=date(2010, 1, 1), as_of=date(2026, 6, 1), events=events
    )
    assert result.deadline == date(2030, 1, 1)
    assert any("C. civ. 2232" in line for line in result.explanation)


def test_due_date_reading_is_only_a_later_alternative():
    result = prescription(
        debtor_kind="professional",
        start=date(2024, 3, 15),
        as_of=date(2026, 11, 22),
        due_date=date(2024, 4, 14),
    )
    assert (result.deadline, result.alternative_deadline) == (date(2029, 3, 15), date(2029, 4, 14))
    assert "non retenue, par prudence" in result.explanation[-1]


def test_no_alternative_when_an_interruption_makes_both_readings_equal():
    result = prescription(
        debtor_kind="professional",
        start=date(2024, 3, 15),
        as_of=date(2026, 11, 22),
        due_date=date(2024, 4, 14),
        events=[event("partial_payment", date(2025, 1, 20))],
    )
    assert result.alternative_deadline is None


def test_never_says_a_reminder_or_mise_en_demeure_interrupts():
    result = prescription(
        debtor_kind="professional", start=date(2024, 3, 15), as_of=date(2026, 11, 22)
    )
    mentions = [line for line in result.explanation if "mise en demeure" in line]
    assert mentions and all("n'interrompt pas" in line for line in mentions)


def test_events_outside_the_period_are_ignored_with_a_reason():
    result = prescription(
        debtor_kind="professional",
        start=date(2024, 3, 15),
        as_of=date(2026, 11, 22),
        events=[
            event("acknowledgment", date(2024, 1, 1)),
            event("acknowledgment", date(2027, 1, 1)),
        ],
    )
    assert result.deadline == date(2029, 3, 15)
    assert sum("ignoré" in line for line in result.explanation) == 2
