"""Prescription rules of the 30 November 2026 review (LAW.md §1, each case by hand)."""

from datetime import date

import pytest

from app.law.prescription import PrescriptionEvent, prescription

# Start 01/03/2010 → long-stop 01/03/2030 (C. civ. 2232 al. 1). Acknowledgments every four
# years (2240) keep a 5-year claim alive until 01/03/2027.
KEPT_ALIVE = [
    PrescriptionEvent("acknowledgment", date(2014, 3, 1)),
    PrescriptionEvent("acknowledgment", date(2018, 3, 1)),
    PrescriptionEvent("acknowledgment", date(2022, 3, 1)),
]


@pytest.mark.parametrize(
    ("events", "deadline", "words"),
    [
        # service of the ordonnance 01/06/2026 + 5 years = 01/06/2031: not capped (2232 al. 2)
        ([("ip_service", date(2026, 6, 1))], date(2031, 6, 1), "2232 al. 2"),
        # enforcement act 10/01/2027 + 5 years = 10/01/2032: not capped (2244, 2232 al. 2)
        ([("enforcement", date(2027, 1, 10))], date(2032, 1, 10), "2232 al. 2"),
        # acknowledgment 01/06/2026 + 5 = 01/06/2031, capped at 01/03/2030 (2232 al. 1)
        ([("acknowledgment", date(2026, 6, 1))], date(2030, 3, 1), "Plafonné"),
        # service 01/06/2026 (→ 01/06/2031, uncapped), then an acknowledgment 10/01/2027
        # (→ 10/01/2032, capped at 01/03/2030): the service's 01/06/2031 still stands
        (
            [("ip_service", date(2026, 6, 1)), ("acknowledgment", date(2027, 1, 10))],
            date(2031, 6, 1),
            "seul compte le délai ouvert par la demande en justice",
        ),
    ],
)
def test_the_long_stop_spares_a_demand_in_court_and_enforcement(events, deadline, words):
    result = prescription(
        debtor_kind="professional",
        start=date(2010, 3, 1),
        as_of=date(2028, 1, 1),
        events=KEPT_ALIVE + [PrescriptionEvent(kind, day) for kind, day in events],
    )
    assert result.deadline == deadline
    assert any(words in line for line in result.explanation)


@pytest.mark.parametrize(
    ("basis", "deadline", "article"),
    [
        # 5 years from 15/01/2020 → 15/01/2025; suspended 01/12/2024–20/12/2024 = 19 days:
        # kept 15/01/2025 + 19 = 03/02/2025; 2238 and 2239: at least 20/12/2024 + 6 months
        # = 20/06/2025 → 20/06/2025; 2234: no minimum → 03/02/2025
        ("mediation", date(2025, 6, 20), "2238"),
        ("instruction", date(2025, 6, 20), "2239"),
        ("impossibility", date(2025, 2, 3), "2234"),
    ],
)
def test_each_suspension_basis(basis, deadline, article):
    result = prescription(
        debtor_kind="professional",
        start=date(2020, 1, 15),
        as_of=date(2025, 1, 1),
        events=[
            PrescriptionEvent("suspension_start", date(2024, 12, 1), basis),
            PrescriptionEvent("suspension_end", date(2024, 12, 20)),
        ],
    )
    assert result.deadline == deadline
    [line] = [line for line in result.explanation if line.startswith("Suspension")]
    assert f"C. civ. 2230, {article})" in line
    assert ("sans délai minimal" in line) is (basis == "impossibility")


def test_a_suspension_without_basis_is_a_mediation():
    event = PrescriptionEvent("suspension_start", date(2024, 12, 1))
    assert event.basis == "mediation"


@pytest.mark.parametrize("kind", ["acknowledgment", "partial_payment"])
def test_an_acknowledgment_after_prescription_may_be_a_renunciation(kind):
    # consumer: 10/01/2020 + 2 years = 10/01/2022; the act of 01/03/2023 comes after
    result = prescription(
        debtor_kind="consumer",
        start=date(2020, 1, 10),
        as_of=date(2023, 6, 1),
        events=[PrescriptionEvent(kind, date(2023, 3, 1))],
    )
    assert (result.deadline, result.prescribed) == (date(2022, 1, 10), True)
    [line] = [line for line in result.explanation if "01/03/2023" in line]
    assert "il ne l'interrompt pas" in line
    assert "renonciation à la prescription acquise (C. civ. 2250, 2251" in line
    assert "le débiteur peut encore opposer la prescription" in line
    assert "(C. civ. 2247)" in line


def test_a_late_enforcement_act_is_no_renunciation():
    result = prescription(
        debtor_kind="consumer",
        start=date(2020, 1, 10),
        as_of=date(2023, 6, 1),
        events=[PrescriptionEvent("enforcement", date(2023, 3, 1))],
    )
    [line] = [line for line in result.explanation if "01/03/2023" in line]
    assert "renonciation" not in line


@pytest.mark.parametrize(
    ("kind", "events", "as_of", "deadline", "prescribed"),
    [
        # delivery 10/03/2025 + 1 year = 10/03/2026 (C. com. L133-6), whoever the debtor is
        ("professional", [], date(2026, 4, 1), date(2026, 3, 10), True),
        ("consumer", [], date(2026, 3, 10), date(2026, 3, 10), False),
        # an acknowledgment 01/12/2025 opens a new period of the same length: 01/12/2026
        ("professional", [("acknowledgment", date(2025, 12, 1))], date(2026, 4, 1),
         date(2026, 12, 1), False),
    ],
)
def test_carriage_of_goods_has_one_year_from_delivery(kind, events, as_of, deadline, prescribed):
    result = prescription(
        debtor_kind=kind,
        start=date(2025, 3, 10),
        as_of=as_of,
        events=[PrescriptionEvent(k, d) for k, d in events],
        due_date=date(2025, 4, 10),
        claim="goods_transport",
    )
    assert (result.years, result.deadline, result.prescribed) == (1, deadline, prescribed)
    assert result.article == "C. com. L133-6"
    assert result.alternative_deadline is None  # the 1 year runs from delivery only
    assert any("(C. com. L133-6)" in line for line in result.explanation)
