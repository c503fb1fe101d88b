"""Route advice (LAW.md §7) and the competent court for the requête (§5, CPC 1406)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.law.facts import OrdonnanceFacts
from app.law.prescription import prescription
from app.law.procedures import competent_court, normalise_city, recommend_routes
from app.law.readiness import CollectiveProceedingsFacts, CreditorFacts, DebtorFacts, FileFacts

AS_OF = date(2026, 11, 22)
FILE = FileFacts(
    as_of=AS_OF,
    creditor=CreditorFacts(name="Menuiserie Lefèvre"),
    debtor=DebtorFacts(name="Durand BTP SAS", postcode="69002", city="Lyon"),
)


def routes(facts=FILE, total="1337.71"):
    return recommend_routes(facts, Decimal(total))


def test_undisputed_claim_in_france_goes_to_the_injonction_de_payer():
    result = routes()
    assert [r.recommended for r in result] == [True] + [False] * 7
    assert result[0].key == "injonction_de_payer"
    assert "tribunal des activités économiques de Lyon" in result[0].reason
    assert {r.key for r in result} == {
        "declaration_creance",
        "injonction_de_payer",
        "petites_creances",
        "commandement_de_payer",
        "refere_provision",
        "action_au_fond",
        "injonction_europeenne",
        "procedure_etrangere",
    }


@pytest.mark.parametrize(
    ("change", "first"),
    [
        (
            {"collective": CollectiveProceedingsFacts("liquidation", date(2026, 10, 1))},
            "declaration_creance",
        ),
        ({"open_dispute": True}, "refere_provision"),
        ({"debtor": replace(FILE.debtor, country="DE")}, "injonction_europeenne"),
        ({"debtor": replace(FILE.debtor, country="DK")}, "procedure_etrangere"),
        ({"debtor": replace(FILE.debtor, country="CH")}, "procedure_etrangere"),
    ],
)
def test_the_situation_decides_the_recommended_route(change, first):
    result = routes(replace(FILE, **change))
    assert result[0].key == first and result[0].recommended
    assert sum(r.recommended for r in result) == 1


def test_an_ordonnance_already_rendered_is_served_then_enforced_not_asked_for_again():
    # Seen on a claim file whose ordonnance was served: "requête au président du tribunal…"
    # CPC 1411 (serve it), 1416 (opposition), 1422 (enforcement)
    rendered = replace(FILE, ordonnance=OrdonnanceFacts(date(2026, 10, 1)))
    first = routes(rendered)[0]
    assert (first.key, first.recommended) == ("injonction_de_payer", True)
    assert first.reason.startswith("Ordonnance rendue le 01/10/2026 : la faire signifier par "
                                   "commissaire de justice (CPC 1411)")
    assert "requête" not in first.reason
    served = replace(FILE, ordonnance=OrdonnanceFacts(date(2026, 10, 1), date(2026, 10, 20)))
    first = routes(served)[0]
    assert first.reason.startswith("Ordonnance rendue le 01/10/2026, signifiée le 20/10/2026 :")
    assert "CPC 1422" in first.reason
    opposed = replace(FILE, open_dispute=True, ordonnance=OrdonnanceFacts(
        date(2026, 10, 1), date(2026, 10, 20), opposition=True))
    result = routes(opposed)
    assert (result[0].key, result[0].recommended) == ("action_au_fond", True)
    assert "Opposition formée" in result[0].reason and "CPC 1418" in result[0].reason
    assert sum(r.recommended for r in result) == 1


def test_collective_proceedings_forbid_the_injonction():
    facts = replace(FILE, collective=CollectiveProceedingsFacts("redressement"))
    ip = next(r for r in routes(facts) if r.key == "injonction_de_payer")
    assert not ip.recommended and "L622-21" in ip.reason


@pytest.mark.parametrize(
    ("total", "fragment"),
    [("5000.00", "Possible (5 000 € au plus)"), ("5000.01", "5 000,01 € ici")],
)
def test_petites_creances_only_up_to_5000_euros(total, fragment):
    route = next(r for r in routes(total=total) if r.key == "petites_creances")
    assert fragment in route.reason


def test_prescribed_claim_recommends_nothing():
    old = prescription(debtor_kind="professional", start=date(2020, 1, 1), as_of=AS_OF)
    result = routes(replace(FILE, prescription=old))
    assert not any(r.recommended for r in result)
    assert all(r.reason.startswith("Créance prescrite") for r in result)


@pytest.mark.parametrize(
    ("commercial", "city", "department", "kind", "label"),
    [
        (
            False,
            "Lyon",
            "69",
            "tribunal_judiciaire",
            "Président du tribunal judiciaire dont relève Lyon",
        ),
        (True, "Lyon", "69", "tae", "Président du tribunal des activités économiques de Lyon"),
        (
            True,
            "Paris 15e",
            "75",
            "tae",
            "Président du tribunal des activités économiques de Paris",
        ),
        (
            True,
            "Saint-Brieuc Cedex",
            "22",
            "tae",
            "Président du tribunal des activités économiques de Saint-Brieuc",
        ),
        (
            True,
            "Le Havre",
            "76",
            "tae",
            "Président du tribunal des activités économiques de Le-Havre",
        ),
        (
            True,
            "Metz",
            "57",
            "chambre_commerciale_tj",
            "Président de la chambre commerciale du tribunal judiciaire dont relève Metz",
        ),
        (
            True,
            "Strasbourg",
            "67",
            "chambre_commerciale_tj",
            "Président de la chambre commerciale du tribunal judiciaire dont relève Strasbourg",
        ),
        (
            True,
            "Rennes",
            "35",
            "tribunal_commerce",
            "Président du tribunal de commerce dont relève Rennes",
        ),
        (
            True,
            "Fort-de-France",
            "972",
            "tribunal_commerce",
            "Président du tribunal mixte de commerce dont relève Fort-de-France",
        ),
        (
            True,
            None,
            None,
            "tribunal_commerce",
            "Président du tribunal de commerce du domicile du débiteur",
        ),
    ],
)
def test_competent_court(commercial, city, department, kind, label):
    court = competent_court(commercial=commercial, city=city, department=department)
    assert (court.kind, court.label, court.article) == (kind, label, "CPC 1406")
    assert "ordre public" in court.territorial_rule


def test_a_town_near_a_tae_seat_gets_a_hint_to_check():
    court = competent_court(commercial=True, city="Villeurbanne", department="69")
    assert court.kind == "tribunal_commerce"
    assert "tribunal des activités économiques de Lyon" in court.territorial_rule


def test_normalise_city():
    assert normalise_city("Saint-Étienne Cedex 2") == "saint etienne"
    assert normalise_city("Lyon 3e") == "lyon"
    assert normalise_city(None) == ""


def test_a_cedex_mention_is_not_named_as_the_town_of_the_court() -> None:
    # Seen on a claim file's cover: "tribunal de commerce dont relève Nantes CEDEX 1".
    court = competent_court(commercial=True, city="Nantes CEDEX 1", department="44")
    assert court.label == "Président du tribunal de commerce dont relève Nantes"
    court = competent_court(commercial=False, city="Saint-Herblain Cedex", department="44")
    assert court.label == "Président du tribunal judiciaire dont relève Saint-Herblain"
