"""The bordereau's subtitle names the parties as entered, however long: wrapped within the
page, never run off its right edge (seen: "… Grand-Ouest Réunis – « S" cut by the margin)."""

from __future__ import annotations

from datetime import date

from app.documents.claimfile import typeface
from app.documents.claimfile.bordereau import LEFT, PAGE_W, RIGHT, subtitle_for, subtitle_lines

LONG = ("Dossier de créance — Menuiserie Lefèvre & Fils c/ Société Nouvelle des Ateliers "
        "Mécaniques et Électriques du Grand-Ouest Réunis – « SNAMEGO » & Cie SARL")


def test_a_long_subtitle_is_wrapped_within_the_page() -> None:
    subtitle = subtitle_for(LONG, date(2026, 12, 1), range(1, 9))
    lines = subtitle_lines(subtitle)
    assert len(lines) == 2
    assert " ".join(lines) == subtitle
    assert all(typeface.width(line, 9) <= PAGE_W - LEFT - RIGHT for line in lines)
    assert "dossier du 1er décembre 2026 — 8 pièces" in lines[-1]


def test_a_short_subtitle_stays_on_one_line() -> None:
    subtitle = subtitle_for("Dossier de créance — Lefèvre c/ Durand BTP", date(2026, 12, 2), [1])
    assert subtitle_lines(subtitle) == [subtitle]
    assert subtitle.endswith("dossier du 2 décembre 2026 — 1 pièce")


def test_a_withdrawn_number_is_said_not_given_again() -> None:
    """A pièce withdrawn once produced keeps its number out of use (LAW.md §5): the bordereau
    says so, so that a missing n° reads as withdrawn, not as a pièce missing."""
    one = subtitle_for("Dossier", date(2026, 12, 2), [1, 2, 4])
    assert one.endswith("3 pièces (n° 3 : pièce retirée, numéro non réattribué)")
    two = subtitle_for("Dossier", date(2026, 12, 2), [2, 4, 6])
    assert two.endswith("(n° 1, 3 et 5 : pièces retirées, numéros non réattribués)")
