"""A payment naming no invoice (C. civ. 1342-10 al. 2; LAW.md §2.4 and tool rule 5), level by
level, each figure computed by hand: base × days × rate / 36 500, rounded half-up.

2025-S1 default penalty rate (ECB + 10) 13.15 %; 3 × taux légal floor 3 × 3.71 = 11.13 %.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from app.law.imputation import Debt, impute
from app.law.interest import InvoiceInput, PaymentInput, compute_decompte
from app.law.rates import load_default_rates

RATES = load_default_rates()


def run(*invoices, payment, as_of=date(2025, 4, 1), kind="professional"):
    result = compute_decompte(
        as_of=as_of, debtor_kind=kind, invoices=invoices, payments=[payment], rates=RATES
    )
    return {inv.number: inv for inv in result.invoices}


def applied(by_number):
    return {
        number: [(a.to_interest, a.to_principal) for a in inv.payments]
        for number, inv in by_number.items()
    }


@pytest.mark.parametrize(
    ("invoices", "amount", "expected", "rule"),
    [
        # Level 1, due first: A due 01/02, B not due before 01/05 though at 20 %.
        # A's interest 02/02–01/04 = 59 days: 1000 × 59 × 13.15 / 36500 = 21.2561 → 21.26;
        # 300 − 21.26 = 278.74 of principal. B untouched.
        (
            [
                InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1)),
                InvoiceInput("B", D("500"), date(2025, 3, 30), date(2025, 5, 1), D("20")),
            ],
            D("300"),
            {"A": [(D("21.26"), D("278.74"))], "B": []},
            {"A": "dette échue, payée avant les dettes non échues"},
        ),
        # Level 1 again: the not-yet-due B gets only what is left once A is paid in full:
        # A owes 1000 + 21.26 = 1021.26; 1100 − 1021.26 = 78.74 to B's principal (no interest
        # accrued: not due).
        (
            [
                InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1)),
                InvoiceInput("B", D("500"), date(2025, 3, 30), date(2025, 5, 1), D("20")),
            ],
            D("1100"),
            {"A": [(D("21.26"), D("1000.00"))], "B": [(D("0"), D("78.74"))]},
            {
                "A": "dette échue, payée avant les dettes non échues",
                "B": "solde, une fois les dettes prioritaires acquittées",
            },
        ),
        # Level 2, highest rate on the payment date: both due; B at 20 % (above the 11.13 %
        # floor) before A at 13.15 % although A is older.
        # B's interest 02/03–01/04 = 31 days: 500 × 31 × 20 / 36500 = 8.4931 → 8.49;
        # 300 − 8.49 = 291.51 of principal.
        (
            [
                InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1)),
                InvoiceInput("B", D("500"), date(2025, 1, 30), date(2025, 3, 1), D("20")),
            ],
            D("300"),
            {"A": [], "B": [(D("8.49"), D("291.51"))]},
            {"B": "dette au taux le plus élevé à la date du paiement (20,00 %)"},
        ),
        # Level 2 with the floor: B's contractual 5 % is floored at 11.13 %, below A's 13.15 %:
        # A first. A's interest 21.26 (as above); 300 − 21.26 = 278.74.
        (
            [
                InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1)),
                InvoiceInput("B", D("500"), date(2024, 12, 30), date(2025, 1, 29), D("5")),
            ],
            D("300"),
            {"A": [(D("21.26"), D("278.74"))], "B": []},
            {"A": "dette au taux le plus élevé à la date du paiement (13,15 %)"},
        ),
        # Level 3, equal rates: the earliest due date. B due 01/02 before A due 01/03.
        # B's interest 02/02–01/04 = 59 days: 500 × 59 × 13.15 / 36500 = 10.6281 → 10.63;
        # 300 − 10.63 = 289.37.
        (
            [
                InvoiceInput("A", D("1000"), date(2025, 1, 30), date(2025, 3, 1)),
                InvoiceInput("B", D("500"), date(2025, 1, 2), date(2025, 2, 1)),
            ],
            D("300"),
            {"A": [], "B": [(D("10.63"), D("289.37"))]},
            {"B": "à taux égal, la dette la plus ancienne"},
        ),
        # Level 4, all else equal (due 01/02 both, 13.15 % both): proportionally to what each
        # owes on 01/04: A 1000 + 21.26 = 1021.26, B 500 + 10.63 = 510.63, total 1531.89.
        # A: 100 × 1021.26 / 1531.89 = 66.6660… → 66.66; B: 100 × 510.63 / 1531.89 =
        # 33.3333… → 33.33; remainder 0.01 to the oldest (A, issued 02/01) → A 66.67.
        # Each share pays its interest first: A 21.26 + 45.41; B 10.63 + 22.70.
        (
            [
                InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1)),
                InvoiceInput("B", D("500"), date(2025, 1, 10), date(2025, 2, 1)),
            ],
            D("100"),
            {"A": [(D("21.26"), D("45.41"))], "B": [(D("10.63"), D("22.70"))]},
            {
                "A": "répartie proportionnellement aux montants dus",
                "B": "répartie proportionnellement aux montants dus",
            },
        ),
    ],
)
def test_article_1342_10_levels(invoices, amount, expected, rule):
    result = run(*invoices, payment=PaymentInput(date(2025, 4, 1), amount))
    assert applied(result) == expected
    for number, words in rule.items():
        assert all(words in a.rule for a in result[number].payments)
        assert all("C. civ. 1342-10" in a.rule for a in result[number].payments)


def test_consumer_debts_are_all_at_the_same_rate_so_the_oldest_goes_first():
    # Consumer: the taux légal for all (rule 5). Without a mise en demeure no interest runs,
    # so 300 goes to the earliest due date (B, 01/02) in principal.
    a = InvoiceInput("A", D("1000"), date(2025, 1, 30), date(2025, 3, 1), D("20"))
    b = InvoiceInput("B", D("500"), date(2025, 1, 2), date(2025, 2, 1))
    result = run(a, b, payment=PaymentInput(date(2025, 4, 1), D("300")), kind="consumer")
    assert applied(result) == {"A": [], "B": [(D("0"), D("300"))]}


def test_a_named_payment_says_the_debtor_chose_the_invoice():
    a = InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1))
    b = InvoiceInput("B", D("500"), date(2025, 1, 30), date(2025, 3, 1), D("20"))
    result = run(a, b, payment=PaymentInput(date(2025, 4, 1), D("300"), invoice="A"))
    [line] = result["A"].payments
    assert "désignée par le débiteur (C. civ. 1342-10 al. 1)" in line.rule


def test_the_period_after_a_payment_says_which_rule_placed_it():
    # B's base falls from 02/04 (rule 5): its period from 02/04 names the payment and its rule
    a = InvoiceInput("A", D("1000"), date(2025, 1, 2), date(2025, 2, 1))
    b = InvoiceInput("B", D("500"), date(2025, 1, 30), date(2025, 3, 1), D("20"))
    result = compute_decompte(
        as_of=date(2025, 4, 30),
        debtor_kind="professional",
        invoices=[a, b],
        payments=[PaymentInput(date(2025, 4, 1), D("300"))],
        rates=RATES,
    )
    later = [p for p in result.invoices[1].periods if p.start == date(2025, 4, 2)]
    assert len(later) == 1
    assert "base réduite par le paiement du 01/04/2025" in later[0].rule
    assert "dette au taux le plus élevé" in later[0].rule


@pytest.mark.parametrize(
    ("owed", "amount", "shares"),
    [
        # 100 over 3 × 100: 33.33 each, remainder 0.01 to the oldest (X)
        ((D("100"), D("100"), D("100")), D("100"), (D("33.34"), D("33.33"), D("33.33"))),
        # 0.05 over 1 and 1: 0.02 each (rounded down), remainder 0.01 to the oldest
        ((D("1"), D("1")), D("0.05"), (D("0.03"), D("0.02"))),
        # exactly enough for all: each paid in full, nothing proportional
        ((D("10"), D("20")), D("30"), (D("10"), D("20"))),
    ],
)
def test_proportional_split_rounds_down_and_gives_the_remainder_to_the_oldest(
    owed, amount, shares
):
    debts = [
        Debt(key, True, D("13.15"), date(2025, 2, 1), date(2025, 1, day), value)
        for key, day, value in zip("XYZ", (1, 2, 3), owed, strict=False)
    ]
    result, excess = impute(amount, debts)
    assert tuple(s.amount for s in result) == shares
    assert excess == D("0")
