"""Money helpers: cent rounding half-up, French parsing and display."""

from decimal import Decimal

import pytest

from app.law.money import format_eur, format_number, format_rate, parse_amount, round_cent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("60.955", "60.96"),  # half-up, not banker's rounding
        ("60.945", "60.95"),
        ("36.7496", "36.75"),
        ("0.004", "0.00"),
        ("-1.005", "-1.01"),
    ],
)
def test_round_cent_rounds_half_up(value, expected):
    assert round_cent(Decimal(value)) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", "1234.56"),
        ("1\u202f234,56\u00a0€", "1234.56"),  # what a French spreadsheet pastes
        ("1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1234", "1234.00"),
        ("0,5", "0.50"),
    ],
)
def test_parse_amount_reads_french_and_plain_notation(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,234,56", "12,345", "1 2 3,4.5"])
def test_parse_amount_refuses_what_is_not_money(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_amounts_and_rates_are_displayed_the_french_way():
    assert format_eur(Decimal("1337.71")) == "1 337,71 €"
    assert format_eur(Decimal("1234567.5")) == "1 234 567,50 €"
    assert format_eur(Decimal("40")) == "40,00 €"
    assert format_number(Decimal("-0.001")) == "0,00"
    assert format_rate(Decimal("13.15")) == "13,15 %"
