"""Which annual rate a day of delay bears, and the sentence that says why."""

from datetime import date
from decimal import Decimal as D

from app.law.penalty_rates import (
    consumer_legal_rate,
    contractual_penalty_rate,
    default_penalty_rate,
)
from app.law.rates import load_default_rates

RATES = load_default_rates()


def test_default_rate_is_the_ecb_anchor_plus_ten_points():
    applied = default_penalty_rate(RATES, date(2025, 3, 1))
    assert (applied.rate, applied.warnings) == (D("13.15"), ())
    assert applied.rule.endswith("taux de 13,15 % du 1er semestre 2025")


def test_contractual_rate_at_the_floor_is_kept():
    # 2025-S1: 3 × 3.71 = 11.13 %; an agreed 11.13 % is not below it
    applied = contractual_penalty_rate(RATES, date(2025, 3, 1), D("11.13"), "F1")
    assert (applied.rate, applied.warnings) == (D("11.13"), ())


def test_contractual_rate_below_the_floor_in_an_unverified_semester_says_both():
    # 2026-S2: 3 × 2.75 = 8.25 % (row marked "?")
    applied = contractual_penalty_rate(RATES, date(2026, 8, 1), D("5"), "F1")
    assert applied.rate == D("8.25")
    assert len(applied.warnings) == 2
    assert applied.rule.endswith("du 2e semestre 2026 (à vérifier)")


def test_consumer_rate_is_the_autres_cas_column():
    # 2025-S2: particuliers 6.65 %, autres cas 2.76 %: a professional creditor uses 2.76 %
    assert consumer_legal_rate(RATES, date(2025, 9, 1)).rate == D("2.76")
