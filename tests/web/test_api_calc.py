"""The calculators' public API, on the contracts' own examples."""

from __future__ import annotations

import pytest

from app.services.context import Actor
from tests.conftest import Browser, api_token

WORKED_EXAMPLE = {
    "as_of": "2025-09-30", "debtor_kind": "professional", "formal_notice_date": None,
    "collective_proceedings_opened": None,
    "invoices": [{"number": "F-1", "amount": "1200.00", "issue_date": "2025-01-10",
                  "due_date": "2025-02-09", "contractual_rate": None}],
    "payments": [],
}


@pytest.fixture
def headers(client: Browser, owner: Actor) -> dict[str, str]:
    return api_token(client, "claire@lefevre.test")


def test_decompte_of_law_md_worked_example(client: Browser, headers: dict[str, str]) -> None:
    # 1200 × 141 × 13.15 / 36500 = 60.96 ; 1200 × 92 × 12.15 / 36500 = 36.75
    body = client.post("/api/v1/calc/decompte", json=WORKED_EXAMPLE, headers=headers).json()
    assert (body["principal"], body["interest"], body["indemnities"], body["total"]) == \
        ("1200.00", "97.71", "40.00", "1337.71")
    periods = body["invoices"][0]["periods"]
    assert [(p["start"], p["end"], p["days"], p["rate"], p["base"], p["amount"])
            for p in periods] == [
        ("2025-02-10", "2025-06-30", 141, "13.15", "1200.00", "60.96"),
        ("2025-07-01", "2025-09-30", 92, "12.15", "1200.00", "36.75"),
    ]
    assert all(p["rule"] for p in periods)
    assert body["invoices"][0]["indemnity"] == "40.00"


def test_decompte_with_partial_payment(client: Browser, headers: dict[str, str]) -> None:
    payload = {**WORKED_EXAMPLE, "payments": [{"invoice": "F-1", "date": "2025-06-01",
                                               "amount": "200.00"}]}
    body = client.post("/api/v1/calc/decompte", json=payload, headers=headers).json()
    assert body["principal"] != "1200.00"
    assert float(body["total"]) < 1337.71


def test_decompte_unknown_payment_invoice_is_422(client: Browser,
                                                 headers: dict[str, str]) -> None:
    payload = {**WORKED_EXAMPLE, "payments": [{"invoice": "F-9", "date": "2025-06-01",
                                               "amount": "1.00"}]}
    response = client.post("/api/v1/calc/decompte", json=payload, headers=headers)
    assert response.status_code == 422
    assert "facture inconnue : F-9" in response.json()["detail"][0]["msg"]


def test_deadline_contract_example(client: Browser, headers: dict[str, str]) -> None:
    # 31/01/2026 + 1 month → 28/02/2026, a Saturday → Monday 02/03/2026 (CPC 641, 642)
    body = client.post("/api/v1/calc/deadline", json={"start": "2026-01-31", "months": 1,
                                                      "days": 0, "department": "75"},
                       headers=headers).json()
    assert (body["nominal"], body["deadline"], body["extended"]) == \
        ("2026-02-28", "2026-03-02", True)
    assert "642" in body["reason"]


def test_deadline_good_friday_only_in_alsace_moselle(client: Browser,
                                                     headers: dict[str, str]) -> None:
    # Good Friday 2026 is 3 April: a holiday in Moselle (L3134-13), not in Paris.
    payload = {"start": "2026-03-24", "months": 0, "days": 10}
    paris = client.post("/api/v1/calc/deadline", json={**payload, "department": "75"},
                        headers=headers).json()
    metz = client.post("/api/v1/calc/deadline", json={**payload, "department": "57"},
                       headers=headers).json()
    assert paris["deadline"] == "2026-04-03"
    assert metz["deadline"] == "2026-04-07"  # Easter Monday 6 April too


def test_prescription_contract_example(client: Browser, headers: dict[str, str]) -> None:
    body = client.post("/api/v1/calc/prescription", json={
        "debtor_kind": "professional", "start": "2024-03-15",
        "events": [{"kind": "acknowledgment", "date": "2025-01-20"}], "as_of": "2026-11-22"},
        headers=headers).json()
    assert (body["deadline"], body["prescribed"], body["days_left"]) == \
        ("2030-01-20", False, 1155)
    assert body["explanation"]


def test_injonction_contract_example(client: Browser, headers: dict[str, str]) -> None:
    body = client.post("/api/v1/calc/injonction", json={
        "ordonnance_date": "2026-09-15", "service_date": "2026-10-01",
        "service_to_person": True, "debtor_location": "metropole"}, headers=headers).json()
    assert body["regime"] == "2026"
    assert body["service_deadline"] == "2026-12-15"
    assert body["opposition_deadline"] == "2026-11-02"  # 01/11 is a Sunday and All Saints
    assert body["enforceable_from"] is not None


def test_injonction_without_service_gives_only_the_service_deadline(
        client: Browser, headers: dict[str, str]) -> None:
    body = client.post("/api/v1/calc/injonction", json={
        "ordonnance_date": "2022-05-10", "service_date": None, "service_to_person": True,
        "debtor_location": "metropole"}, headers=headers).json()
    assert body["regime"] == "2022"
    assert body["service_deadline"] == "2022-11-10"
    assert body["opposition_deadline"] is None and body["enforceable_from"] is None


def test_calculators_require_a_token(client: Browser) -> None:
    assert client.post("/api/v1/calc/deadline", json={"start": "2026-01-31"}).status_code == 401


def test_bad_values_are_422_not_500(client: Browser, headers: dict[str, str]) -> None:
    for payload in ({"start": "2026-02-30"}, {"start": "2026-01-01", "months": -1},
                    {"start": "2026-01-01", "months": 10**9}):
        assert client.post("/api/v1/calc/deadline", json=payload,
                           headers=headers).status_code == 422
    response = client.post("/api/v1/calc/injonction", json={
        "ordonnance_date": "2026-09-15", "service_date": "2026-09-01"}, headers=headers)
    assert response.status_code == 422
