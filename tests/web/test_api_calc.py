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


def test_injonction_gives_the_last_day_to_serve_extended_by_cpc_642(
        client: Browser, headers: dict[str, str]) -> None:
    # 2026 regime: 3 months from the ordonnance of 19/09/2026 end on Saturday 19/12/2026;
    # the ordonnance is void only after Monday 21/12 (CPC 642). The unextended term alone
    # read as "too late" a service on the Monday (review of stop 35).
    body = client.post("/api/v1/calc/injonction", json={
        "ordonnance_date": "2026-09-19", "service_date": None}, headers=headers).json()
    assert (body["service_deadline"], body["service_last_day"]) == ("2026-12-19", "2026-12-21")
    plain = client.post("/api/v1/calc/injonction", json={
        "ordonnance_date": "2026-09-15", "service_date": None}, headers=headers).json()
    assert plain["service_last_day"] == plain["service_deadline"] == "2026-12-15"


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


# Issue 13: the optional fields of the 30 November review, and the nullable opposition date.

CONSUMER = {**WORKED_EXAMPLE, "debtor_kind": "consumer"}


@pytest.mark.parametrize(("extra", "interest"), [
    # without the field (or false): no mise en demeure, no legal interest (C. civ. 1231-6)
    ({}, "0.00"),
    ({"notice_by_due_date": False}, "0.00"),
    # 1344 clause: 10/02–30/06/2025 = 141 days × 3.71 %: 1200 × 141 × 3.71 / 36500 = 17.198
    # → 17.20; 01/07–30/09 = 92 days × 2.76 %: 1200 × 92 × 2.76 / 36500 = 8.348 → 8.35
    ({"notice_by_due_date": True}, "25.55"),
])
def test_decompte_notice_by_due_date(client: Browser, headers: dict[str, str], extra: dict,
                                     interest: str) -> None:
    body = client.post("/api/v1/calc/decompte", json={**CONSUMER, **extra},
                       headers=headers).json()
    assert body["interest"] == interest
    assert any("seule échéance" in w for w in body["warnings"]) is bool(extra.get(
        "notice_by_due_date"))


def test_decompte_unassigned_payment_follows_1342_10(client: Browser,
                                                     headers: dict[str, str]) -> None:
    # A (default 13.15 %) is older, B bears 20 %: B is paid first (C. civ. 1342-10 al. 2).
    # B's interest 02/03–01/04/2025 = 31 days: 500 × 31 × 20 / 36500 = 8.49; principal
    # 300 − 8.49 = 291.51 → 208.49 left; A keeps its 1000.00.
    payload = {
        "as_of": "2025-04-30", "debtor_kind": "professional",
        "invoices": [
            {"number": "A", "amount": "1000.00", "issue_date": "2025-01-02",
             "due_date": "2025-02-01"},
            {"number": "B", "amount": "500.00", "issue_date": "2025-01-30",
             "due_date": "2025-03-01", "contractual_rate": "20.00"},
        ],
        "payments": [{"date": "2025-04-01", "amount": "300.00"}],
    }
    body = client.post("/api/v1/calc/decompte", json=payload, headers=headers).json()
    by_number = {inv["number"]: inv for inv in body["invoices"]}
    assert (by_number["A"]["principal"], by_number["B"]["principal"]) == ("1000.00", "208.49")
    after = [p for p in by_number["B"]["periods"] if p["start"] == "2025-04-02"]
    assert "dette au taux le plus élevé" in after[0]["rule"]
    assert "C. civ. 1342-10" in after[0]["rule"]


