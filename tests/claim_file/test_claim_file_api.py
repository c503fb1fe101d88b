"""The claim file over the API: 202 with the job, its status until done, downloads; 404 for
other creditors, 403 for read-only members, 422 in French for bad options."""

from __future__ import annotations

from tests.conftest import api_token
from tests.jobs import finished_build

KEYS = {"id", "status", "progress", "error", "pdf_url", "zip_url"}


def test_post_answers_202_with_the_job_then_get_gives_the_urls_once_done(
        client, owner, debtor, exhibits):  # type: ignore[no-untyped-def]
    headers = api_token(client, "claire@lefevre.test")

    started = client.post(f"/api/v1/debtors/{debtor.id}/claim-file", json={},
                          headers=headers)

    assert started.status_code == 202
    job = started.json()
    assert set(job) >= KEYS
    assert job["status"] == "queued" and job["progress"] == 0 and job["error"] == ""
    assert job["pdf_url"] is None and job["zip_url"] is None
    finished_build(client.app.state.queue, job["id"])
    done = client.get(f"/api/v1/claim-files/{job['id']}", headers=headers).json()
    assert done["status"] == "done" and done["progress"] == 100 and done["version"] == 1
    assert done["pdf_url"] == f"/api/v1/claim-files/{job['id']}/pdf"
    assert done["zip_url"] == f"/api/v1/claim-files/{job['id']}/zip"
    pdf = client.get(done["pdf_url"], headers=headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert client.get(done["zip_url"], headers=headers).content.startswith(b"PK")


def test_a_failed_job_reports_the_exhibit_and_has_no_urls(client, owner, store, debtor,
                                                          exhibits):  # type: ignore[no-untyped-def]
    headers = api_token(client, "claire@lefevre.test")
    store.path_for(exhibits["quote"].sha256).unlink()

    job = client.post(f"/api/v1/debtors/{debtor.id}/claim-file", headers=headers).json()
    finished_build(client.app.state.queue, job["id"])
    failed = client.get(f"/api/v1/claim-files/{job['id']}", headers=headers).json()

    assert failed["status"] == "failed"
    assert failed["error"] == "Pièce n° 1 « Devis D-12 signé » : le fichier est introuvable."
    assert failed["pdf_url"] is None and failed["zip_url"] is None
    assert client.get(f"/api/v1/claim-files/{job['id']}/pdf", headers=headers).status_code == 404


def test_options_are_checked_with_a_french_message(client, owner, debtor):  # type: ignore[no-untyped-def]
    headers = api_token(client, "claire@lefevre.test")

    response = client.post(f"/api/v1/debtors/{debtor.id}/claim-file",
                           json={"max_volume_mb": 0}, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "max_volume_mb"],
                                          "msg": "Nombre entier entre 1 et 2048 attendu.",
                                          "type": "value_error"}]


def test_another_creditor_gets_404(client, outsider, debtor, exhibits, build):  # type: ignore[no-untyped-def]
    job = build()
    headers = api_token(client, "paul@roux.test")

    assert client.get(f"/api/v1/claim-files/{job.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/claim-files/{job.id}/pdf", headers=headers).status_code == 404
    assert client.get(f"/api/v1/claim-files/{job.id}/zip", headers=headers).status_code == 404
    assert client.post(f"/api/v1/debtors/{debtor.id}/claim-file",
                       headers=headers).status_code == 404


def test_a_read_only_member_gets_403_on_post(client, reader, debtor, exhibits, build):  # type: ignore[no-untyped-def]
    job = build()
    headers = api_token(client, "lea@lefevre.test")

    assert client.post(f"/api/v1/debtors/{debtor.id}/claim-file",
                       headers=headers).status_code == 403
    assert client.get(f"/api/v1/claim-files/{job.id}", headers=headers).json()["status"] == "done"
