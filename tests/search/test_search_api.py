"""GET /api/v1/evidence/search: the exact fields, French 422s, one creditor's pièces only."""

from __future__ import annotations

import pytest

from tests.conftest import api_token
from tests.factories import make_debtor
from tests.search.conftest import DELIVERY, piece


@pytest.fixture
def auth(client, owner) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return api_token(client, "claire@lefevre.test")


def test_search_answers_the_exact_fields(client, auth, delivery) -> None:
    response = client.get("/api/v1/evidence/search", params={"q": "BL-2026-77"}, headers=auth)
    assert response.status_code == 200, response.text
    [hit] = response.json()
    assert set(hit) == {"evidence_id", "debtor_id", "title", "kind", "snippet"}
    assert (hit["evidence_id"], hit["debtor_id"]) == (delivery.id, delivery.debtor_id)
    assert (hit["title"], hit["kind"]) == ("IMG_2041.jpg", "other")
    assert "<mark>" in hit["snippet"]


def test_search_within_a_debtor(client, auth, session, owner, durand, delivery) -> None:
    other = make_debtor(session, owner, legal_name="Martin SARL", siren="")
    piece(session, owner, other, DELIVERY + " double")
    both = client.get("/api/v1/evidence/search", params={"q": "BL-2026-77"}, headers=auth)
    assert len(both.json()) == 2
    one = client.get("/api/v1/evidence/search", params={"q": "BL-2026-77", "debtor_id": durand.id},
                     headers=auth)
    assert [h["evidence_id"] for h in one.json()] == [delivery.id]


@pytest.mark.parametrize(("q", "message"), [
    ("", "Saisissez au moins un mot à chercher."),
    ("x" * 300, "Recherche trop longue : 200 caractères au plus (300 saisis)."),
    ('"()*', "Saisissez des lettres ou des chiffres à chercher."),
])
def test_bad_queries_answer_422_in_french(client, auth, q, message) -> None:
    response = client.get("/api/v1/evidence/search", params={"q": q}, headers=auth)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["query", "q"], "msg": message,
                                          "type": "value_error"}]


@pytest.mark.parametrize("q", ['"BL-2026-77', "NEAR(bl 77)", "bl*", "(facture", "AND OR NOT",
                               "bl:*|77", "'; select 1; --"])
def test_query_syntax_never_gives_500(client, auth, delivery, q) -> None:
    response = client.get("/api/v1/evidence/search", params={"q": q}, headers=auth)
    assert response.status_code == 200, response.text


def test_another_creditors_pieces_never_appear(client, session, outsider, delivery) -> None:
    theirs = api_token(client, "paul@roux.test")
    assert client.get("/api/v1/evidence/search", params={"q": "BL-2026-77"},
                      headers=theirs).json() == []
    response = client.get("/api/v1/evidence/search",
                          params={"q": "BL-2026-77", "debtor_id": delivery.debtor_id},
                          headers=theirs)
    assert response.status_code == 404


def test_search_needs_a_token(client, delivery) -> None:
    assert client.get("/api/v1/evidence/search", params={"q": "BL"}).status_code == 401