@pytest.mark.parametrize(("payload", "deadline"), [
    # delivery 10/03/2025 + 1 year (C. com. L133-6)
    ({"debtor_kind": "professional", "start": "2025-03-10", "events": [],
      "as_of": "2026-04-01", "claim": "goods_transport"}, "2026-03-10"),
    # 5 years from 15/01/2020 → 15/01/2025; suspended 01/12–20/12/2024 for impossibility
    # (2234): + 19 days → 03/02/2025, no 6-month minimum
    ({"debtor_kind": "professional", "start": "2020-01-15", "as_of": "2025-01-01", "events": [
        {"kind": "suspension_start", "date": "2024-12-01", "basis": "impossibility"},
        {"kind": "suspension_end", "date": "2024-12-20"}]}, "2025-02-03"),
    # same with instruction (2239): at least 20/12/2024 + 6 months = 20/06/2025
    ({"debtor_kind": "professional", "start": "2020-01-15", "as_of": "2025-01-01", "events": [
        {"kind": "suspension_start", "date": "2024-12-01", "basis": "instruction"},
        {"kind": "suspension_end", "date": "2024-12-20"}]}, "2025-06-20"),
    # start 01/03/2010 kept alive by acknowledgments; the ordonnance served 01/06/2026 runs to
    # 01/06/2031, past the 20-year long-stop of 01/03/2030 (C. civ. 2232 al. 2)
    ({"debtor_kind": "professional", "start": "2010-03-01", "as_of": "2026-11-30", "events": [
        {"kind": "acknowledgment", "date": "2014-03-01"},
        {"kind": "acknowledgment", "date": "2018-03-01"},
        {"kind": "acknowledgment", "date": "2022-03-01"},
        {"kind": "ip_service", "date": "2026-06-01"}]}, "2031-06-01"),
])
def test_prescription_optional_fields(client: Browser, headers: dict[str, str], payload: dict,
                                      deadline: str) -> None:
    body = client.post("/api/v1/calc/prescription", json=payload, headers=headers).json()
    assert body["deadline"] == deadline


def test_prescription_rejects_an_unknown_claim_or_basis(client: Browser,
                                                       headers: dict[str, str]) -> None:
    base = {"debtor_kind": "professional", "start": "2025-03-10", "as_of": "2026-04-01"}
    assert client.post("/api/v1/calc/prescription", json={**base, "claim": "rail"},
                       headers=headers).status_code == 422
    event = {"kind": "suspension_start", "date": "2025-04-01", "basis": "war"}
    assert client.post("/api/v1/calc/prescription", json={**base, "events": [event]},
                       headers=headers).status_code == 422


@pytest.mark.parametrize(("extra", "opposition", "enforceable"), [
    # not to the person: no opposition deadline (CPC 1416 al. 2); enforceable 2 months after
    # service, 01/12/2026 (Tuesday) → 02/12/2026 (1422)
    ({"service_to_person": False}, None, "2026-12-02"),
    # overseas court, overseas debtor (his own court): no extension (CPC 644) → 02/11/2026
    ({"court_location": "overseas", "debtor_location": "overseas"}, "2026-11-02",
     "2026-12-02"),
    # metropolitan court, overseas debtor: + 1 month (CPC 643) → 01/12/2026
    ({"debtor_location": "overseas"}, "2026-12-01", "2026-12-02"),
    # overseas court, metropolitan debtor: + 1 month (CPC 644) → 01/12/2026
    ({"court_location": "overseas"}, "2026-12-01", "2026-12-02"),
])
def test_injonction_optional_fields(client: Browser, headers: dict[str, str], extra: dict,
                                    opposition: str | None, enforceable: str) -> None:
    payload = {"ordonnance_date": "2026-09-15", "service_date": "2026-10-01",
               "service_to_person": True, "debtor_location": "metropole", **extra}
    body = client.post("/api/v1/calc/injonction", json=payload, headers=headers).json()
    assert (body["opposition_deadline"], body["enforceable_from"]) == (opposition, enforceable)


def test_openapi_documents_the_optional_fields(client: Browser,
                                               headers: dict[str, str]) -> None:
    schemas = client.get("/api/openapi.json", headers=headers).json()["components"]["schemas"]
    assert "1344" in schemas["DecompteIn"]["properties"]["notice_by_due_date"]["description"]
    assert "L133-6" in schemas["PrescriptionIn"]["properties"]["claim"]["description"]
    assert "2234" in schemas["PrescriptionEventIn"]["properties"]["basis"]["description"]
    assert "644" in schemas["InjonctionIn"]["properties"]["court_location"]["description"]
    opposition = schemas["InjonctionOut"]["properties"]["opposition_deadline"]
    assert "1416 al. 2" in opposition["description"]
    assert {"type": "null"} in opposition["anyOf"]
