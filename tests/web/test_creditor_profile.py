"""The creditor's profile: identity on every document, validated field by field."""

from __future__ import annotations

from decimal import Decimal
from html import unescape

from sqlmodel import Session

from app.models import Creditor
from app.services.context import Actor
from tests.conftest import Browser

PROFILE = {"legal_name": "Menuiserie Lefèvre", "legal_form": "SARL", "siren": "732 829 320",
           "siret": "732 829 320 00074", "rcs_city": "Nantes", "street": "14 rue des Artisans",
           "postal_code": "44000", "city": "Nantes", "country": "FR",
           "representative": "Claire Lefèvre", "iban": "FR76 3000 6000 0112 3456 7890 189",
           "default_penalty_rate": "12,50", "payment_term_days": "30"}


def test_profile_is_saved(owner_client: Browser, owner: Actor, session: Session) -> None:
    response = owner_client.submit("/creditor", PROFILE, follow_redirects=False)
    assert response.status_code == 303
    creditor = session.get(Creditor, owner.creditor_id)
    session.refresh(creditor)
    assert creditor is not None
    assert (creditor.siren, creditor.siret) == ("732829320", "73282932000074")
    assert creditor.iban == "FR7630006000011234567890189"
    assert creditor.default_penalty_rate == Decimal("12.50")


def test_bad_iban_and_siret_are_refused_with_nothing_saved(owner_client: Browser, owner: Actor,
                                                           session: Session) -> None:
    response = owner_client.submit("/creditor", {**PROFILE, "iban": "FR76 1234",
                                                 "siret": "73282932000075"})
    text = unescape(response.text)
    assert response.status_code == 422
    assert "IBAN invalide" in text and "SIRET invalide" in text
    creditor = session.get(Creditor, owner.creditor_id)
    session.refresh(creditor)
    assert creditor is not None and creditor.iban == ""


def test_siret_must_start_with_the_siren(owner_client: Browser) -> None:
    response = owner_client.submit("/creditor", {**PROFILE, "siren": "552 100 554",
                                                 "siret": "732 829 320 00074"})
    assert "Le SIRET doit commencer par le SIREN." in unescape(response.text)


def test_reader_sees_a_disabled_form(client: Browser, reader: Actor) -> None:
    client.login("lea@lefevre.test")
    page = client.get("/creditor").text
    assert "<fieldset disabled>" in page
    assert client.submit("/creditor", PROFILE).status_code == 403


PERSON = {**PROFILE, "creditor_kind": "person", "legal_name": "Claire Lefèvre",
          "legal_form": "EI", "profession": "menuisière", "nationality": "française",
          "birth_date": "12/04/1979", "birth_place": "Cholet (49)"}


def test_a_natural_person_records_the_mentions_of_cpc_54_3_a(owner_client: Browser, owner: Actor,
                                                              session: Session) -> None:
    page = owner_client.get("/creditor").text
    for field in ("creditor_kind", "profession", "nationality", "birth_date", "birth_place"):
        assert f'id="f-{field}"' in page
    response = owner_client.submit("/creditor", PERSON, follow_redirects=False)
    assert response.status_code == 303
    creditor = session.get(Creditor, owner.creditor_id)
    session.refresh(creditor)
    assert creditor is not None and creditor.natural_person
    assert (creditor.profession, creditor.nationality, creditor.birth_place) == (
        "menuisière", "française", "Cholet (49)")
    assert creditor.birth_date is not None and creditor.birth_date.isoformat() == "1979-04-12"
    page = unescape(owner_client.get("/creditor").text)
    assert '<option value="person" selected>' in page and 'value="1979-04-12"' in page


def test_an_impossible_birth_date_is_refused_in_french(owner_client: Browser, owner: Actor,
                                                        session: Session) -> None:
    for bad, message in (("31/02/1979", "Date invalide : écrivez JJ/MM/AAAA."),
                         ("12/04/2030", "Date de naissance invraisemblable"),
                         ("01/01/1850", "Date de naissance invraisemblable")):
        response = owner_client.submit("/creditor", {**PERSON, "birth_date": bad})
        assert response.status_code == 422
        assert message in unescape(response.text)
    creditor = session.get(Creditor, owner.creditor_id)
    session.refresh(creditor)
    assert creditor is not None and not creditor.natural_person and creditor.profession == ""
