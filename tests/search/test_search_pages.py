"""The search box: across the creditor's files (/recherche, top bar) and within one debtor's
file (htmx swaps the results in); snippets escaped, the words found marked."""

from __future__ import annotations

import re

from tests.factories import make_debtor
from tests.search.conftest import DELIVERY, piece

HX = {"HX-Request": "true"}


def test_the_top_bar_has_the_search_box(owner_client) -> None:
    page = owner_client.get("/debtors").text
    assert 'action="/recherche"' in page and 'id="nav-search-q"' in page


def test_results_across_files_link_to_the_piece_and_its_debtor(owner_client, delivery) -> None:
    page = owner_client.get("/recherche", params={"q": "BL-2026-77"}).text
    assert "1 pièce trouvée." in page
    assert f'href="/evidence/{delivery.id}/preview"' in page
    assert f'href="/debtors/{delivery.debtor_id}#exhibit-{delivery.id}">Durand BTP</a>' in page
    assert "<mark>" in page


def test_within_one_debtor_the_results_block_is_swapped_in(owner_client, session, owner,
                                                           durand, delivery) -> None:
    other = make_debtor(session, owner, legal_name="Martin SARL", siren="")
    piece(session, owner, other, DELIVERY + " copie")
    assert 'id="evidence-search-q"' in owner_client.get(f"/debtors/{durand.id}").text
    fragment = owner_client.get("/recherche", params={"q": "fenêtres", "debtor_id": durand.id},
                                headers=HX).text
    assert fragment.lstrip().startswith('<div id="search-results"')
    assert "<html" not in fragment
    assert re.findall(r'data-evidence="(\d+)"', fragment) == [str(delivery.id)]
    assert "dans le dossier de Durand BTP" in fragment


def test_a_script_in_a_piece_shows_as_text(owner_client, session, owner, durand) -> None:
    piece(session, owner, durand, 'Relance <script>alert("x")</script> <img src=x onerror=alert(1)>',
          title="<b>Relance</b>")
    page = owner_client.get("/recherche", params={"q": "relance"}).text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Relance" not in page
    assert "&lt;b&gt;Relance&lt;/b&gt;" in page  # the title, escaped


def test_another_creditors_pieces_never_appear(client, session, outsider, delivery) -> None:
    client.login("paul@roux.test")
    page = client.get("/recherche", params={"q": "BL-2026-77"}).text
    assert "Aucune pièce ne contient « BL-2026-77 »." in page
    assert client.get("/recherche", params={"q": "BL", "debtor_id": delivery.debtor_id}
                      ).status_code == 404


def test_a_bad_query_says_why_next_to_the_box(owner_client) -> None:
    response = owner_client.get("/recherche", params={"q": "x" * 250}, headers=HX)
    assert response.status_code == 422
    assert "Recherche trop longue : 200 caractères au plus (250 saisis)." in response.text
    assert owner_client.get("/recherche").status_code == 200  # no query yet: just the box


def test_syntax_characters_are_only_words(owner_client, delivery) -> None:
    for q in ('"BL-2026-77', "NEAR(BL 77", "*77*", "BL OR", "bl:* & 77"):
        response = owner_client.get("/recherche", params={"q": q})
        assert response.status_code == 200, q
