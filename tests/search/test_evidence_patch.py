"""PATCH /api/v1/evidence/{id}: kind, title, document date and invoices (numbers), the page
form's validation (French, per field, nothing saved), roles, audit, cached pages refreshed;
and each pièce says what its text suggests."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select

from app.models import AuditEvent
from app.services import evidence as exhibits
from tests.conftest import api_token
from tests.factories import make_invoice


@pytest.fixture
def auth(client, owner) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return api_token(client, "claire@lefevre.test")


def test_each_piece_says_what_its_text_suggests(client, auth, f140, delivery) -> None:
    body = client.get(f"/api/v1/evidence/{delivery.id}", headers=auth).json()
    assert body["text_status"] == "done"
    assert body["suggested_kind"] == "delivery_note"
    assert body["suggested_date"] == "2026-03-12"
    assert body["suggested_invoices"] == ["F-2026-140"]
    listed = client.get(f"/api/v1/debtors/{delivery.debtor_id}/evidence", headers=auth).json()
    assert listed[0]["suggested_invoices"] == ["F-2026-140"] and listed[0]["text_status"] == "done"


def test_patch_classifies_and_links(client, auth, session, f140, delivery) -> None:
    revision = session.exec(text("SELECT revision FROM creditor WHERE id = :id"),  # type: ignore[call-overload]
                            params={"id": delivery.creditor_id}).one()[0]
    response = client.patch(f"/api/v1/evidence/{delivery.id}", headers=auth, json={
        "kind": "delivery_note", "title": "BL-2026-77", "document_date": "2026-03-12",
        "invoices": ["F-2026-140"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["kind"], body["title"], body["document_date"], body["invoices"]) == (
        "delivery_note", "BL-2026-77", "2026-03-12", ["F-2026-140"])
    session.expire_all()
    links = exhibits.linked_invoices(session, [delivery.id])[delivery.id]
    assert [i.number for i in links] == ["F-2026-140"]
    [event] = session.exec(select(AuditEvent).where(AuditEvent.object_type == "evidence",
                                                    AuditEvent.action == "update")).all()
    assert event.changes["kind"] == ["other", "delivery_note"]
    after = session.exec(text("SELECT revision FROM creditor WHERE id = :id"),  # type: ignore[call-overload]
                         params={"id": delivery.creditor_id}).one()[0]
    assert after > revision


def test_patch_changes_only_the_fields_given(client, auth, session, owner, durand, f140,
                                             delivery) -> None:
    other = make_invoice(session, owner, durand, number="F-2026-141", issue_date="2026-03-20",
                         due_date="2026-04-19")
    client.patch(f"/api/v1/evidence/{delivery.id}", headers=auth,
                 json={"title": "PV", "document_date": "2026-03-12", "invoices": ["F-2026-140"]})
    body = client.patch(f"/api/v1/evidence/{delivery.id}", headers=auth,
                        json={"invoices": ["F-2026-141", "F-2026-140"]}).json()
    assert (body["title"], body["document_date"]) == ("PV", "2026-03-12")
    assert body["invoices"] == ["F-2026-140", other.number]
    cleared = client.patch(f"/api/v1/evidence/{delivery.id}", headers=auth,
                           json={"document_date": None, "invoices": []}).json()
    assert (cleared["document_date"], cleared["invoices"], cleared["title"]) == (None, [], "PV")


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"kind": "devis"}, "kind", "Choix invalide."),
    ({"document_date": "31/02/2026"}, "document_date", "Date"),
    ({"invoices": ["F-1999-001"]}, "invoices", "Facture inconnue pour ce débiteur : F-1999-001."),
    ({"title": "x" * 301}, "title", "300"),
    ({"number": 3}, "number", "Champ inconnu"),
    ({"invoices": 5}, "invoices", "Donnez une liste de numéros de facture."),
])
def test_bad_fields_answer_422_in_french_and_save_nothing(client, auth, session, f140,
                                                          delivery, body, field, message) -> None:
    response = client.patch(f"/api/v1/evidence/{delivery.id}", headers=auth, json=body)
    assert response.status_code == 422, response.text
    [error] = [e for e in response.json()["detail"] if e["loc"][-1] == field]
    assert message in error["msg"]
    session.expire_all()
    again = client.get(f"/api/v1/evidence/{delivery.id}", headers=auth).json()
    assert (again["kind"], again["title"], again["invoices"]) == ("other", "", [])


def test_an_invoice_of_another_debtor_is_refused(client, auth, session, owner, delivery) -> None:
    from tests.factories import make_debtor

    other = make_debtor(session, owner, legal_name="Martin SARL", siren="")
    make_invoice(session, owner, other, number="M-1")
    response = client.patch(f"/api/v1/evidence/{delivery.id}", headers=auth,
                            json={"invoices": ["M-1"]})
    assert response.status_code == 422
    assert "Facture inconnue pour ce débiteur : M-1." in response.text


def test_a_reader_may_not_patch(client, session, reader, delivery) -> None:
    auth = api_token(client, "lea@lefevre.test")
    response = client.patch(f"/api/v1/evidence/{delivery.id}", headers=auth,
                            json={"kind": "invoice"})
    assert response.status_code == 403


def test_another_creditor_gets_404(client, session, outsider, delivery) -> None:
    auth = api_token(client, "paul@roux.test")
    response = client.patch(f"/api/v1/evidence/{delivery.id}", headers=auth,
                            json={"kind": "invoice"})
    assert response.status_code == 404
