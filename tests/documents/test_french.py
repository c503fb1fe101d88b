"""French typography of the documents: amounts in words, no-break spaces, guillemets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.documents.french import NBSP, NNBSP, amount_in_words, typeset, typeset_html


@pytest.mark.parametrize(("amount", "words"), [
    ("1337.71", "mille trois cent trente-sept euros et soixante et onze centimes"),
    ("1.00", "un euro"),
    ("0.01", "zéro euro et un centime"),
    ("80.00", "quatre-vingts euros"),
    ("1000000.00", "un million d'euros"),
    ("2021.21", "deux mille vingt et un euros et vingt et un centimes"),
])
def test_amounts_are_written_in_french_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_a_negative_amount_has_no_words():
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1.00"))


def test_high_punctuation_and_guillemets_get_no_break_spaces():
    text = typeset("Objet : relance ; payez ? « merci »")
    assert text == f"Objet{NBSP}: relance{NNBSP}; payez{NNBSP}? «{NBSP}merci{NBSP}»"
    assert typeset(text) == text  # idempotent


def test_amounts_dates_and_numbers_do_not_break():
    text = typeset("40 € le 8 octobre 2025, facture n° F-1, 12,15 % sous 8 jours")
    assert f"40{NBSP}€" in text and f"8{NBSP}octobre{NBSP}2025" in text
    assert f"n°{NBSP}F-1" in text and f"12,15{NBSP}%" in text and f"8{NBSP}jours" in text


def test_only_the_body_text_is_typeset_never_tags_or_css():
    html = '<head><style>a:hover { x: 1 }</style></head><body class="a"><p title="a : b">x : y</p></body>'
    out = typeset_html(html)
    assert 'title="a : b"' in out and "a:hover { x: 1 }" in out
    assert f"x{NBSP}: y" in out
