"""Reading what users type: French amounts and dates, SIREN/SIRET/IBAN."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import ValidationFailed
from app.formatting import date_fr, eur, rate_fr
from app.parsing import AmountTooLarge, FormReader, parse_amount, parse_date


@pytest.mark.parametrize(("text", "expected"), [
    ("1 234,56", Decimal("1234.56")),
    ("1\u202f234,56\u00a0€", Decimal("1234.56")),
    ("1234.5", Decimal("1234.50")),
    ("1.234,56", Decimal("1234.56")),
    ("0", Decimal("0.00")),
])
def test_amounts_in_french_or_plain(text: str, expected: Decimal) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["1,234", "12,345", "abc", "1e3", "", "12.3.4"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_an_amount_of_thirty_digits_is_too_large_not_a_server_error() -> None:
    # Seen: amount_ttc="1"*30 on the invoice form, a rate of 30 nines: 500 (InvalidOperation)
    with pytest.raises(AmountTooLarge):
        parse_amount("1" * 30)
    reader = FormReader({"amount": "1" * 30, "rate": "9" * 30, "big": "1" * 400})
    assert reader.money("amount") is None and reader.money("big") is None
    assert reader.rate("rate") is None
    assert reader.errors == {"amount": "Montant trop élevé.", "big": "Montant trop élevé.",
                             "rate": "Le taux doit être compris entre 0 et 100 %."}


def test_dates_iso_or_french() -> None:
    assert parse_date("2026-03-15") == parse_date("15/03/2026") == date(2026, 3, 15)
    with pytest.raises(ValueError):
        parse_date("31/02/2026")


def test_identifiers_are_checked() -> None:
    reader = FormReader({"siren": "732 829 320", "siret": "73282932000074",
                         "iban": "FR76 3000 6000 0112 3456 7890 189", "bad": "123456789"})
    assert reader.siren("siren") == "732829320"
    assert reader.siret("siret") == "73282932000074"
    assert reader.iban("iban") == "FR7630006000011234567890189"
    reader.siren("bad")
    with pytest.raises(ValidationFailed) as caught:
        reader.check()
    assert caught.value.errors == {"bad": "SIREN invalide : 9 chiffres dont le dernier est une "
                                          "clé de contrôle."}


def test_french_formatting() -> None:
    assert eur(Decimal("1337.71")) == "1\u202f337,71\u00a0€"
    assert date_fr(date(2026, 3, 15)) == "15/03/2026"
    assert rate_fr(Decimal("13.15")) == "13,15\u00a0%"
