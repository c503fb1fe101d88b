"""The décompte (LAW.md §2, tool rules 1-9): each expected figure is computed by hand.

Formula (rule 1): base × days × rate / 36 500, each period rounded half-up to the cent.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.law.interest import InvoiceInput, PaymentInput, compute_decompte
from app.law.rates import load_default_rates

RATES = load_default_rates()
WORKED = InvoiceInput("F-2025-001", D("1200.00"), date(2025, 1, 10), date(2025, 2, 9))


def decompte(*invoices, as_of, kind="professional", payments=(), **options):
    return compute_decompte(
        as_of=as_of, debtor_kind=kind, invoices=invoices, payments=payments, rates=RATES, **options
    )


def periods(result, index=0):
    return [
        (p.start, p.end, p.days, p.rate, p.base, p.amount) for p in result.invoices[index].periods
    ]


def test_law_md_worked_example():
    # 10/02–30/06/2025: 1200 × 141 × 13.15 / 36500 = 60.958 → 60.96
    # 01/07–30/09/2025: 1200 × 92 × 12.15 / 36500 = 36.750 → 36.75
    result = decompte(WORKED, as_of=date(2025, 9, 30))
    assert periods(result) == [
        (date(2025, 2, 10), date(2025, 6, 30), 141, D("13.15"), D("1200.00"), D("60.96")),
        (date(2025, 7, 1), date(2025, 9, 30), 92, D("12.15"), D("1200.00"), D("36.75")),
    ]
    assert (result.principal, result.interest, result.indemnities, result.total) == (
        D("1200.00"),
        D("97.71"),
        D("40.00"),
        D("1337.71"),
    )
    assert result.invoices[0].periods[0].rule == (
        "Pénalités de retard au taux BCE + 10 points (C. com. L441-10 II), "
        "taux de 13,15 % du 1er semestre 2025"
    )
    assert result.warnings == ()


def test_period_is_split_at_1_january():
    # 16/12–31/12/2024: 1000 × 16 × 14.25 / 36500 = 6.2466 → 6.25
    # 01/01–31/01/2025: 1000 × 31 × 13.15 / 36500 = 11.1685 → 11.17
    invoice = InvoiceInput("F1", D("1000.00"), date(2024, 11, 15), date(2024, 12, 15))
    result = decompte(invoice, as_of=date(2025, 1, 31))
    assert [(p.start, p.end, p.amount) for p in result.invoices[0].periods] == [
        (date(2024, 12, 16), date(2024, 12, 31), D("6.25")),
        (date(2025, 1, 1), date(2025, 1, 31), D("11.17")),
    ]
    assert result.interest == D("17.42")


def test_interest_runs_from_the_day_after_the_due_date_without_reminder():
    # due on as_of: not late yet; due the day before: 1 day of penalties
    # 1000 × 1 × 13.15 / 36500 = 0.3603 → 0.36
    on_time = decompte(
        InvoiceInput("F1", D("1000"), date(2025, 2, 1), date(2025, 3, 3)), as_of=date(2025, 3, 3)
    )
    one_day = decompte(
        InvoiceInput("F1", D("1000"), date(2025, 2, 1), date(2025, 3, 2)), as_of=date(2025, 3, 3)
    )
    assert (on_time.interest, on_time.indemnities) == (D("0"), D("0"))
    assert any("pas encore en retard" in w for w in on_time.warnings)
    assert (one_day.interest, one_day.indemnities) == (D("0.36"), D("40.00"))


# 2024 oddity (LAW.md §3): 3 × taux légal = 15.21 % > default 14.50 %. Feb 2024 has 29 days:
# 01/02–01/03/2024 = 30 days.
@pytest.mark.parametrize(
    ("contractual", "rate", "amount", "floored"),
    [
        (None, "14.50", "11.92", False),  # 1000 × 30 × 14.50 / 36500 = 11.918; never floored
        (D("10"), "15.21", "12.50", True),  # floored: 1000 × 30 × 15.21 / 36500 = 12.5014
        (D("16"), "16", "13.15", False),  # above the floor: 1000 × 30 × 16 / 36500 = 13.1507
    ],
)
def test_2024_floor_binds_a_contractual_rate_only(contractual, rate, amount, floored):
    invoice = InvoiceInput("F1", D("1000"), date(2024, 1, 1), date(2024, 1, 31), contractual)
    result = decompte(invoice, as_of=date(2024, 3, 1))
    [period] = result.invoices[0].periods
    assert (period.days, period.rate, period.amount) == (30, D(rate), D(amount))
    floor_warnings = [w for w in result.warnings if "plancher" in w]
    assert bool(floor_warnings) == floored
    if floored:
        assert floor_warnings == [
            "Facture F1 : le taux contractuel de 10,00 % est inférieur au plancher de 3 fois le "
            "taux d'intérêt légal (15,21 % au 1er semestre 2024) ; le plancher est appliqué "
            "(C. com. L441-10 II)."
        ]
        assert period.rule.startswith("Pénalités de retard au plancher de 3 fois le taux")


def test_contractual_rate_is_fixed_and_floored_semester_by_semester():
    # 13 % agreed. 2023-S2 floor 3 × 4.22 = 12.66 → 13 % applies;
    # 2024-S1 floor 3 × 5.07 = 15.21 → floored.
    # 22/12–31/12/2023: 1000 × 10 × 13 / 36500 = 3.5616 → 3.56
    # 01/01–10/01/2024: 1000 × 10 × 15.21 / 36500 = 4.1671 → 4.17
    invoice = InvoiceInput("F1", D("1000"), date(2023, 12, 1), date(2023, 12, 21), D("13"))
    result = decompte(invoice, as_of=date(2024, 1, 10))
    assert [(p.rate, p.amount) for p in result.invoices[0].periods] == [
        (D("13"), D("3.56")),
        (D("15.21"), D("4.17")),
    ]
    assert result.invoices[0].periods[0].rule == (
        "Pénalités de retard au taux contractuel (C. com. L441-10 II), taux de 13,00 %"
    )
    assert result.interest == D("7.73")


def test_partial_payment_goes_first_to_interest():
    # C. civ. 1343-1. 500 € paid on 11/03/2025.
    # 10/02–11/03: 30 days: 1200 × 30 × 13.15 / 36500 = 12.9699 → 12.97 (paid first)
    # principal paid 500 − 12.97 = 487.03 → base 712.97 from 12/03
    # 12/03–30/06: 111 days: 712.97 × 111 × 13.15 / 36500 = 28.5119 → 28.51
    # 01/07–30/09: 92 days: 712.97 × 92 × 12.15 / 36500 = 21.8344 → 21.83
    # interest still due 28.51 + 21.83 = 50.34; total 712.97 + 50.34 + 40 = 803.31
    result = decompte(
        WORKED, as_of=date(2025, 9, 30), payments=[PaymentInput(date(2025, 3, 11), D("500.00"))]
    )
    invoice = result.invoices[0]
    assert [(p.days, p.base, p.amount) for p in invoice.periods] == [
        (30, D("1200.00"), D("12.97")),
        (111, D("712.97"), D("28.51")),
        (92, D("712.97"), D("21.83")),
    ]
    [applied] = invoice.payments
    assert (applied.to_interest, applied.to_principal) == (D("12.97"), D("487.03"))
    assert (invoice.paid, invoice.principal, invoice.interest) == (
        D("500.00"),
        D("712.97"),
        D("50.34"),
    )
    assert result.total == D("803.31")


def test_payment_naming_no_invoice_goes_to_the_oldest_due_invoice():
    # B (due 01/02) is older than A (due 01/03). 300 € on 01/04/2025:
    # B's interest 02/02–01/04 = 59 days: 500 × 59 × 13.15 / 36500 = 10.6281 → 10.63
    # then 289.37 of principal → B's principal 210.63; A untouched
    a = InvoiceInput("A", D("1000"), date(2025, 1, 30), date(2025, 3, 1))
    b = InvoiceInput("B", D("500"), date(2025, 1, 2), date(2025, 2, 1))
    result = decompte(
        a, b, as_of=date(2025, 4, 1), payments=[PaymentInput(date(2025, 4, 1), D("300"))]
    )
    by_number = {inv.number: inv for inv in result.invoices}
    assert by_number["A"].payments == ()
    [applied] = by_number["B"].payments
    assert (applied.to_interest, applied.to_principal) == (D("10.63"), D("289.37"))
    assert by_number["B"].principal == D("210.63")


def test_payment_larger_than_the_oldest_invoice_flows_to_the_next_one():
    # B owes 500 + 10.63 on 01/04/2025; A's interest 02/03–01/04 = 31 days:
    # 1000 × 31 × 13.15 / 36500 = 11.1685 → 11.17. 600 € = B 510.63, then A 11.17 + 78.20.
    a = InvoiceInput("A", D("1000"), date(2025, 1, 30), date(2025, 3, 1))
    b = InvoiceInput("B", D("500"), date(2025, 1, 2), date(2025, 2, 1))
    result = decompte(
        a, b, as_of=date(2025, 4, 1), payments=[PaymentInput(date(2025, 4, 1), D("600"))]
    )
    by_number = {inv.number: inv for inv in result.invoices}
    assert (by_number["B"].principal, by_number["B"].interest) == (D("0"), D("0"))
    [applied] = by_number["A"].payments
    assert (applied.to_interest, applied.to_principal) == (D("11.17"), D("78.20"))
    assert result.principal == D("921.80")


def test_payment_naming_an_invoice_goes_to_that_invoice():
    a = InvoiceInput("A", D("1000"), date(2025, 1, 30), date(2025, 3, 1))
    b = InvoiceInput("B", D("500"), date(2025, 1, 2), date(2025, 2, 1))
    result = decompte(
        a,
        b,
        as_of=date(2025, 4, 1),
        payments=[PaymentInput(date(2025, 4, 1), D("300"), invoice="A")],
    )
    by_number = {inv.number: inv for inv in result.invoices}
    assert by_number["B"].payments == ()
    assert by_number["A"].payments[0].to_interest == D("11.17")


@pytest.mark.parametrize(("excess", "said"), [("trop_percu", "un trop-perçu à restituer"),
                                              ("avoir", "gardé en avoir pour le débiteur")])
def test_an_excess_the_creditor_kept_aside_is_imputed_on_no_other_debt(excess, said):
    # X (1 200 €, due 01/12/2026) paid 1 500 € on 20/11/2026, in time; Y (1 000 €, due
    # 01/10/2026) unpaid. The creditor chose to refund the 300 € (or to keep them as a credit):
    # Y keeps its 1 000 €, where 1342-10 would have put the 300 € on it (C. civ. 1342-10 al. 1
    # only orders what the debtor did not designate; the excess is no longer a payment of Y).
    x = InvoiceInput("X", D("1200"), date(2026, 11, 1), date(2026, 12, 1))
    y = InvoiceInput("Y", D("1000"), date(2026, 9, 1), date(2026, 10, 1))
    kept = decompte(x, y, as_of=date(2026, 11, 22), payments=[
        PaymentInput(date(2026, 11, 20), D("1500"), invoice="X", excess=excess)])
    by_number = {inv.number: inv for inv in kept.invoices}
    assert (by_number["X"].principal, by_number["Y"].principal) == (D("0"), D("1000"))
    assert by_number["Y"].payments == ()
    assert any(said in warning and "300,00" in warning for warning in kept.warnings)
    # Not kept aside: the 300 € pay Y's penalties accrued over 02/10–20/11 (50 days:
    # 1 000 × 50 × 12,15 / 36 500 = 16,64 €) first, then 283,36 € of its price (1343-1)
    spilled = decompte(x, y, as_of=date(2026, 11, 22), payments=[
        PaymentInput(date(2026, 11, 20), D("1500"), invoice="X")])
    assert {inv.number: inv for inv in spilled.invoices}["Y"].principal == D("716.64")


def test_invoice_paid_late_in_full_still_owes_interest_and_the_indemnity():
    # 1000 € paid on 02/03/2025, due 31/01: 30 days: 1000 × 30 × 13.15 / 36500 = 10.81 first;
    # principal left 10.81; 03/03–31/03 = 29 days: 10.81 × 29 × 13.15 / 36500 = 0.1129 → 0.11
    invoice = InvoiceInput("F1", D("1000"), date(2025, 1, 1), date(2025, 1, 31))
    result = decompte(
        invoice, as_of=date(2025, 3, 31), payments=[PaymentInput(date(2025, 3, 2), D("1000"))]
    )
    assert (result.principal, result.interest, result.indemnities) == (
        D("10.81"),
        D("0.11"),
        D("40.00"),
    )


def test_invoice_paid_in_full_by_its_due_date_owes_nothing():
    invoice = InvoiceInput("F1", D("1000"), date(2025, 1, 1), date(2025, 1, 31))
    result = decompte(
        invoice, as_of=date(2025, 3, 31), payments=[PaymentInput(date(2025, 1, 31), D("1000"))]
    )
    assert (result.total, result.invoices[0].periods) == (D("0"), ())


def test_consumer_owes_legal_interest_from_the_day_after_the_mise_en_demeure():
    # C. civ. 1231-6, 1344-1; "autres cas" column (the creditor is a professional).
    # 11/04–30/06/2025: 81 days: 1000 × 81 × 3.71 / 36500 = 8.2332 → 8.23
    # 01/07–31/07/2025: 31 days: 1000 × 31 × 2.76 / 36500 = 2.3441 → 2.34
    invoice = InvoiceInput("F1", D("1000"), date(2025, 2, 1), date(2025, 3, 1))
    result = decompte(
        invoice, kind="consumer", as_of=date(2025, 7, 31), formal_notice_date=date(2025, 4, 10)
    )
    assert [(p.start, p.days, p.rate, p.amount) for p in result.invoices[0].periods] == [
        (date(2025, 4, 11), 81, D("3.71"), D("8.23")),
        (date(2025, 7, 1), 31, D("2.76"), D("2.34")),
    ]
    assert (result.interest, result.indemnities, result.total) == (
        D("10.57"),
        D("0"),
        D("1010.57"),
    )
    assert result.invoices[0].periods[0].rule.startswith("Intérêts au taux légal")


def test_consumer_without_mise_en_demeure_owes_no_interest_and_is_told_to_send_one():
    invoice = InvoiceInput("F1", D("1000"), date(2025, 2, 1), date(2025, 3, 1))
    result = decompte(invoice, kind="consumer", as_of=date(2025, 7, 31))
    assert (result.interest, result.indemnities, result.total) == (D("0"), D("0"), D("1000"))
    assert any("envoyez-en une" in w and "1231-6" in w for w in result.warnings)


def test_consumer_mise_en_demeure_before_the_due_date_does_not_start_interest():
    invoice = InvoiceInput("F1", D("1000"), date(2025, 2, 1), date(2025, 3, 1))
    result = decompte(
        invoice, kind="consumer", as_of=date(2025, 7, 31), formal_notice_date=date(2025, 2, 15)
    )
    assert result.interest == D("0")
    assert any("précède l'échéance" in w for w in result.warnings)


def test_collective_proceedings_stop_interest_and_the_indemnity():
    # Opened 01/05/2025 (L622-28): interest 10/02–30/04 = 80 days:
    # 1200 × 80 × 13.15 / 36500 = 34.586 → 34.59. F2 due 15/05 (after the opening): no
    # interest, no 40 €; F3 due on the opening day: no 40 € either (L441-10 II).
    later = InvoiceInput("F2", D("800"), date(2025, 4, 15), date(2025, 5, 15))
    same_day = InvoiceInput("F3", D("100"), date(2025, 4, 1), date(2025, 5, 1))
    result = decompte(
        WORKED,
        later,
        same_day,
        as_of=date(2025, 9, 30),
        collective_proceedings_opened=date(2025, 5, 1),
    )
    first, second, third = result.invoices
    assert [(p.end, p.days, p.amount) for p in first.periods] == [
        (date(2025, 4, 30), 80, D("34.59"))
    ]
    assert (first.indemnity, second.indemnity, third.indemnity) == (D("40.00"), D("0"), D("0"))
    assert second.periods == () and third.periods == ()
    assert any("la créance doit être déclarée, non poursuivie" in w for w in result.warnings)


def test_2026_s2_rates_are_flagged_to_verify():
    # 16/06–30/06/2026: 15 days: 1000 × 15 × 12.15 / 36500 = 4.9932 → 4.99
    # 01/07–22/11/2026: 145 days: 1000 × 145 × 12.15 / 36500 = 48.2671 → 48.27
    invoice = InvoiceInput("F1", D("1000"), date(2026, 5, 15), date(2026, 6, 15))
    result = decompte(invoice, as_of=date(2026, 11, 22))
    assert [(p.days, p.amount) for p in result.invoices[0].periods] == [
        (15, D("4.99")),
        (145, D("48.27")),
    ]
    assert result.invoices[0].periods[1].rule.endswith("du 2e semestre 2026 (à vérifier)")
    assert ("Taux BCE du 2e semestre 2026 à vérifier : valeur non confirmée (2,15 % retenu, "
            "soit des pénalités au taux de 12,15 %).") in (
        result.warnings
    )
    assert any(
        w.startswith("Taux d'intérêt légal du 2e semestre 2026 à vérifier") for w in result.warnings
    )


def test_even_a_decompte_with_nothing_to_compute_says_today_s_rates_are_to_verify():
    result = decompte(as_of=date(2026, 11, 22))
    assert result.total == D("0") and len(result.warnings) == 2


def test_a_consumer_s_decompte_warns_of_the_legal_rate_only():
    # No L441-10 penalty runs against a consumer (LAW.md §2.3): the ECB rate, and the 12,15 %
    # of penalties it makes, play no part and must not appear on a paper sent to one
    invoice = InvoiceInput("F1", D("1000"), date(2026, 5, 15), date(2026, 6, 15))
    result = decompte(invoice, as_of=date(2026, 11, 22), kind="consumer",
                      formal_notice_date=date(2026, 7, 1))
    assert [w for w in result.warnings if "Taux" in w] == [
        "Taux d'intérêt légal du 2e semestre 2026 à vérifier : valeur non confirmée "
        "(2,75 % retenu)."]
    assert not any("BCE" in w or "pénalités" in w for w in result.warnings)


def test_a_missing_semester_reuses_the_last_known_rate_with_a_warning():
    invoice = InvoiceInput("F1", D("1000"), date(2026, 11, 1), date(2026, 12, 1))
    result = decompte(invoice, as_of=date(2027, 1, 31))
    assert result.invoices[0].periods[-1].rate == D("12.15")
    assert (
        "Taux BCE du 1er semestre 2027 absent de la table : le taux du 2e semestre 2026 "
        "(2,15 %, soit des pénalités au taux de 12,15 %) est repris, à vérifier."
        in result.warnings
    )


@pytest.mark.parametrize(
    ("issue", "due", "expected"),
    [
        (date(2025, 1, 2), date(2025, 3, 3), None),  # 60 days: the limit
        (date(2025, 1, 2), date(2025, 3, 15), "expressément convenu"),  # 45 days end of month
        (date(2025, 1, 2), date(2025, 4, 30), "délai de paiement excessif"),
        (date(2025, 1, 2), date(2024, 12, 31), "précède la date d'émission"),
    ],
)
def test_due_dates_beyond_l441_10_i_are_flagged(issue, due, expected):
    result = decompte(InvoiceInput("F1", D("100"), issue, due), as_of=date(2025, 6, 1))
    terms = [w for w in result.warnings if w.startswith("Facture F1 : ")]
    if expected is None:
        assert terms == []
    else:
        [warning] = terms
        assert expected in warning


def test_payments_after_the_as_of_date_are_ignored_and_overpayments_reported():
    invoice = InvoiceInput("F1", D("100"), date(2025, 1, 1), date(2025, 1, 31))
    result = decompte(
        invoice,
        as_of=date(2025, 1, 20),
        payments=[
            PaymentInput(date(2025, 1, 10), D("150")),
            PaymentInput(date(2025, 2, 1), D("10")),
        ],
    )
    assert result.total == D("0")
    assert any("50,00 € excèdent la dette" in w for w in result.warnings)
    assert any("postérieur à la date du décompte" in w for w in result.warnings)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="double"):
        decompte(WORKED, WORKED, as_of=date(2025, 9, 30))
    with pytest.raises(ValueError, match="centimes"):
        decompte(
            InvoiceInput("F1", D("10.001"), date(2025, 1, 1), date(2025, 1, 31)),
            as_of=date(2025, 9, 30),
        )
    with pytest.raises(ValueError, match="positifs"):
        decompte(WORKED, as_of=date(2025, 9, 30), payments=[PaymentInput(date(2025, 3, 1), D("0"))])


# --- properties -----------------------------------------------------------------------------

amounts = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
days_2024_2026 = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
kinds = st.sampled_from(["professional", "consumer"])


@st.composite
def files(draw):
    invoices = []
    for number in range(draw(st.integers(1, 3))):
        issue = draw(days_2024_2026)
        due = draw(st.dates(min_value=issue, max_value=date(2026, 12, 31)))
        rate = draw(
            st.one_of(st.none(), st.decimals(min_value=D("0"), max_value=D("30"), places=2))
        )
        invoices.append(InvoiceInput(f"F{number}", draw(amounts), issue, due, rate))
    payments = draw(
        st.lists(
            st.builds(
                PaymentInput,
                days_2024_2026,
                amounts,
                st.one_of(st.none(), st.sampled_from([i.number for i in invoices])),
            ),
            max_size=3,
        )
    )
    return invoices, payments, draw(kinds), draw(st.one_of(st.none(), days_2024_2026))


def run(invoices, payments, kind, notice, as_of):
    return compute_decompte(
        as_of=as_of,
        debtor_kind=kind,
        invoices=invoices,
        payments=payments,
        rates=RATES,
        formal_notice_date=notice,
    )


def accrued(result):
    return sum((p.amount for inv in result.invoices for p in inv.periods), D("0"))


@settings(max_examples=150, deadline=None)
@given(file=files(), first=days_2024_2026, later=days_2024_2026)
def test_interest_never_decreases_as_the_as_of_date_grows(file, first, later):
    invoices, payments, kind, notice = file
    first, later = sorted([first, later])
    assert accrued(run(invoices, payments, kind, notice, first)) <= accrued(
        run(invoices, payments, kind, notice, later)
    )
    assert (
        run(invoices, [], kind, notice, first).interest
        <= run(invoices, [], kind, notice, later).interest
    )


@settings(max_examples=150, deadline=None)
@given(file=files(), as_of=days_2024_2026, when=days_2024_2026, amount=amounts)
def test_a_payment_never_increases_the_total(file, as_of, when, amount):
    invoices, payments, kind, notice = file
    before = run(invoices, payments, kind, notice, as_of)
    after = run(invoices, [*payments, PaymentInput(when, amount)], kind, notice, as_of)
    assert after.total <= before.total
    assert after.total >= 0 and all(inv.interest >= 0 for inv in after.invoices)


@settings(max_examples=50, deadline=None)
@given(file=files(), as_of=days_2024_2026)
def test_same_inputs_give_identical_results(file, as_of):
    invoices, payments, kind, notice = file
    first = run(invoices, payments, kind, notice, as_of)
    assert first == run(list(invoices), list(payments), kind, notice, as_of)
    assert first.total == first.principal + first.interest + first.indemnities
    assert all(
        p.amount == p.amount.quantize(D("0.01")) for inv in first.invoices for p in inv.periods
    )
