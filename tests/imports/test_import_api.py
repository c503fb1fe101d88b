"""POST /api/v1/imports: the report as JSON, the same refusals as the pages."""

from __future__ import annotations

import json

from sqlmodel import select

from app.models import Invoice
from tests.conftest import api_token
from tests.imports.builders import ledger
from tests.imports.test_import_spreadsheet import csv_bytes

FEC_NAME = "812345678FEC20261231.txt"


def post(client, headers, content: bytes, **data: str):  # type: ignore[no-untyped-def]
    name = data.pop("name", FEC_NAME)
    return client.post("/api/v1/imports", headers=headers, data=data,
                       files={"file": (name, content, "application/octet-stream")})


def test_dry_run_returns_the_report_and_writes_no_invoice(client, owner, session):
    headers = api_token(client, "claire@lefevre.test")
    response = post(client, headers, ledger().build(), kind="fec")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "checked" and body["kind"] == "fec"
    assert body["report"]["invoices"] == {"created": 4, "updated": 0, "skipped": 1}
    assert body["report"]["applied"] is False
    assert session.exec(select(Invoice)).all() == []


def test_import_without_dry_run_creates_and_a_second_one_duplicates_nothing(client, owner,
                                                                            session):
    headers = api_token(client, "claire@lefevre.test")
    first = post(client, headers, ledger().build(), kind="fec", dry_run="false")
    assert first.status_code == 201 and first.json()["status"] == "done"
    second = post(client, headers, ledger().build(), kind="fec", dry_run="false")
    assert second.json()["report"]["invoices"]["created"] == 0
    assert len(session.exec(select(Invoice)).all()) == 4


def test_csv_with_a_json_mapping(client, owner):
    headers = api_token(client, "claire@lefevre.test")
    mapping = {"number": "N° facture", "debtor_name": "Client", "issue_date": "Date",
               "amount_ttc": "Reste dû"}
    response = post(client, headers, csv_bytes(), kind="csv", name="balance.csv",
                    mapping=json.dumps(mapping))
    assert response.status_code == 200, response.text
    report = response.json()["report"]
    assert report["refused_count"] == 2  # the bad "Montant TTC" cell is not read here
    assert {"line": 9, "reason": "N° de facture manquant."} in report["refusals"]


def test_a_non_fec_file_is_a_422_on_the_file_field(client, owner):
    headers = api_token(client, "claire@lefevre.test")
    response = post(client, headers, csv_bytes(), kind="fec")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "file"] and "n'est pas un FEC" in error["msg"]


def test_bad_mapping_and_bad_kind_are_422(client, owner):
    headers = api_token(client, "claire@lefevre.test")
    bad_json = post(client, headers, csv_bytes(), kind="csv", name="b.csv", mapping="{oops")
    assert bad_json.json()["detail"][0]["loc"] == ["body", "mapping"]
    incomplete = post(client, headers, csv_bytes(), kind="csv", name="b.csv",
                      mapping=json.dumps({"number": "N° facture"}))
    assert incomplete.status_code == 422
    assert "Associez une colonne" in incomplete.json()["detail"][0]["msg"]
    bad_kind = post(client, headers, csv_bytes(), kind="ods")
    assert bad_kind.status_code == 422 and bad_kind.json()["detail"][0]["loc"] == ["body", "kind"]


def test_outsider_gets_404_and_an_empty_list(client, owner, outsider):
    owner_headers = api_token(client, "claire@lefevre.test")
    batch_id = post(client, owner_headers, ledger().build(), kind="fec").json()["id"]
    headers = api_token(client, "paul@roux.test")
    assert client.get(f"/api/v1/imports/{batch_id}", headers=headers).status_code == 404
    assert client.get("/api/v1/imports", headers=headers).json() == []
    assert client.get(f"/api/v1/imports/{batch_id}", headers=owner_headers).status_code == 200


def test_read_only_member_gets_403(client, reader):
    headers = api_token(client, "lea@lefevre.test")
    assert post(client, headers, ledger().build(), kind="fec").status_code == 403
