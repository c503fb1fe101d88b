"""SIGKILL in the middle of a claim-file build, then a restart (the real server, SQLite in WAL,
jobs run in the server's process): the build's scratch folder and the files it had placed
without their rows are gone, `contentieux check` finds every row with its file and no orphan,
and the same job runs again to the end, as its second attempt."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import httpx2
from pypdf import PdfReader

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


def emptied(folder: Path, timeout: float = 10) -> bool:
    """The folder is empty, or becomes so (a build commits, then removes its scratch)."""
    deadline = time.monotonic() + timeout
    while any(folder.iterdir()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


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
    with httpx2.Client(base_url=server.url, headers=server.token(), timeout=60) as client:
        done = poll(client, job["id"], lambda j: j["status"] in ("done", "failed"))
        assert done["status"] == "done", done["error"]
        assert done["attempts"] == 2
        assert emptied(server.files_dir / ".tmp"), "a build left files in .tmp"
        assert len(stored_files(server.files_dir) - before) == 2, "not just the PDF and the ZIP"
        pdf = client.get(done["pdf_url"])
        assert pdf.status_code == 200
        pages = len(PdfReader(io.BytesIO(pdf.content)).pages)
        assert pages > EXHIBITS * PAGES  # every exhibit, after the front matter
    check = server.cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
