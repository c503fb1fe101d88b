"""The JSON API: token login, CRUD, French 422 field errors, 201 on create."""

from __future__ import annotations

from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser, api_token
from tests.factories import DURAND_SIREN

DEBTOR = {"kind": "company", "legal_name": "Durand BTP", "siren": DURAND_SIREN,
          "city": "Angers"}
INVOICE = {"number": "F-1", "issue_date": "2025-01-10", "due_date": "2025-02-09",
           "amount_ht": "1000.00", "amount_tva": "200.00", "amount_ttc": "1200.00"}


def test_token_with_wrong_password_is_401(client: Browser, owner: Actor) -> None:
    response = client.post("/api/v1/auth/token",
                           data={"username": "claire@lefevre.test", "password": "bad"})
    assert response.status_code == 401


def test_full_round_trip(client: Browser, owner: Actor) -> None:
    headers = api_token(client, "claire@lefevre.test")
    debtor = client.post("/api/v1/debtors", json=DEBTOR, headers=headers)
    assert debtor.status_code == 201
    debtor_id = debtor.json()["id"]
    invoice = client.post(f"/api/v1/debtors/{debtor_id}/invoices", json=INVOICE, headers=headers)
    assert invoice.status_code == 201
    assert invoice.json()["amount_ttc"] == "1200.00"
    invoice_id = invoice.json()["id"]
    payment = client.post(f"/api/v1/invoices/{invoice_id}/payments",
                          json={"date": "2025-02-01", "amount": "200.00"}, headers=headers)
    assert payment.status_code == 201  # in time: all of it to the price
    assert payment.json()["invoice_id"] == invoice_id
    step = client.post(f"/api/v1/debtors/{debtor_id}/steps",
                       json={"kind": "reminder", "date": "2025-03-01", "level": 2},
                       headers=headers)
    assert step.status_code == 201 and step.json()["level"] == 2
    read = client.get(f"/api/v1/debtors/{debtor_id}", headers=headers).json()
    assert read["outstanding"] == "1000.00"
    assert read["oldest_due_date"] == "2025-02-09"
    assert client.get(f"/api/v1/invoices/{invoice_id}", headers=headers).json()["balance"] == \
        "1000.00"
    listed = client.get("/api/v1/debtors", headers=headers).json()
    assert [d["legal_name"] for d in listed] == ["Durand BTP"]


def test_validation_errors_are_french_and_per_field(client: Browser, owner: Actor) -> None:
    headers = api_token(client, "claire@lefevre.test")
    debtor_id = client.post("/api/v1/debtors", json=DEBTOR, headers=headers).json()["id"]
    response = client.post(f"/api/v1/debtors/{debtor_id}/invoices",
                           json={**INVOICE, "amount_ttc": "9.99", "due_date": "2024-01-01"},
                           headers=headers)
    assert response.status_code == 422
    fields = {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}
    assert fields["due_date"] == "L'échéance ne peut pas précéder la date d'émission."
    assert fields["amount_ttc"].startswith("TTC ≠ HT + TVA")


def test_missing_body_field_is_422(client: Browser, owner: Actor) -> None:
    headers = api_token(client, "claire@lefevre.test")
    response = client.post("/api/v1/debtors", json={"kind": "company"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "legal_name"]


def test_update_debtor_and_delete_step(client: Browser, owner: Actor, session: Session) -> None:
    headers = api_token(client, "claire@lefevre.test")
    debtor_id = client.post("/api/v1/debtors", json=DEBTOR, headers=headers).json()["id"]
    updated = client.put(f"/api/v1/debtors/{debtor_id}", json={**DEBTOR, "city": "Cholet"},
                         headers=headers)
    assert updated.json()["city"] == "Cholet"
    step_id = client.post(f"/api/v1/debtors/{debtor_id}/steps",
                          json={"kind": "dispute", "date": "2025-03-01"}, headers=headers
                          ).json()["id"]
    assert client.delete(f"/api/v1/steps/{step_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/steps/{step_id}", headers=headers).status_code == 404


def test_invoice_with_payments_cannot_be_deleted(client: Browser, owner: Actor) -> None:
    headers = api_token(client, "claire@lefevre.test")
    debtor_id = client.post("/api/v1/debtors", json=DEBTOR, headers=headers).json()["id"]
    invoice_id = client.post(f"/api/v1/debtors/{debtor_id}/invoices", json=INVOICE,
                             headers=headers).json()["id"]
    client.post(f"/api/v1/invoices/{invoice_id}/payments",
                json={"date": "2025-06-01", "amount": "10.00"}, headers=headers)
    response = client.delete(f"/api/v1/invoices/{invoice_id}", headers=headers)
    assert response.status_code == 409
    assert "ne peut pas être supprimée" in response.json()["detail"]


def test_readonly_member_gets_403_on_writes(client: Browser, owner: Actor,
                                            reader: Actor) -> None:
    headers = api_token(client, "lea@lefevre.test")
    response = client.post("/api/v1/debtors", json=DEBTOR, headers=headers)
    assert response.status_code == 403
    assert client.get("/api/v1/debtors", headers=headers).status_code == 200


def test_openapi_documents_the_api_for_signed_in_users(client: Browser, owner: Actor) -> None:
    assert client.get("/api/openapi.json").status_code == 401
    assert client.get("/api/docs", follow_redirects=False).status_code == 303
    headers = api_token(client, "claire@lefevre.test")
    schema = client.get("/api/openapi.json", headers=headers).json()
    assert "/api/v1/debtors/{debtor_id}/invoices" in schema["paths"]
    client.login("claire@lefevre.test")
    page = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in page  # vendored, no CDN
    assert "<script>" not in page  # the CSP forbids inline scripts


def test_an_overpayment_is_refused_until_its_excess_is_placed(client: Browser,
                                                              owner: Actor) -> None:
    headers = api_token(client, "claire@lefevre.test")
    debtor_id = client.post("/api/v1/debtors", json=DEBTOR, headers=headers).json()["id"]
    invoice_id = client.post(f"/api/v1/debtors/{debtor_id}/invoices", json=INVOICE,
                             headers=headers).json()["id"]
    url = f"/api/v1/invoices/{invoice_id}/payments"
    refused = client.post(url, json={"date": "2025-06-01", "amount": "1500.00"}, headers=headers)
    assert refused.status_code == 422
    assert "dépasse de 251,58" in refused.text  # 48,42 € of penalties are paid first (1343-1)
    assert client.get(url, headers=headers).json() == []  # nothing saved
    saved = client.post(url, json={"date": "2025-06-01", "amount": "1500.00",
                                   "excess": "avoir"}, headers=headers)
    assert saved.status_code == 201
    assert "excédent en avoir" in saved.json()["reference"]
    assert saved.json()["excess"] == "avoir"  # kept aside: imputed on no other invoice
