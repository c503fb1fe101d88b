"""The déclaration de créance of a debtor in liquidation: generated, versioned, recorded as sent
(C. com. L622-24, L622-25, L622-28, R622-23). And nothing else is offered for that debtor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape

from sqlmodel import select

from app.models import Debtor, Evidence, GeneratedDocument, Step
from app.services.declarations import declared_decompte
from tests.documents.scenario import durand_btp
from tests.factories import make_invoice, make_step
from tests.web.test_generate_documents import _prove_invoices, generate, text_of

HTMX = {"HX-Request": "true"}
MANDATAIRE = "Me Anne Martin, mandataire judiciaire"
MANDATAIRE_ADDRESS = "5 rue Saint-Aubin, 49100 Angers"


def in_liquidation(session, owner, **values) -> Debtor:  # type: ignore[no-untyped-def]
    """Durand BTP, liquidation opened 01/08/2025, BODACC 10/08/2025."""
    debtor = durand_btp(session, owner)
    values = {"proceedings_kind": "liquidation", "proceedings_judgment_date": date(2025, 8, 1),
              "proceedings_bodacc_date": date(2025, 8, 10), "proceedings_mandataire": MANDATAIRE,
              "proceedings_mandataire_address": MANDATAIRE_ADDRESS, **values}
    for name, value in values.items():
        setattr(debtor, name, value)
    session.add(debtor)
    session.commit()
    return debtor


def declare(client, debtor, **fields):  # type: ignore[no-untyped-def]
    return generate(client, debtor.id, kind="declaration_creance", **fields)


def flat(pdf: bytes) -> str:
    return " ".join(text_of(pdf).split())


def test_the_declaration_states_the_sums_at_the_opening_and_what_falls_due_later(
        owner_client, session, owner):
    debtor = in_liquidation(session, owner)
    _prove_invoices(session, debtor)
    make_step(session, owner, debtor, kind="requete_filed", date="2025-07-15", level="",
              reference="RG 25/0042")
    response = declare(owner_client, debtor,
                       security="clause de réserve de propriété (CGV du 10/01/2025)")
    page = unescape(response.text)
    assert response.status_code == 200, page
    assert "Déclaration de créance v1 générée" in page
    # R622-24 via the alerts: BODACC 10/08/2025 + 2 months
    assert "URGENT — à adresser au mandataire au plus tard le 10/10/2025" in page
    document = session.exec(select(GeneratedDocument)).one()
    assert (document.kind, document.status) == ("declaration_creance", "draft")
    text = flat(owner_client.get(f"/documents/{document.id}/download").content)
    assert MANDATAIRE in text and MANDATAIRE_ADDRESS in text
    assert "liquidation judiciaire ouverte par jugement du 1er août 2025" in text
    assert "Sommes dues au jour du jugement d'ouverture (01/08/2025)" in text
    # Interest stops on 31/07/2025 (L622-28). F-2025-001: 1 200,00 € due 09/02/2025:
    # 10/02–30/06 141 d at 13,15 % = 60,96; 01/07–31/07 31 d at 12,15 % = 12,38; + 40 €
    # = 1 313,34. F-2025-007: 3 480,00 € due 02/04/2025, 500 € paid 01/06 (75,23 € of
    # interest first, C. civ. 1343-1): base 3 055,23; 02/06–30/06 29 d = 31,92;
    # 01/07–31/07 31 d = 31,53; + 40 € = 3 158,68. Due: 4 472,02 €.
    assert "Total dû au 01/08/2025 4 472,02 €" in text
    # F-2025-020, due 15/10/2025, after the opening: to fall due, no interest, no 40 €.
    assert "F-2025-020 15/09/2025 15/10/2025 600,00 €" in text
    assert "Montant total déclaré 5 072,02 €" in text
    assert "clause de réserve de propriété (CGV du 10/01/2025)" in text
    assert "du lendemain de chaque échéance jusqu'au 31/07/2025 inclus, veille du jugement " \
        "d'ouverture, qui arrête le cours des intérêts (article L622-28" in text
    assert "requête en injonction de payer déposée le 15/07/2025 (réf. RG 25/0042)" in text
    assert "Bordereau des pièces justificatives" in text and "invoice F-2025-001" in text
    assert "Décompte des sommes dues au 01/08/2025" in text
    assert "du lendemain de l'échéance au 31/07/2025 inclus" in text  # the annex
    assert document.params["total"] == "5072.02"


def test_a_declaration_without_the_mandataire_is_refused_listing_everything(
        owner_client, session, owner):
    debtor = in_liquidation(session, owner, proceedings_mandataire="",
                            proceedings_mandataire_address="")
    response = declare(owner_client, debtor)
    text = unescape(response.text)
    assert response.status_code == 422
    assert "Déclaration de créance refusée : 3 points" in text
    assert f'href="/debtors/{debtor.id}/edit#f-proceedings_mandataire"' in text
    assert f'href="/debtors/{debtor.id}/edit#f-proceedings_mandataire_address"' in text
    assert "Pièces justificatives à joindre sous bordereau" in text
    assert session.exec(select(GeneratedDocument)).all() == []


def test_no_declaration_for_a_debtor_without_collective_proceedings(client, session, owner):
    from tests.conftest import api_token

    debtor = durand_btp(session, owner)
    headers = api_token(client, "claire@lefevre.test")
    response = client.post(f"/api/v1/debtors/{debtor.id}/documents", headers=headers,
                           json={"kind": "declaration_creance", "date": "2025-09-30"})
    assert response.status_code == 409
    assert "Aucune procédure collective" in response.json()["detail"]


def test_the_declaration_is_versioned_and_recorded_as_sent_once(owner_client, session, owner):
    debtor = in_liquidation(session, owner)
    _prove_invoices(session, debtor)
    declare(owner_client, debtor)
    declare(owner_client, debtor, channel="lre")
    drafts = session.exec(select(GeneratedDocument).order_by(GeneratedDocument.version)).all()
    assert [(d.version, d.status) for d in drafts] == [(1, "draft"), (2, "draft")]
    sent = owner_client.submit(f"/documents/{drafts[1].id}/sent",
                               {"sent_on": "2025-10-02", "reference": "1A 111 222 333 4",
                                "channel": "lrar"}, headers=HTMX)
    assert sent.status_code == 200, unescape(sent.text)
    session.expire_all()
    step = session.exec(select(Step).where(Step.kind == "claim_declaration")).one()
    assert (step.date, step.reference, step.channel) == (date(2025, 10, 2), "1A 111 222 333 4",
                                                         "lrar")
    exhibit = session.exec(select(Evidence).where(Evidence.kind == "other")).one()
    assert exhibit.title == ("Déclaration de créance du 30/09/2025 (envoyée le 02/10/2025, "
                             "n° 1A 111 222 333 4)")
    assert session.get(GeneratedDocument, drafts[1].id).status == "sent"  # type: ignore[union-attr]
    final = flat(owner_client.get(f"/documents/{drafts[1].id}/download").content)
    assert "PROJET" not in final and "1A 111 222 333 4" in final
    # Declared: the deadline alert is gone; prescription now runs from the declaration.
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "Déclarer la créance avant le" not in page


def test_a_debtor_in_liquidation_is_offered_the_declaration_only(owner_client, session, owner):
    debtor = in_liquidation(session, owner)
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    documents = page.split('id="documents"')[1].split("</section>")[0]
    assert '<option value="declaration_creance"' in documents
    for never in ('value="mise_en_demeure"', 'value="relance_1"', 'value="requete_injonction"',
                  'value="cerfa"', "Juridiction (requête)"):
        assert never not in documents, never
    alerts = page.split('id="alerts"')[1].split("</section>")[0].lower()
    for never in ("injonction", "mise en demeure", "signifi", "paiement"):
        assert never not in alerts, never
    readiness = page.split('id="readiness"')[1].split("</section>")[0]
    assert "Juridiction compétente</h3>" not in readiness
    assert "Envoyer une mise en demeure" not in readiness


def test_an_opening_recorded_as_a_step_is_the_same_proceedings_everywhere(
        owner_client, session, owner):
    # Review 39: "Ouverture d'une procédure collective" recorded as a démarche, the debtor's
    # form left empty: the page, the letters and the déclaration read it as the stage does.
    debtor = durand_btp(session, owner)
    _prove_invoices(session, debtor)
    make_step(session, owner, debtor, kind="collective_proceedings", date="2025-08-01",
              level="", channel="")
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    assert "Procédure collective depuis le 01/08/2025" in page
    documents = page.split('id="documents"')[1].split("</section>")[0]
    assert '<option value="declaration_creance"' in documents
    assert 'value="relance_1"' not in documents and 'value="requete_injonction"' not in documents
    alerts = page.split('id="alerts"')[1].split("</section>")[0]
    assert "Déclarer la créance" in alerts  # 2 months from the opening, BODACC unknown
    refused = generate(owner_client, debtor.id, kind="relance_1")
    assert refused.status_code == 422 and "L622-21" in unescape(refused.text)
    assert "procédure collective depuis le 01/08/2025" in unescape(refused.text)
    # the déclaration names the procedure: the form must say which; the step gives the date
    response = declare(owner_client, debtor)
    text = unescape(response.text)
    assert response.status_code == 422, text
    assert "Nature de la procédure collective" in text
    assert "date du jugement d'ouverture" not in text.lower()
    assert declared_decompte(session, debtor).interest_until == date(2025, 7, 31)
    # the debtors list marks it as it marks proceedings named by the form
    row = unescape(owner_client.get("/debtors").text).split(f'href="/debtors/{debtor.id}"')[1]
    assert '<span class="badge danger">Procédure collective</span>' in row.split("</tr>")[0]


def test_a_letter_drafted_before_the_opening_can_no_longer_be_sent(owner_client, session, owner):
    debtor = durand_btp(session, owner)
    generate(owner_client, debtor.id, kind="relance_1")
    draft = session.exec(select(GeneratedDocument)).one()
    debtor.proceedings_kind, debtor.proceedings_judgment_date = "redressement", date(2025, 10, 1)
    session.add(debtor)
    session.commit()
    page = unescape(owner_client.get(f"/debtors/{debtor.id}").text)
    documents = page.split('id="documents"')[1].split("</section>")[0]
    assert "Non envoyé (procédure collective)" in documents
    assert f"/documents/{draft.id}/sent" not in documents
    assert f"/documents/{draft.id}/email" not in documents
    sent = owner_client.submit(f"/documents/{draft.id}/sent",
                               {"sent_on": "2025-10-02", "channel": "email"}, headers=HTMX)
    assert sent.status_code == 422 and "L622-21" in unescape(sent.text)
    assert owner_client.get(f"/documents/{draft.id}/email").status_code >= 400
    session.expire_all()
    assert session.exec(select(Step).where(Step.kind == "reminder")).all() == []


def test_an_invoice_due_the_eve_of_the_opening_keeps_its_40_euros(session, owner):
    """Only invoices due on or after the opening lose the 40 € (L441-10 II, LAW.md §2.5 rule
    8): one due the eve was late when the judgment came. It was figured at the eve, when it
    was not late yet, and declared without its 40 €."""
    debtor = in_liquidation(session, owner)
    make_invoice(session, owner, debtor, number="F-2025-031", issue_date="2025-07-01",
                 due_date="2025-07-31", amount_ht="500.00", amount_tva="100.00",
                 amount_ttc="600.00")
    make_invoice(session, owner, debtor, number="F-2025-032", issue_date="2025-07-02",
                 due_date="2025-08-01", amount_ht="500.00", amount_tva="100.00",
                 amount_ttc="600.00")
    rows = {row.number: row for row in declared_decompte(session, debtor).invoices}
    eve, opening_day = rows["F-2025-031"], rows["F-2025-032"]
    assert (eve.indemnity, eve.interest, eve.periods) == (Decimal("40.00"), Decimal("0"), ())
    assert (opening_day.indemnity, opening_day.interest) == (Decimal("0"), Decimal("0"))


def test_a_redressement_is_a_procedure_opened_not_a_feminine_noun(owner_client, session, owner):
    # Seen: "redressement judiciaire ouverte par jugement", "dans la redressement judiciaire"
    debtor = in_liquidation(session, owner, proceedings_kind="redressement")
    _prove_invoices(session, debtor)
    declare(owner_client, debtor)
    document = session.exec(select(GeneratedDocument)).one()
    text = flat(owner_client.get(f"/documents/{document.id}/download").content)
    assert "procédure de redressement judiciaire ouverte par jugement du 1er août 2025" in text
    assert "dans la procédure de redressement judiciaire" in text
    assert "dans la redressement" not in text
    # a draft, as a mise en demeure's (seen without the mark)
    assert "PROJET — document non envoyé" in text
