"""LAW.md §11: a paper is complete or refused, and the refusal lists everything missing,
each item with a link to the form that fixes it. One test per refusal."""

from __future__ import annotations

from datetime import date
from html import unescape

from sqlmodel import select

from app.models import Court, Creditor, Debtor, GeneratedDocument
from tests.conftest import api_token
from tests.documents.scenario import durand_btp
from tests.web.test_generate_documents import _prove_invoices, generate

HTMX = {"HX-Request": "true"}


def _set(session, row, **values):  # type: ignore[no-untyped-def]
    for name, value in values.items():
        setattr(row, name, value)
    session.add(row)
    session.commit()
    return row


def _creditor(session, owner) -> Creditor:  # type: ignore[no-untyped-def]
    creditor = session.get(Creditor, owner.creditor_id)
    assert creditor is not None
    return creditor


def _angers(session, owner, **values) -> Court:  # type: ignore[no-untyped-def]
    court = Court(creditor_id=owner.creditor_id, kind="tribunal_commerce",
                  name="Tribunal de commerce d'Angers", street="Place du Général Leclerc",
                  postal_code="49000", city="Angers")
    return _set(session, court, **values)


def _requete(client, debtor, court=None):  # type: ignore[no-untyped-def]
    return generate(client, debtor.id, kind="requete_injonction", date="2026-11-22",
                    court_id=str(court.id) if court else "")


def _nothing_generated(session) -> bool:  # type: ignore[no-untyped-def]
    return session.exec(select(GeneratedDocument)).all() == []


def test_no_mise_en_demeure_to_a_debtor_without_an_address(owner_client, session, owner):
    # Seen: an imported debtor with no address at all got a registered MED, no warning.
    debtor = _set(session, durand_btp(session, owner), street="", postal_code="", city="")
    response = generate(owner_client, debtor.id)
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Mise en demeure refusée : 3 points à compléter ou à régler" in text
    for field, label in (("street", "Adresse (numéro et rue) du siège social du débiteur"),
                         ("postal_code", "Code postal du siège social du débiteur"),
                         ("city", "Ville du siège social du débiteur")):
        assert label in text
        assert f'href="/debtors/{debtor.id}/edit#f-{field}"' in text
    assert _nothing_generated(session)


def test_no_postal_relance_without_an_address_but_an_email_one_is_warned(
        owner_client, session, owner):
    debtor = _set(session, durand_btp(session, owner), street="", postal_code="", city="")
    warned = generate(owner_client, debtor.id, kind="relance_1")
    assert warned.status_code == 200
    assert "cette relance ne peut partir que par e-mail" in unescape(warned.text)
    document = session.exec(select(GeneratedDocument)).one()
    by_post = owner_client.submit(f"/documents/{document.id}/sent",
                                  {"sent_on": "2025-10-01", "channel": "letter"}, headers=HTMX)
    text = unescape(by_post.text)
    assert by_post.status_code == 422
    assert "Envoi par courrier refusé" in text and "Ville du siège social du débiteur" in text
    session.expire_all()
    assert session.exec(select(GeneratedDocument)).one().status == "draft"
    _set(session, debtor, email="")
    refused = generate(owner_client, debtor.id, kind="relance_2")
    assert refused.status_code == 422 and "Relance refusée : 3 points" in unescape(refused.text)


