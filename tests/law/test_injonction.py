"""Steps after an ordonnance d'injonction de payer (LAW.md §5, CPC 1411, 1416, 1422, 1423, 643)."""

from datetime import date

import pytest

from app.law.calendar import holiday_calendar
from app.law.injonction import claim_brought_on, covers, injonction_schedule, regime_for

FRANCE = holiday_calendar(None, range(2020, 2029))


def schedule(ordonnance, service=None, *, to_person=True, location="metropole"):
    return injonction_schedule(
        ordonnance_date=ordonnance,
        service_date=service,
        service_to_person=to_person,
        debtor_location=location,
        holidays=FRANCE,
    )


@pytest.mark.parametrize(
    ("ordonnance", "regime"),
    [
        (date(2022, 2, 28), "pre-2022"),
        (date(2022, 3, 1), "2022"),
        (date(2026, 8, 31), "2022"),
        (date(2026, 9, 1), "2026"),
    ],
)
def test_regime_follows_the_date_of_the_ordonnance(ordonnance, regime):
    assert regime_for(ordonnance) == regime


def test_ordonnance_of_september_2026_must_be_served_within_three_months():
    result = schedule(date(2026, 9, 15))
    assert (result.regime, result.service_deadline) == ("2026", date(2026, 12, 15))
    assert (result.opposition_deadline, result.enforceable_from) == (None, None)
    assert "non avenue (CPC 1411)" in result.explanation[1]


def test_ordonnance_of_2025_must_be_served_within_six_months():
    assert schedule(date(2025, 5, 10)).service_deadline == date(2025, 11, 10)


def test_service_deadline_is_the_creditors_own_and_stays_unextended():
    # 13/09/2026 + 3 months = Sunday 13/12/2026: target the 13th, extension only mentioned
    result = schedule(date(2026, 9, 13))
    assert result.service_deadline == date(2026, 12, 13)
    assert "prorogation au 14/12/2026 est possible (CPC 642)" in result.explanation[1]


@pytest.mark.parametrize(
    ("service", "location", "opposition", "enforceable"),
    [
        # 01/10/2026 + 1 month = Sunday 01/11 (All Saints) → Monday 02/11;
        # enforceable after 2 months: 01/12/2026 (Tuesday) has run out → 02/12
        (date(2026, 10, 1), "metropole", date(2026, 11, 2), date(2026, 12, 2)),
        # overseas: + 1 month (CPC 643) → 01/12/2026 (Tuesday)
        (date(2026, 10, 1), "overseas", date(2026, 12, 1), date(2026, 12, 2)),
        # abroad: + 2 months → 01/01/2027 (holiday, Friday) → Monday 04/01/2027;
        # enforcement waits for the end of the opposition period → 05/01/2027
        (date(2026, 10, 1), "abroad", date(2027, 1, 4), date(2027, 1, 5)),
    ],
)
def test_2026_regime_opposition_and_enforcement(service, location, opposition, enforceable):
    result = schedule(date(2026, 9, 15), service, location=location)
    assert (result.opposition_deadline, result.enforceable_from) == (opposition, enforceable)
    assert result.formule_executoire_deadline is None


def test_2022_regime_is_enforceable_the_day_after_the_opposition_period():
    # served 14/06/2025 + 1 month = Monday 14/07/2025, national holiday → 15/07; enforceable 16/07
    result = schedule(date(2025, 5, 10), date(2025, 6, 14))
    assert (result.regime, result.opposition_deadline, result.enforceable_from) == (
        "2022",
        date(2025, 7, 15),
        date(2025, 7, 16),
    )
    assert "prorogé au mardi 15/07/2025 (CPC 642)" in " ".join(result.explanation)


def test_pre_2022_formule_executoire_must_be_requested_within_a_month():
    # served 14/06/2021 + 1 month = 14/07/2021 (holiday) → 15/07; formule by 15/08/2021
    # (a Sunday and a holiday, but the creditor's own deadline is not extended)
    result = schedule(date(2021, 5, 10), date(2021, 6, 14))
    assert (result.opposition_deadline, result.formule_executoire_deadline) == (
        date(2021, 7, 15),
        date(2021, 8, 15),
    )
    assert result.enforceable_from == date(2021, 7, 16)
    assert "ancien CPC 1423" in result.explanation[-1]


@pytest.mark.parametrize(
    ("ordonnance", "service", "enforceable"),
    [
        # 2026 regime: 01/10/2026 + 2 months = Tuesday 01/12/2026 → enforceable 02/12 (1422)
        (date(2026, 9, 15), date(2026, 10, 1), date(2026, 12, 2)),
        # 2022 regime: 14/06/2025 + 1 month = 14/07 (holiday) → 15/07 → enforceable 16/07
        (date(2025, 5, 10), date(2025, 6, 14), date(2025, 7, 16)),
    ],
)
def test_service_not_to_the_person_fixes_no_opposition_deadline(ordonnance, service, enforceable):
    # CPC 1416 al. 2: no deadline can be fixed; 1422: enforcement still suspended a month only
    result = schedule(ordonnance, service, to_person=False)
    assert (result.opposition_deadline, result.enforceable_from) == (None, enforceable)
    text = " ".join(result.explanation)
    assert "aucun délai d'opposition ne peut être fixé" in text
    assert "premier acte signifié à personne" in text
    assert "rendre indisponibles" in text
    assert "opposition jusqu'au" not in text


