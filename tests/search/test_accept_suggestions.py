"""Suggestions read from a pièce's text: shown pre-filled and marked in its edit form, never
applied without a click; "Accepter" on one pièce, "Tout accepter" on those checked."""

from __future__ import annotations

from datetime import date

from app.models import Evidence
from app.services import evidence as exhibits
from tests.search.conftest import piece

HX = {"HX-Request": "true"}


def fresh(session, evidence: Evidence) -> Evidence:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.get(Evidence, evidence.id)


def test_the_list_shows_the_suggestion_and_changes_nothing(owner_client, session, f140,
                                                           delivery) -> None:
    page = owner_client.get(f"/debtors/{delivery.debtor_id}").text
    box = page.split(f'id="suggestion-{delivery.id}"')[1].split("</div>")[0]
    assert "Suggéré d&#39;après le texte" in box or "Suggéré d'après le texte" in box
    assert "Bon de livraison" in box and "12/03/2026" in box and "F-2026-140" in box
    assert fresh(session, delivery).kind == "other"


def test_the_edit_form_is_prefilled_and_marked(owner_client, session, f140, delivery) -> None:
    form = owner_client.get(f"/evidence/{delivery.id}/edit", headers=HX).text
    assert "Suggéré d&#39;après le texte" in form or "Suggéré d'après le texte" in form
    assert '<option value="delivery_note" selected>' in form
    assert 'name="document_date" type="date" value="2026-03-12"' in form
    assert f'value="{f140.id}" checked' in form
    saved = fresh(session, delivery)
    assert (saved.kind, saved.document_date) == ("other", None)  # shown, not saved


def test_accept_applies_them_in_one_click(owner_client, session, f140, delivery) -> None:
    response = owner_client.submit(f"/evidence/{delivery.id}/accept", headers=HX)
    assert response.status_code == 200, response.text
    saved = fresh(session, delivery)
    assert (saved.kind, saved.document_date) == ("delivery_note", date(2026, 3, 12))
    assert [i.number for i in exhibits.linked_invoices(session, [saved.id])[saved.id]] == [
        "F-2026-140"]
    assert f'id="suggestion-{delivery.id}"' not in response.text  # nothing left to suggest


def test_unknown_invoice_numbers_are_not_suggested(owner_client, session, owner, durand) -> None:
    lone = piece(session, owner, durand, "Facture F-1999-9", suggested_invoices=["F-1999-9"])
    page = owner_client.get(f"/debtors/{durand.id}").text
    assert f'id="suggestion-{lone.id}"' not in page
    response = owner_client.submit(f"/evidence/{lone.id}/accept", headers=HX)
    assert "Aucune suggestion à appliquer pour cette pièce." in response.text


def test_accept_all_applies_them_to_the_pieces_checked(owner_client, session, owner, durand,
                                                       f140, delivery) -> None:
    quote = piece(session, owner, durand, "Devis bon pour accord", original_name="devis.pdf",
                  suggested_kind="signed_quote", suggested_date=date(2026, 2, 1))
    untouched = piece(session, owner, durand, "Relance", original_name="relance.pdf",
                      suggested_kind="reminder_copy")
    page = owner_client.get(f"/debtors/{durand.id}").text
    assert "Tout accepter" in page
    response = owner_client.post(f"/debtors/{durand.id}/evidence/accept", headers=HX, data={
        "csrf_token": owner_client.csrf, "selected": [str(delivery.id), str(quote.id)]})
    assert response.status_code == 200, response.text
    assert fresh(session, delivery).kind == "delivery_note"
    assert (fresh(session, quote).kind, fresh(session, quote).document_date) == (
        "signed_quote", date(2026, 2, 1))
    assert fresh(session, untouched).kind == "other"


def test_accept_all_with_nothing_checked_says_why(owner_client, durand, delivery) -> None:
    response = owner_client.post(f"/debtors/{durand.id}/evidence/accept", headers=HX,
                                 data={"csrf_token": owner_client.csrf})
    assert response.status_code == 422
    assert "Cochez au moins une pièce de la liste." in response.text


def test_a_reader_cannot_accept(client, session, reader, delivery) -> None:
    client.login("lea@lefevre.test")
    response = client.submit(f"/evidence/{delivery.id}/accept", headers=HX)
    assert response.status_code == 403
    assert fresh(session, delivery).kind == "other"
