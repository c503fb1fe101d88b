"""The recipient's block of a letter stays whole in the window of a DL envelope, and names
the country as La Poste reads it (NF Z10-011: six lines at most, the country last, in
capitals and in French).

Seen (carried since stop 33): a long company name wrapped on three lines, the contact on two,
and the window's `overflow: hidden` cut the postcode and town off: the letter could not be
delivered. A Belgian debtor's last line read "BE"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.documents import envelope
from app.documents.letters import render_letter
from tests.documents.test_nothing_off_the_page import POINTS_PER_MM, words
from tests.documents.test_wording import inputs

# The window of a DL envelope, on the sheet (print.css: page margin 18 mm top, 20 mm left;
# the block 37 mm under the letterhead's top, 90 mm from the text's left edge, 85 × 33 mm).
TOP, LEFT, HEIGHT, WIDTH = 18 + 37, 20 + 90, 33, 85

LONG = ("Société Coopérative Agricole de Production et de Transformation des Fruits et "
        "Légumes du Val de Loire et de l'Anjou")


def in_window(pdf: bytes) -> list[str]:
    """The words drawn inside the window's rectangle on the first page."""
    top, bottom = TOP * POINTS_PER_MM, (TOP + HEIGHT) * POINTS_PER_MM
    left, right = LEFT * POINTS_PER_MM, (LEFT + WIDTH) * POINTS_PER_MM
    return [w for w, x0, y0, x1, y1, _ in words(pdf, last_page=1)
            if x0 >= left - 1 and x1 <= right + 1 and y0 >= top - 1 and y1 <= bottom + 1]


@pytest.mark.parametrize("country", ["FR", "BE"])
def test_a_long_name_and_contact_leave_the_town_in_the_window(session, owner, country):
    _, letter = inputs(session, owner)
    debtor = replace(letter.debtor, name=LONG, legal_form="SCA", country=country,
                     representative="Mme Marie-Françoise Dupont-Lefèvre de la Tour d'Auvergne, "
                                    "directrice administrative et financière",
                     street="Zone artisanale du Bois de la Roche, 12 rue des Artisans",
                     postal_code="49000", city="Angers")
    shown = in_window(render_letter(replace(letter, debtor=debtor)).data)
    assert "49000" in shown and "ANGERS" in shown, shown
    assert "Coopérative" in shown  # the name's start is never the part left out
    if country == "BE":
        assert shown[-1] == "BELGIQUE", shown


def test_a_short_address_keeps_the_usual_size(session, owner):
    _, letter = inputs(session, owner)
    shown = in_window(render_letter(letter).data)
    assert shown and shown[-1] == "ANGERS", shown



def test_what_no_size_fits_loses_the_contact_then_the_name_tail_never_the_town():
    name = "Groupement " + "des Artisans Menuisiers Charpentiers et Couvreurs " * 12
    contact = "M. Jean-Baptiste Fontaine, " + "responsable du service comptabilité " * 4
    window = envelope.recipient(name.strip(), contact, "3 rue Nationale",
                                ("49000 ANGERS", "SUISSE"))
    texts = [line.text for line in window.lines]
    assert texts[-3:] == ["3 rue Nationale", "49000 ANGERS", "SUISSE"]
    assert texts[0].startswith("Groupement des Artisans") and texts[0].endswith("…")
    assert texts[1].startswith("À l'attention de M. Jean-Baptiste") and texts[1].endswith("…")
    width = envelope.WIDTH_MM * envelope.SLACK
    count = sum(len(envelope.wrapped(line.text, window.size, line.bold, width))
                for line in window.lines)
    assert count * window.size * window.leading * envelope.MM_PER_POINT <= envelope.HEIGHT_MM


@pytest.mark.parametrize(("code", "line"), [("FR", ""), ("BE", "BELGIQUE"),
                                            ("US", "ETATS-UNIS"), ("CH", "SUISSE")])
def test_the_country_line_is_in_french_capitals_without_accents(code, line):
    assert envelope.country_line(code) == line


def test_a_street_of_a_typing_error_gives_up_its_tail_never_the_town():
    window = envelope.recipient("Durand BTP SAS", "", "Zone d'activité " + "Grand-Rue-" * 60,
                                ("49000 ANGERS",))
    texts = [line.text for line in window.lines]
    assert texts[0] == "Durand BTP SAS" and texts[-1] == "49000 ANGERS"
    assert texts[1].startswith("Zone d'activité Grand-Rue-") and texts[1].endswith("…")
