"""SIGKILL in the middle of a claim-file build, then a restart (the real server, SQLite in WAL):
the job is reported interrupted, the build's scratch folder and the files it had placed without
their rows are gone, `contentieux check` finds every row with its file and no orphan, and the
build runs again to the end."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import httpx2
from pypdf import PdfReader

from app.services.claim_file import INTERRUPTED
from tests.claim_file.conftest import text_pdf
from tests.durability.server import AppServer

EXHIBITS, PAGES = 40, 25  # about 1,000 pages: the build lasts long enough to be cut
DEBTOR = {"kind": "company", "legal_name": "Durand BTP", "city": "Angers", "country": "FR",
          "postal_code": "49000", "street": "3 rue des Lices"}
INVOICE = {"number": "F-2026-001", "issue_date": "2026-03-02", "due_date": "2026-04-01",
           "amount_ht": "1000.00", "amount_tva": "200.00", "amount_ttc": "1200.00"}


def poll(client: httpx2.Client, job_id: int, until: Any, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/v1/claim-files/{job_id}").json()
        if until(job):
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} never reached the state awaited")


def stored_files(files_dir: Path) -> set[str]:
    return {p.name for p in files_dir.rglob("*")
            if p.is_file() and ".tmp" not in p.relative_to(files_dir).parts}


def test_a_build_killed_midway_leaves_a_consistent_store_and_runs_again(
        server: AppServer) -> None:
    with httpx2.Client(base_url=server.url, headers=server.token(), timeout=60) as client:
        debtor = client.post("/api/v1/debtors", json=DEBTOR).json()
        assert client.post(f"/api/v1/debtors/{debtor['id']}/invoices",
                           json=INVOICE).status_code == 201
        for n in range(EXHIBITS):
            response = client.post(f"/api/v1/debtors/{debtor['id']}/evidence",
                                   files={"file": (f"bon-{n:02d}.pdf",
                                                   text_pdf(f"Bon de livraison {n}", PAGES),
                                                   "application/pdf")},
                                   data={"title": f"Bon de livraison {n}",
                                         "kind": "delivery_note"})
            assert response.status_code == 201, response.text
        before = stored_files(server.files_dir)

        job = client.post(f"/api/v1/debtors/{debtor['id']}/claim-file", json={}).json()
        running = poll(client, job["id"], lambda j: j["status"] == "running" and j["progress"] > 8
                       or j["status"] in ("done", "failed"))
        assert running["status"] == "running", "the build ended before the kill"
        server.kill()
    assert [p.name for p in (server.files_dir / ".tmp").glob("claim-file-*")], "no scratch folder"

    server.start()
    assert list((server.files_dir / ".tmp").iterdir()) == [], "the build left files in .tmp"
    assert stored_files(server.files_dir) == before, "the killed build left files behind"
    check = server.cli("check")
    assert check.returncode == 0, check.stdout + check.stderr

    with httpx2.Client(base_url=server.url, headers=server.token(), timeout=60) as client:
        cut = client.get(f"/api/v1/claim-files/{job['id']}").json()
        assert (cut["status"], cut["error"], cut["pdf_url"]) == ("failed", INTERRUPTED, None)
        again = client.post(f"/api/v1/debtors/{debtor['id']}/claim-file", json={})
        assert again.status_code == 202, again.text
        done = poll(client, again.json()["id"], lambda j: j["status"] in ("done", "failed"))
        assert done["status"] == "done", done["error"]
        pdf = client.get(done["pdf_url"])
        assert pdf.status_code == 200
        pages = len(PdfReader(io.BytesIO(pdf.content)).pages)
        assert pages > EXHIBITS * PAGES  # every exhibit, after the front matter
    check = server.cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