def test_late_service_leaves_the_ordonnance_void():
    result = schedule(date(2026, 9, 15), date(2026, 12, 16))
    assert (result.opposition_deadline, result.enforceable_from) == (None, None)
    assert "non avenue (CPC 1411)" in result.explanation[-1]


def test_service_before_the_ordonnance_is_refused():
    with pytest.raises(ValueError):
        schedule(date(2026, 9, 15), date(2026, 9, 14))


def test_service_on_the_day_642_extends_the_period_to_is_in_time():
    # Ordonnance 11/01/2026: 6 months end Saturday 11/07/2026, extended (CPC 642) to Monday
    # 13/07/2026. Served that Monday to the person: in time (CPC 1411). The target shown stays
    # the 11th (LAW.md §8 tool rule); opposition until Thursday 13/08/2026, enforceable 14/08.
    result = schedule(date(2026, 1, 11), date(2026, 7, 13))
    assert result.service_deadline == date(2026, 7, 11)
    assert (result.opposition_deadline, result.enforceable_from) == (
        date(2026, 8, 13),
        date(2026, 8, 14),
    )
    text = " ".join(result.explanation)
    assert "non avenue (CPC 1411) ;" not in text
    assert "délai prorogé au lundi 13/07/2026 (CPC 642)" in text


def test_service_the_day_after_the_642_extended_day_leaves_the_ordonnance_void():
    # Same ordonnance served Tuesday 14/07/2026: the extended period ended on Monday 13/07
    result = schedule(date(2026, 1, 11), date(2026, 7, 14))
    assert (result.opposition_deadline, result.enforceable_from) == (None, None)
    assert "après le 13/07/2026" in result.explanation[-1]
    assert "non avenue (CPC 1411)" in result.explanation[-1]


@pytest.mark.parametrize(
    ("ordonnance", "service", "enforceable", "majoration"),
    [
        # served 15/01/2026 + 1 month = Sunday 15/02 → Monday 16/02 (CPC 642); enforceable
        # 17/02/2026 (1422); enforceable for 2 months on 17/04/2026 (CMF L313-3)
        (date(2026, 1, 10), date(2026, 1, 15), date(2026, 2, 17), date(2026, 4, 17)),
        # 2026 regime: enforceable 02/12/2026 → + 5 points from 02/02/2027
        (date(2026, 9, 15), date(2026, 10, 1), date(2026, 12, 2), date(2027, 2, 2)),
    ],
)
def test_legal_rate_increase_is_shown_two_months_after_enforceability(
    ordonnance, service, enforceable, majoration
):
    # LAW.md §2.3: + 5 points once enforceable for 2 months (CMF L313-3), display only
    result = schedule(ordonnance, service)
    assert (result.enforceable_from, result.majoration_from) == (enforceable, majoration)
    assert (
        f"taux de l'intérêt légal est majoré de cinq points à compter du "
        f"{majoration:%d/%m/%Y}" in result.explanation[-1]
    )
    assert "(CMF L313-3)" in result.explanation[-1]


def test_no_legal_rate_increase_without_a_service_in_time():
    assert schedule(date(2026, 1, 10)).majoration_from is None
    assert schedule(date(2026, 1, 10), date(2026, 7, 14)).majoration_from is None


@pytest.mark.parametrize(
    ("ordonnances", "requetes", "brought"),
    [
        # requête 20/02/2026, ordonnance 10/03/2026, served 01/06/2026: the requête's day
        ([date(2026, 3, 10)], [date(2026, 2, 20)], date(2026, 2, 20)),
        # no requête recorded: the ordonnance's day; neither: the service's
        ([date(2026, 3, 10)], [], date(2026, 3, 10)),
        ([], [], date(2026, 6, 1)),
        # a second round: the requête of 2025 belongs to the first ordonnance, not this one
        ([date(2025, 4, 1), date(2026, 3, 10)], [date(2025, 3, 1)], date(2026, 3, 10)),
        # an ordonnance later than the service is not the one served
        ([date(2026, 3, 10), date(2026, 7, 1)], [date(2026, 2, 20)], date(2026, 2, 20)),
    ],
)
def test_a_service_brings_the_claim_of_its_requete(ordonnances, requetes, brought):
    assert claim_brought_on(date(2026, 6, 1), ordonnances, requetes) == brought


@pytest.mark.parametrize(
    ("issued", "delivered", "covered"),
    [
        (date(2026, 2, 20), None, True),
        (date(2026, 2, 21), None, False),
        (date(2026, 2, 1), date(2026, 2, 20), True),
        # issued before the requête for goods delivered after it: not yet in the claim
        (date(2026, 2, 1), date(2026, 3, 15), False),
    ],
)
def test_an_ordonnance_covers_only_invoices_born_by_its_requete(issued, delivered, covered):
    # C. civ. 2241: the interruption acts for the claim brought (requête of 20/02/2026)
    assert covers(issued=issued, delivered=delivered, brought=date(2026, 2, 20)) is covered
