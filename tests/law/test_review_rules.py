"""Décompte, injonction and déclaration rules of the 30 November 2026 review (LAW.md §2.3, §5,
§7), each case computed by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from app.law.alerts import AlertFacts, debtor_alerts, declaration_months
from app.law.calendar import holiday_calendar
from app.law.injonction import distance_extension, injonction_schedule
from app.law.interest import InvoiceInput, compute_decompte
from app.law.rates import load_default_rates
from app.law.territory import territory

RATES = load_default_rates()
FRANCE = holiday_calendar(None, range(2025, 2029))
INVOICE = InvoiceInput("F1", D("1000"), date(2025, 1, 2), date(2025, 2, 1))


@pytest.mark.parametrize(
    ("kind", "clause", "notice", "interest"),
    [
        # consumer, no clause, no mise en demeure: no legal interest (1231-6, 1344-1)
        ("consumer", False, None, D("0")),
        # consumer, clause on (1344): from 02/02 to 01/04/2025 = 59 days at 3.71 %:
        # 1000 × 59 × 3.71 / 36500 = 5.9970 → 6.00
        ("consumer", True, None, D("6.00")),
        # consumer, no clause, MED 01/03/2025: 02/03–01/04 = 31 days: 1000 × 31 × 3.71 / 36500
        # = 3.1510 → 3.15
        ("consumer", False, date(2025, 3, 1), D("3.15")),
        # the clause runs from the due date even with a later letter: 6.00
        ("consumer", True, date(2025, 3, 1), D("6.00")),
        # professional: penalties run anyway: 59 days × 13.15 %: 1000 × 59 × 13.15 / 36500
        # = 21.2561 → 21.26, clause or not
        ("professional", False, None, D("21.26")),
        ("professional", True, None, D("21.26")),
    ],
)
def test_article_1344_clause_on_and_off(kind, clause, notice, interest):
    result = compute_decompte(
        as_of=date(2025, 4, 1),
        debtor_kind=kind,
        invoices=[INVOICE],
        rates=RATES,
        formal_notice_date=notice,
        notice_by_due_date=clause,
    )
    assert result.interest == interest
    shown = any("seule échéance" in w for w in result.warnings)
    assert shown is (clause and kind == "consumer")
    if clause and kind == "consumer":
        assert "qui vaut mise en demeure selon les conditions générales (C. civ. 1344" in (
            result.invoices[0].periods[0].rule
        )


@pytest.mark.parametrize(
    ("court", "debtor", "same", "months", "article", "opposition"),
    [
        # served 01/10/2026 (2026 regime); + 1 month = Sunday 01/11 (All Saints) → 02/11
        ("metropole", "metropole", True, 0, "", date(2026, 11, 2)),
        # + 2 months = Tuesday 01/12/2026
        ("metropole", "overseas", True, 1, "CPC 643", date(2026, 12, 1)),
        # + 3 months = Friday 01/01/2027 (holiday) → Monday 04/01/2027
        ("metropole", "abroad", True, 2, "CPC 643", date(2027, 1, 4)),
        # overseas court, debtor living there: no extension (644) → 02/11
        ("overseas", "overseas", True, 0, "CPC 644", date(2026, 11, 2)),
        # overseas court, debtor in another collectivity or in metropolitan France: + 1 month
        ("overseas", "overseas", False, 1, "CPC 644", date(2026, 12, 1)),
        ("overseas", "metropole", True, 1, "CPC 644", date(2026, 12, 1)),
        ("overseas", "abroad", True, 2, "CPC 644", date(2027, 1, 4)),
    ],
)
def test_distance_extensions_depend_on_where_the_court_sits(
    court, debtor, same, months, article, opposition
):
    extra, why = distance_extension(court, debtor, same)
    assert extra == months
    assert (article in why) if article else why == ""
    result = injonction_schedule(
        ordonnance_date=date(2026, 9, 15),
        service_date=date(2026, 10, 1),
        service_to_person=True,
        debtor_location=debtor,
        holidays=FRANCE,
        court_location=court,
        same_territory=same,
    )
    assert result.opposition_deadline == opposition


@pytest.mark.parametrize(
    ("creditor", "court", "months"),
    [
        (("FR", "75008"), ("FR", "69001"), 2),  # Paris creditor, Lyon court
        (("FR", "98800"), ("FR", "69001"), 4),  # Nouméa creditor (988), metropolitan court
        (("NC", "98800"), ("FR", "69001"), 4),  # same, recorded with its ISO code
        (("FR", "97110"), ("FR", "69001"), 4),  # Guadeloupe creditor
        (("BE", "1000"), ("FR", "69001"), 4),  # abroad
        (("FR", "75008"), ("FR", "97400"), 4),  # metropolitan creditor, court in La Réunion
        (("FR", "97410"), ("FR", "97400"), 2),  # both in La Réunion
        (("FR", "98800"), ("FR", "97400"), 4),  # Nouméa creditor, court in La Réunion
    ],
)
def test_r622_24_extra_months_follow_the_creditor_s_residence(creditor, court, months):
    assert declaration_months(territory(*creditor), territory(*court))[0] == months


def test_declaration_alert_for_a_creditor_in_noumea():
    # BODACC 01/10/2026 + 2 + 2 months = 01/02/2027 (creditor's own deadline, not extended)
    facts = AlertFacts(
        bodacc_published=date(2026, 10, 1),
        creditor_territory=territory("FR", "98800"),
        court_territory=territory("FR", "69001"),
        holidays=FRANCE,
    )
    [alert] = debtor_alerts(facts, as_of=date(2026, 10, 10))
    assert alert.date == date(2027, 2, 1)
    assert "Nouvelle-Calédonie" in alert.consequence
    assert "R622-24 al. 3" in alert.consequence


@pytest.mark.parametrize(
    ("issued", "due", "indemnity"),
    [
        # born before the opening (01/03/2025), due after it: payment forbidden, no 40 €
        (date(2025, 2, 1), date(2025, 3, 3), D("0")),
        # born and due before the opening: 40 €
        (date(2025, 1, 2), date(2025, 2, 1), D("40.00")),
        # born after the opening (L622-17): keeps its 40 €
        (date(2025, 3, 10), date(2025, 4, 9), D("40.00")),
    ],
)
def test_a_claim_born_after_the_opening_keeps_its_40_euros(issued, due, indemnity):
    result = compute_decompte(
        as_of=date(2025, 6, 30),
        debtor_kind="professional",
        invoices=[InvoiceInput("F1", D("1000"), issued, due)],
        rates=RATES,
        collective_proceedings_opened=date(2025, 3, 1),
    )
    assert result.indemnities == indemnity
