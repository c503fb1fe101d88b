"""The hand-rolled French formatters give Babel's and strftime's text, for many values, with
their cache warm or cold (app/formatting.py)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from app.formatting import LOCALE, date_fr, eur, number_fr, of_fr


def _amounts() -> list[Decimal]:
    rng = random.Random(16)
    edge = ["0", "-0", "0.00", "-0.00", "-0.001", "0.005", "0.015", "0.025", "-0.005", "1",
            "-1", "999.995", "1000", "-1000.5", "1234567.891", "-9999999.999", "0.125",
            "1E+3", "12.3E-1", "100000000000.01"]
    values = [Decimal(text) for text in edge]
    values += [Decimal(rng.randint(-10**9, 10**9)) / 10 ** rng.randint(0, 4)
               for _ in range(3000)]
    return values


def test_numbers_are_formatted_as_babel_does_twice_over() -> None:
    for digits in (0, 2, 3):
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        for value in _amounts() * 2:  # the second time from the cache
            expected = format_decimal(value, format=pattern, locale=LOCALE,
                                      decimal_quantization=True)
            assert number_fr(value, digits) == expected, (value, digits)


def test_zero_and_negative_zero_keep_their_own_text() -> None:
    assert number_fr(Decimal("0.00")) == "0,00"
    assert number_fr(Decimal("-0.00")) == format_decimal(Decimal("-0.00"), format="#,##0.00",
                                                         locale=LOCALE)
    assert number_fr(Decimal("0.00")) == "0,00"
    assert eur(Decimal("1.5")) == eur(Decimal("1.50")) == "1,50\u00a0€"
    assert number_fr(7) == number_fr(Decimal(7)) == "7,00"


def test_dates_are_formatted_as_strftime_does() -> None:
    day = date(1899, 12, 25)
    while day < date(2101, 1, 10):
        assert date_fr(day) == day.strftime("%d/%m/%Y")
        day += timedelta(days=13)
    assert date_fr(datetime(2026, 3, 5, 23, 59)) == "05/03/2026"
    assert date_fr(date(999, 1, 2)) == date(999, 1, 2).strftime("%d/%m/%Y")
    assert date_fr(None) == ""


@pytest.mark.parametrize(("name", "written"), [
    ("Angers", "d'Angers"), ("Hôtel du Port", "d'Hôtel du Port"), ("Île-de-France SA",
    "d'Île-de-France SA"), ("Yvetot", "d'Yvetot"), ("Yaourts Dupont", "de Yaourts Dupont"),
    ("Durand BTP", "de Durand BTP"), ("123 Bâtiment", "de 123 Bâtiment"),
    ("« SNAMEGO »", "de « SNAMEGO »"), ("  Ecole Martin ", "d'Ecole Martin")])
def test_de_is_elided_before_a_vowel_or_a_mute_h(name: str, written: str) -> None:
    # Seen: "au profit de Hôtel du Port" in a requête, "les débiteurs de Angers" on a page.
    assert of_fr(name) == written