def test_no_letter_without_the_creditors_identity(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _set(session, _creditor(session, owner), street="", city="", legal_form="", siren="")
    response = generate(owner_client, debtor.id)
    text = unescape(response.text)
    assert response.status_code == 422
    for field in ("street", "city", "legal_form", "siren"):
        assert 'href="/creditor#f-' + field + '"' in text
    assert "Forme juridique du créancier" in text and "SIREN du créancier" in text


def test_no_requete_without_a_named_court(owner_client, session, owner):
    # Seen: a requête "Définitif" addressed to "Madame, Monsieur le Président du tribunal
    # des activités économiques" with no city (CPC 54 1°).
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    response = _requete(owner_client, debtor)
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Requête refusée : 1 point à compléter ou à régler" in text
    assert "Juridiction nommée (nom et adresse)" in text and "CPC 54 1°" in text
    assert f'href="/debtors/{debtor.id}#documents"' in text
    assert _nothing_generated(session)


def test_no_requete_to_a_court_without_its_address(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    response = _requete(owner_client, debtor, _angers(session, owner, street="", postal_code=""))
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Adresse de la juridiction (Tribunal de commerce d'Angers)" in text
    assert "Code postal de la juridiction (Tribunal de commerce d'Angers)" in text


def test_no_requete_to_a_court_of_another_type(owner_client, session, owner):
    # Seen: a consumer's requête headed "Président du tribunal judiciaire" above "Tribunal de
    # commerce de Nantes" and its address: the type is set by CPC 1406, of public order.
    debtor = durand_btp(session, owner)  # a commercial company in Angers: tribunal de commerce
    _prove_invoices(session, debtor)
    court = _angers(session, owner, kind="tribunal_judiciaire",
                    name="Tribunal judiciaire d'Angers")
    response = _requete(owner_client, debtor, court)
    text = unescape(response.text)
    assert response.status_code == 422
    assert ("Juridiction du type compétent : Tribunal judiciaire d'Angers est un tribunal "
            "judiciaire, la requête relève du tribunal de commerce") in text
    assert "CPC 1406" in text and f'href="/debtors/{debtor.id}#documents"' in text
    assert _nothing_generated(session)


def test_no_requete_for_a_natural_person_without_the_mentions_of_54_3_a(
        owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    _set(session, _creditor(session, owner), natural_person=True, legal_form="EI")
    response = _requete(owner_client, debtor, _angers(session, owner))
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Requête refusée : 4 points" in text
    for field, label in (("profession", "Profession du créancier"),
                         ("nationality", "Nationalité du créancier"),
                         ("birth_date", "Date de naissance du créancier"),
                         ("birth_place", "Lieu de naissance du créancier")):
        assert label in text and f'href="/creditor#f-{field}"' in text
    assert "CPC 54 3° a)" in text


def test_a_natural_person_with_its_mentions_gets_them_in_the_requete(
        owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    _set(session, _creditor(session, owner), natural_person=True, legal_name="Claire Lefèvre",
         legal_form="EI", profession="menuisière", nationality="française",
         birth_date=date(1979, 4, 12), birth_place="Cholet (49)")
    response = _requete(owner_client, debtor, _angers(session, owner))
    assert response.status_code == 200, unescape(response.text)
    document = session.exec(select(GeneratedDocument)).one()
    from tests.web.test_generate_documents import text_of

    text = " ".join(text_of(owner_client.get(f"/documents/{document.id}/download").content).split())
    assert "menuisière, né(e) le 12 avril 1979 à Cholet (49), de nationalité française, demeurant" in text
    assert "Tribunal de commerce d'Angers" in text and "Place du Général Leclerc" in text


def test_no_requete_for_a_company_without_the_mentions_of_54_3_b(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    _set(session, _creditor(session, owner), legal_form="", representative="")
    response = _requete(owner_client, debtor, _angers(session, owner))
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Forme juridique du créancier" in text and "Représentant légal du créancier" in text
    assert 'href="/creditor#f-representative"' in text and "CPC 54 3° b)" in text


def test_no_requete_without_the_debtors_registered_office(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    _set(session, debtor, street="")
    response = _requete(owner_client, debtor, _angers(session, owner))
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Adresse (numéro et rue) du siège social du débiteur" in text
    assert f'href="/debtors/{debtor.id}/edit#f-street"' in text


def test_no_requete_without_an_amount_due_and_its_decompte(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    response = generate(owner_client, debtor.id, kind="requete_injonction", date="2025-02-01",
                        court_id=str(_angers(session, owner).id))
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Aucune facture échue et impayée au 01/02/2025" in text
    assert f'href="/debtors/{debtor.id}#account"' in text
    assert _nothing_generated(session)


def test_no_requete_without_a_bordereau(client, session, owner):
    debtor = durand_btp(session, owner)
    headers = api_token(client, "claire@lefevre.test")
    court = _angers(session, owner)
    response = client.post(f"/api/v1/debtors/{debtor.id}/documents", headers=headers,
                           json={"kind": "requete_injonction", "date": "2026-11-22",
                                 "court_id": court.id})
    assert response.status_code == 409
    missing = response.json()["missing"]
    assert {"label": "Pièces à joindre au bordereau", "article": "CPC 1407",
            "url": f"/debtors/{debtor.id}#evidence", "place": "Pièces du dossier"} in missing


def test_a_refusal_lists_everything_missing_at_once(client, session, owner):
    debtor = durand_btp(session, owner)
    _set(session, debtor, street="", postal_code="", city="")
    _set(session, _creditor(session, owner), natural_person=True)
    headers = api_token(client, "claire@lefevre.test")
    response = client.post(f"/api/v1/debtors/{debtor.id}/documents", headers=headers,
                           json={"kind": "requete_injonction", "date": "2026-11-22"})
    assert response.status_code == 409
    body = response.json()
    wheres = [item["url"] for item in body["missing"]]
    assert wheres[:1] == [f"/debtors/{debtor.id}#documents"]  # the court
    for field in ("profession", "nationality", "birth_date", "birth_place"):
        assert f"/creditor#f-{field}" in wheres
    for field in ("street", "postal_code", "city"):
        assert f"/debtors/{debtor.id}/edit#f-{field}" in wheres
    assert f"/debtors/{debtor.id}#evidence" in wheres  # no bordereau, invoices not attached
    assert body["detail"].startswith(f"Requête refusée : {len(body['missing'])} points")


def test_no_cerfa_without_a_named_court(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    response = generate(owner_client, debtor.id, kind="cerfa", date="2026-11-22")
    text = unescape(response.text)
    assert response.status_code == 422
    refusal = text.split("Document non généré")[1][:300]
    assert "Juridiction nommée (nom et adresse)" in refusal  # before "Cerfa absent"
    assert "Cerfa" not in refusal


def test_a_court_named_once_is_proposed_for_the_next_debtor_of_that_town(
        owner_client, session, owner):
    debtor = durand_btp(session, owner)
    page = owner_client.get(f"/debtors/{debtor.id}").text
    assert "Proposée :" not in page
    owner_client.submit(f"/debtors/{debtor.id}/courts", {
        "court_kind": "tribunal_commerce", "court_name": "Tribunal de commerce d'Angers",
        "court_street": "Place du Général Leclerc", "court_postal_code": "49000",
        "court_city": "Angers"}, headers=HTMX)
    court = session.exec(select(Court)).one()
    other = Debtor(creditor_id=owner.creditor_id, legal_name="Bâti Loire", street="1 rue Haute",
                   postal_code="49100", city="ANGERS CEDEX 2")
    _set(session, other)
    page = unescape(owner_client.get(f"/debtors/{other.id}").text)
    assert "Proposée : Tribunal de commerce d'Angers, déjà retenue pour un débiteur" in page
    assert f'<option value="{court.id}" selected>' in page
    elsewhere = _set(session, Debtor(creditor_id=owner.creditor_id, legal_name="Nantes Bois",
                                     street="2 quai", postal_code="44000", city="Nantes"))
    assert "Proposée :" not in owner_client.get(f"/debtors/{elsewhere.id}").text


def test_the_checklist_links_items_14_and_15_to_their_forms(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    _set(session, _creditor(session, owner), natural_person=True)
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    readiness = page.split('id="readiness"')[1].split("</section>")[0]
    assert "Juridiction compétente identifiée et nommée (ville et adresse)" in readiness
    assert f'<a href="/debtors/{debtor.id}#documents">' in readiness
    assert "profession du créancier, nationalité du créancier" in readiness
    assert '<a href="/creditor#f-profession">Profil du créancier</a>' in readiness
