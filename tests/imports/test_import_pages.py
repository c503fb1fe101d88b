"""The import pages: upload, preview, mapping, dry-run report, confirm, history, access."""

from __future__ import annotations

import re

from sqlmodel import select

from app.models import Debtor, ImportBatch
from tests.imports.builders import ledger
from tests.imports.test_import_spreadsheet import csv_bytes

FEC_NAME = "812345678FEC20261231.txt"


def upload(client, content: bytes, name: str = FEC_NAME, kind: str = "fec"):  # type: ignore[no-untyped-def]
    return client.post("/imports", data={"kind": kind, "csrf_token": client.csrf},
                       files={"file": (name, content, "text/plain")}, follow_redirects=False)


def batch_url(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_debtors_list_links_to_the_import(owner_client):
    page = owner_client.get("/debtors")
    assert 'href="/imports">Importer</a>' in page.text


def test_upload_fec_check_and_confirm(owner_client, session):
    url = batch_url(upload(owner_client, ledger().build("|", "cp1252")))
    page = owner_client.get(url)
    assert "Aperçu des premières lignes" in page.text and "séparateur « | »" in page.text
    checked = owner_client.submit(url + "/check", {"term_days": "30", "action": "check"})
    assert checked.status_code == 200  # followed the redirect
    assert "Simulation : ce que l&#39;import ferait" in checked.text
    counts = re.search(r"<td>Factures</td><td class=\"num strong\">(\d+)</td>", checked.text)
    assert counts and counts.group(1) == "4"
    assert 'name="due:F-2026-084" value="2026-10-04"' in checked.text
    assert session.exec(select(Debtor)).all() == []
    done = owner_client.submit(url + "/check", {"term_days": "30", "action": "apply",
                                                "due:F-2026-084": "2026-10-31"})
    assert "Résultat de l&#39;import" in done.text
    debtors = owner_client.get("/debtors").text
    assert "DURAND BTP" in debtors and "Crêperie Kérouac" in debtors
    history = owner_client.get("/imports").text
    assert FEC_NAME in history and "Importé" in history


def test_a_non_fec_file_is_refused_next_to_the_file_field(owner_client, session):
    response = upload(owner_client, csv_bytes(), "balance.csv", "fec")
    assert response.status_code == 422
    assert 'id="e-file"' in response.text and "n&#39;est pas un FEC" in response.text
    assert session.exec(select(ImportBatch)).all() == []


def test_csv_mapping_form_shows_the_guessed_columns(owner_client):
    url = batch_url(upload(owner_client, csv_bytes(), "balance.csv", "csv"))
    page = owner_client.get(url).text
    assert re.search(r'name="map_balance">.*?<option value="Reste dû" selected>', page, re.S)
    assert re.search(r'name="map_number">.*?<option value="N° facture" selected>', page, re.S)


def test_an_incomplete_mapping_is_shown_and_nothing_runs(owner_client):
    url = batch_url(upload(owner_client, csv_bytes(), "balance.csv", "csv"))
    response = owner_client.submit(url + "/check", {"map_number": "N° facture",
                                                    "action": "check"})
    assert response.status_code == 422
    assert 'id="e-mapping"' in response.text and "Associez une colonne" in response.text


def test_progress_fragment_asks_for_a_refresh_when_the_job_is_over(owner_client):
    url = batch_url(upload(owner_client, ledger().build()))
    response = owner_client.get(url + "/progress", headers={"HX-Request": "true"})
    assert response.headers["HX-Refresh"] == "true"


def test_the_uploaded_file_can_be_downloaded_as_it_was(owner_client):
    content = ledger().build()
    url = batch_url(upload(owner_client, content))
    assert owner_client.get(url + "/file").content == content


def test_outsider_cannot_see_another_creditors_import(client, owner, outsider, session):
    client.login("claire@lefevre.test")
    url = batch_url(upload(client, ledger().build()))
    client.post("/logout", data={"csrf_token": client.csrf})
    client.login("paul@roux.test")
    assert client.get(url).status_code == 404
    assert client.get(url + "/file").status_code == 404
    assert FEC_NAME not in client.get("/imports").text


def test_read_only_member_cannot_upload(client, reader):
    client.login("lea@lefevre.test")
    assert 'id="import-upload"' not in client.get("/imports").text
    assert upload(client, ledger().build()).status_code == 403
