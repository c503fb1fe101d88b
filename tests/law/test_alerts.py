"""Dated, ranked alerts of a debtor's file (prescription, MED, injonction, collective, plan)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.law.alerts import AlertFacts, Instalment, debtor_alerts
from app.law.calendar import holiday_calendar
from app.law.prescription import prescription

FRANCE = holiday_calendar(None, range(2025, 2029))
AS_OF = date(2026, 11, 22)


def only(facts, as_of=AS_OF):
    [alert] = debtor_alerts(facts, as_of=as_of)
    return alert


def prescribed_in(days):
    # consumer, 2 years: a start date whose deadline is AS_OF + days
    deadline = AS_OF + timedelta(days=days)
    start = deadline.replace(year=deadline.year - 2)
    return prescription(debtor_kind="consumer", start=start, as_of=AS_OF)


@pytest.mark.parametrize(
    ("days", "severity"),
    [
        (200, "info"),
        (181, "info"),
        (180, "warning"),
        (91, "warning"),
        (90, "urgent"),
        (30, "urgent"),
        (0, "urgent"),
        (-1, "expired"),
    ],
)
def test_prescription_alerts_at_180_90_and_30_days_and_once_prescribed(days, severity):
    alert = only(AlertFacts(prescription=prescribed_in(days)))
    assert (alert.key, alert.days_left, alert.severity) == ("prescription", days, severity)
    assert alert.article == "C. conso. L218-2"
    if severity != "expired":
        assert "une relance ou une mise en demeure, non" in alert.action


@pytest.mark.parametrize(
    ("sent", "received", "as_of", "deadline", "severity", "estimated"),
    [
        # no AR yet: 02/11/2026 + 3 days of post = 05/11, + 8 days = Friday 13/11 (estimate)
        (date(2026, 11, 2), None, date(2026, 11, 5), date(2026, 11, 13), "info", True),
        # 31/10 + 3 = 03/11, + 8 = Wednesday 11/11 (Armistice) → Thursday 12/11 (CPC 642)
        (date(2026, 10, 31), None, date(2026, 11, 11), date(2026, 11, 12), "info", True),
        # AR signed 04/11: + 8 days = Thursday 12/11; expired on the 13th
        (date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 13), date(2026, 11, 12), "warning",
         False),
    ],
)
def test_mise_en_demeure_deadline_runs_from_receipt_or_is_an_estimate(
    sent, received, as_of, deadline, severity, estimated
):
    facts = AlertFacts(mise_en_demeure_sent=sent, mise_en_demeure_received=received,
                       holidays=FRANCE)
    alert = only(facts, as_of)
    assert (alert.key, alert.date, alert.severity) == ("mise_en_demeure", deadline, severity)
    assert ("(estimation)" in alert.title) is estimated


@pytest.mark.parametrize(
    ("as_of", "severity"),
    [
        (date(2026, 9, 20), "info"),  # 86 days before 15/12/2026
        (date(2026, 10, 20), "warning"),  # 56 days
        (date(2026, 11, 22), "urgent"),  # 23 days
        (date(2026, 12, 16), "expired"),
    ],
)
def test_unserved_ordonnance_alerts_on_its_service_deadline(as_of, severity):
    alert = only(AlertFacts(ordonnance_date=date(2026, 9, 15), holidays=FRANCE), as_of)
    assert (alert.key, alert.date, alert.severity) == (
        "injonction_service",
        date(2026, 12, 15),
        severity,
    )
    assert alert.article == "CPC 1411"


def test_served_ordonnance_shows_the_opposition_period_then_enforceability():
    facts = AlertFacts(
        ordonnance_date=date(2026, 9, 15), service_date=date(2026, 10, 1), holidays=FRANCE
    )
    waiting = only(facts, date(2026, 10, 20))
    assert (waiting.key, waiting.date, waiting.severity) == (
        "injonction_opposition",
        date(2026, 11, 2),
        "info",
    )
    assert "02/12/2026" in waiting.consequence
    ready = only(facts, date(2026, 12, 2))
    assert (ready.key, ready.date) == ("injonction_execution", date(2026, 12, 2))


def test_opposition_filed_is_urgent():
    facts = AlertFacts(
        ordonnance_date=date(2026, 9, 15),
        service_date=date(2026, 10, 1),
        opposition_filed=True,
        holidays=FRANCE,
    )
    alert = only(facts, date(2026, 10, 20))
    assert (alert.severity, alert.article) == ("urgent", "CPC 1417, 1418")


def test_pre_2022_ordonnance_warns_about_the_formule_executoire():
    facts = AlertFacts(
        ordonnance_date=date(2021, 5, 10),
        service_date=date(2021, 6, 14),
        holidays=holiday_calendar(None, [2021]),
    )
    keys = {a.key: a for a in debtor_alerts(facts, as_of=date(2021, 8, 1))}
    assert keys["injonction_formule"].date == date(2021, 8, 15)
    assert keys["injonction_formule"].severity == "urgent"  # 14 days left


@pytest.mark.parametrize(
    ("outside", "as_of", "deadline", "severity"),
    [
        (False, date(2026, 10, 10), date(2026, 12, 1), "urgent"),  # BODACC 01/10 + 2 months
        (True, date(2026, 10, 10), date(2027, 2, 1), "urgent"),  # + 2: creditor in Nouméa
        (False, date(2026, 11, 20), date(2026, 12, 1), "urgent"),
        (False, date(2026, 12, 2), date(2026, 12, 1), "expired"),
    ],
)
def test_claim_declaration_deadline_runs_from_the_bodacc_publication(
    outside, as_of, deadline, severity
):
    facts = AlertFacts(
        bodacc_published=date(2026, 10, 1),
        creditor_territory="988" if outside else "metropole",
        mise_en_demeure_sent=date(2026, 9, 1),
        holidays=FRANCE,
    )
    alert = only(facts, as_of)  # no mise en demeure alert in collective proceedings
    assert (alert.key, alert.date, alert.severity) == ("declaration_creance", deadline, severity)


def test_declared_claim_needs_no_alert():
    facts = AlertFacts(bodacc_published=date(2026, 10, 1), claim_declared=True)
    assert debtor_alerts(facts, as_of=AS_OF) == ()


def test_opening_without_bodacc_date_gives_an_urgent_estimate():
    alert = only(AlertFacts(collective_opened=date(2026, 10, 5)))
    assert (alert.date, alert.severity) == (date(2026, 12, 5), "urgent")
    assert "estimation" in alert.title


def test_payment_plan_flags_missed_instalments_and_the_next_one():
    plan = tuple(
        Instalment(date(2026, month, 15), Decimal("300"), paid=month == 9)
        for month in (9, 10, 11, 12)
    )
    alerts = debtor_alerts(AlertFacts(instalments=plan), as_of=AS_OF)
    assert [(a.key, a.date, a.severity) for a in alerts] == [
        ("echeance_impayee", date(2026, 10, 15), "warning"),
        ("echeance_impayee", date(2026, 11, 15), "warning"),
        ("echeance_a_venir", date(2026, 12, 15), "info"),
    ]
    assert "300,00 €" in alerts[0].title


def test_alerts_are_sorted_most_urgent_first():
    facts = AlertFacts(
        prescription=prescribed_in(-5),
        ordonnance_date=date(2026, 9, 15),
        instalments=(Instalment(date(2026, 12, 1), Decimal("100")),),
        holidays=FRANCE,
    )
    assert [a.severity for a in debtor_alerts(facts, as_of=AS_OF)] == ["expired", "urgent", "info"]


def test_a_debtor_in_liquidation_is_told_to_declare_never_to_serve_or_pay():
    # Seen: an alert said serving an injonction would interrupt prescription for a debtor in
    # liquidation. 5 years from 20/01/2022 = 20/01/2027: 59 days after 22/11/2026.
    near = prescription(debtor_kind="professional", start=date(2022, 1, 20), as_of=AS_OF)
    facts = AlertFacts(
        prescription=near,
        collective_opened=date(2026, 10, 5),
        bodacc_published=date(2026, 10, 15),
        mise_en_demeure_sent=date(2026, 9, 1),
        ordonnance_date=date(2026, 9, 20),
        instalments=(Instalment(date(2026, 11, 1), Decimal("300")),),
        holidays=FRANCE,
    )
    alerts = debtor_alerts(facts, as_of=AS_OF)
    assert [a.key for a in alerts] == ["declaration_creance", "prescription"]  # both urgent
    text = " ".join(f"{a.title} {a.consequence} {a.action}" for a in alerts).lower()
    for never in ("injonction", "ordonnance", "mise en demeure", "signification", "paiement",
                  "payer", "relance"):
        assert never not in text, never
    assert "L622-25-1" in alerts[1].action and "déclarer la créance" in alerts[1].action.lower()


def test_the_declaration_deadline_is_always_urgent_until_it_passes():
    facts = AlertFacts(bodacc_published=date(2026, 11, 20), holidays=FRANCE)
    alert = only(facts)  # 20/01/2027, 59 days ahead
    assert (alert.date, alert.severity) == (date(2027, 1, 20), "urgent")


@pytest.mark.parametrize(
    ("as_of", "deadline", "severity"),
    [
        # Ordonnance 11/01/2026: 6 months end Saturday 11/07/2026 (the target shown), extended
        # to Monday 13/07/2026 (CPC 642): still in time on the weekend and on the Monday.
        (date(2026, 7, 10), date(2026, 7, 11), "urgent"),
        (date(2026, 7, 11), date(2026, 7, 11), "urgent"),
        (date(2026, 7, 12), date(2026, 7, 13), "urgent"),
        (date(2026, 7, 13), date(2026, 7, 13), "urgent"),
        (date(2026, 7, 14), date(2026, 7, 13), "expired"),
    ],
)
def test_unserved_ordonnance_is_void_only_after_the_642_extended_day(as_of, deadline, severity):
    alert = only(AlertFacts(ordonnance_date=date(2026, 1, 11), holidays=FRANCE), as_of)
    assert (alert.key, alert.date, alert.severity) == ("injonction_service", deadline, severity)
    assert ("non avenue" in alert.title) is (severity == "expired")
    if as_of == date(2026, 7, 12):
        assert "13/07/2026" in alert.title and "CPC 642" in alert.title


def test_ordonnance_served_on_the_642_extended_day_is_not_void():
    # Served Monday 13/07/2026 (6 months ended Saturday 11/07): opposition until 13/08/2026
    facts = AlertFacts(
        ordonnance_date=date(2026, 1, 11), service_date=date(2026, 7, 13), holidays=FRANCE
    )
    alert = only(facts, date(2026, 7, 20))
    assert (alert.key, alert.date, alert.severity) == (
        "injonction_opposition",
        date(2026, 8, 13),
        "info",
    )


@pytest.mark.parametrize(
    ("as_of", "deadline", "severity"),
    [
        # formule by Sunday 15/08/2021 (also a holiday), extended to Monday 16/08 (CPC 642)
        (date(2021, 8, 16), date(2021, 8, 16), "urgent"),
        (date(2021, 8, 17), date(2021, 8, 16), "expired"),
    ],
)
def test_formule_executoire_request_lapses_only_after_the_642_extended_day(
    as_of, deadline, severity
):
    facts = AlertFacts(
        ordonnance_date=date(2021, 5, 10),
        service_date=date(2021, 6, 14),
        holidays=holiday_calendar(None, [2021]),
    )
    keys = {a.key: a for a in debtor_alerts(facts, as_of=as_of)}
    assert (keys["injonction_formule"].date, keys["injonction_formule"].severity) == (
        deadline,
        severity,
    )


@pytest.mark.parametrize(
    ("as_of", "deadline", "severity"),
    [
        # BODACC 14/09/2026 + 2 months = Saturday 14/11/2026 (the target shown), extended to
        # Monday 16/11/2026 (CPC 642): a déclaration sent that Monday is in time.
        (date(2026, 11, 14), date(2026, 11, 14), "urgent"),
        (date(2026, 11, 15), date(2026, 11, 16), "urgent"),
        (date(2026, 11, 16), date(2026, 11, 16), "urgent"),
        (date(2026, 11, 17), date(2026, 11, 16), "expired"),
    ],
)
def test_claim_declaration_lapses_only_after_the_642_extended_day(as_of, deadline, severity):
    alert = only(AlertFacts(bodacc_published=date(2026, 9, 14), holidays=FRANCE), as_of)
    assert (alert.key, alert.date, alert.severity) == ("declaration_creance", deadline, severity)


@pytest.mark.parametrize("to_person", [True, False])
def test_enforceable_ordonnance_tells_the_legal_rate_increase(to_person):
    # Ordonnance 10/01/2026 served 15/01/2026, no opposition: enforceable from 17/02/2026,
    # legal rate + 5 points from 17/04/2026 (CMF L313-3, LAW.md §2.3: display only)
    facts = AlertFacts(
        ordonnance_date=date(2026, 1, 10),
        service_date=date(2026, 1, 15),
        service_to_person=to_person,
        holidays=FRANCE,
    )
    alert = only(facts, date(2026, 5, 1))
    assert (alert.key, alert.date) == ("injonction_execution", date(2026, 2, 17))
    assert "majoré de cinq points à compter du 17/04/2026 (CMF L313-3)" in alert.consequence
