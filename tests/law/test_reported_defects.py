"""The three results of issue 13 that the law contradicted, each computed by hand.

Written before the fix and seen failing on the old code.
"""

from datetime import date
from decimal import Decimal as D

from app.law.calendar import holiday_calendar
from app.law.injonction import injonction_schedule
from app.law.interest import InvoiceInput, PaymentInput, compute_decompte
from app.law.prescription import PrescriptionEvent, prescription
from app.law.rates import load_default_rates

RATES = load_default_rates()


def test_unassigned_payment_goes_to_the_debt_with_the_higher_rate_not_the_oldest():
    # C. civ. 1342-10 al. 2: both due on 01/04/2025; B bears 20 % (contractual, above the
    # 3 × 3.71 = 11.13 % floor), A the default 13.15 %: B is paid first although A is older.
    # B's interest 02/03–01/04 = 31 days: 500 × 31 × 20 / 36500 = 8.4931 → 8.49
    # then 300 − 8.49 = 291.51 of principal → B's principal 208.49; A untouched.
    a = InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1))
    b = InvoiceInput("B", D("500"), date(2025, 1, 30), date(2025, 3, 1), D("20"))
    result = compute_decompte(
        as_of=date(2025, 4, 1),
        debtor_kind="professional",
        invoices=[a, b],
        payments=[PaymentInput(date(2025, 4, 1), D("300"))],
        rates=RATES,
    )
    by_number = {inv.number: inv for inv in result.invoices}
    assert by_number["A"].payments == ()
    [applied] = by_number["B"].payments
    assert (applied.to_interest, applied.to_principal) == (D("8.49"), D("291.51"))
    assert by_number["B"].principal == D("208.49")


def test_service_of_the_ordonnance_is_not_capped_by_the_twenty_year_long_stop():
    # Start 01/03/2010: long-stop 01/03/2030 (C. civ. 2232 al. 1). Acknowledgments every four
    # years keep the claim alive; the ordonnance served on 01/06/2026 opens 5 years
    # → 01/06/2031, beyond the long-stop, which does not apply to 2241 al. 1 (2232 al. 2).
    events = [
        PrescriptionEvent("acknowledgment", date(2014, 3, 1)),
        PrescriptionEvent("acknowledgment", date(2018, 3, 1)),
        PrescriptionEvent("acknowledgment", date(2022, 3, 1)),
        PrescriptionEvent("ip_service", date(2026, 6, 1)),
    ]
    result = prescription(
        debtor_kind="professional", start=date(2010, 3, 1), as_of=date(2026, 11, 30), events=events
    )
    assert result.deadline == date(2031, 6, 1)


def test_no_opposition_deadline_when_the_ordonnance_was_not_served_to_the_person():
    # CPC 1416 al. 2: the month runs only from the first act served to the person or the first
    # measure making assets unavailable, so no date can be given. Enforcement is suspended
    # only during the month after service (1422): served 01/10/2026 (2026 regime),
    # 2 months → 01/12/2026 (Tuesday) → enforceable 02/12/2026.
    result = injonction_schedule(
        ordonnance_date=date(2026, 9, 15),
        service_date=date(2026, 10, 1),
        service_to_person=False,
        debtor_location="metropole",
        holidays=holiday_calendar(None, range(2026, 2028)),
    )
    assert result.opposition_deadline is None
    assert result.enforceable_from == date(2026, 12, 2)
