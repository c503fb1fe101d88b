"""Several machines' worth of processes on one PostgreSQL and one shared data folder: two app
servers on different ports and two `contentieux worker`s.

A claim-file build started through server A shows its progress through server B; the worker
holding it is killed with SIGKILL, and the other one finishes it once the dead worker's
heartbeat is overdue. An import started on A completes while only B is asked how it goes.
`contentieux check` is clean at the end. Runs in the PostgreSQL run of the suite
(CONTENTIEUX_TEST_DATABASE_URL), in a database of its own.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from pypdf import PdfReader

from tests.claim_file.conftest import text_pdf
from tests.conftest import TEST_DB_URL
from tests.durability.server import EMAIL, PASSWORD, AppServer, WorkerProcess
from tests.durability.test_claim_file_crash import DEBTOR, INVOICE
from tests.imports.builders import Fec

pytestmark = pytest.mark.skipif(not TEST_DB_URL, reason="needs PostgreSQL: runs in the "
                                "PostgreSQL run (CONTENTIEUX_TEST_DATABASE_URL)")
EXHIBITS, PAGES = 30, 25  # a build of some seconds: long enough to be cut
STALLED_SECONDS = "5"  # heartbeats every 1.25 s: a loaded machine still keeps them
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def cluster(tmp_path: Path, scratch_database_url: str
            ) -> Iterator[tuple[AppServer, AppServer, list[WorkerProcess]]]:
    settings = {"CONTENTIEUX_DATABASE_URL": scratch_database_url,
                "CONTENTIEUX_STALLED_SECONDS": STALLED_SECONDS}
    shared = tmp_path / "shared"
    a = AppServer(shared, settings=settings, name="server-a")
    b = AppServer(shared, settings=settings, name="server-b")
    a.create_user()
    workers = [WorkerProcess(a, "worker-1"), WorkerProcess(a, "worker-2")]
    try:
        a.start()
        b.start()
        for worker in workers:
            worker.start()
        yield a, b, workers
    finally:
        for worker in workers:
            worker.stop()
        a.stop()
        b.stop()


def poll(client: httpx2.Client, url: str, until: Callable[[dict[str, Any]], bool],
         timeout: float = 120, logs: list[WorkerProcess] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state: dict[str, Any] = client.get(url).json()
        if until(state):
            return state
        time.sleep(0.05)
    told = "".join(f"\n--- {w.name} (alive: {w.alive()}):\n{w.log()}" for w in logs)
    raise AssertionError(f"{url} never reached the state awaited: {state}{told}")


def build_through_a_then_b(a: AppServer, b: AppServer, workers: list[WorkerProcess]) -> None:
    with httpx2.Client(base_url=a.url, headers=a.token(), timeout=60) as on_a, \
            httpx2.Client(base_url=b.url, headers=b.token(), timeout=60) as on_b:
        debtor = on_a.post("/api/v1/debtors", json=DEBTOR).json()
        assert on_a.post(f"/api/v1/debtors/{debtor['id']}/invoices", json=INVOICE).status_code == 201
        for n in range(EXHIBITS):
            response = on_a.post(f"/api/v1/debtors/{debtor['id']}/evidence",
                                 files={"file": (f"bon-{n:02d}.pdf",
                                                 text_pdf(f"Bon de livraison {n}", PAGES),
                                                 "application/pdf")},
                                 data={"title": f"Bon de livraison {n}", "kind": "delivery_note"})
            assert response.status_code == 201, response.text
        job = on_a.post(f"/api/v1/debtors/{debtor['id']}/claim-file", json={}).json()
        url = f"/api/v1/claim-files/{job['id']}"

        running = poll(on_b, url, lambda j: j["status"] == "running" and j["progress"] > 8
                       or j["status"] in ("done", "failed"), logs=workers)
        assert running["status"] == "running", "the build ended before the kill"
        holder = next(w for w in workers if running["worker"].endswith(f":{w.pid}"))
        other = next(w for w in workers if w is not holder)
        holder.kill()

        done = poll(on_b, url, lambda j: j["status"] in ("done", "failed"), logs=workers)
        assert done["status"] == "done", done["error"] + other.log()
        assert done["attempts"] == 2 and done["worker"].endswith(f":{other.pid}")
        pdf = on_b.get(done["pdf_url"])
        assert pdf.status_code == 200
        assert len(PdfReader(io.BytesIO(pdf.content)).pages) > EXHIBITS * PAGES


def big_fec(customers: int = 250, sales: int = 12) -> bytes:
    """Over 1 MB: checked and applied on the queue, not within the request."""
    fec = Fec()
    for c in range(customers):
        for s in range(sales):
            fec.sale(f"202609{s + 1:02d}", f"C{c:04d}", f"Client {c:04d}", f"F-{c:04d}-{s:02d}",
                     f"{100 + s}.00")
    content = fec.build()
    assert len(content) > 1_000_000
    return content


@contextmanager
def web_client(server: AppServer) -> Iterator[tuple[httpx2.Client, str]]:
    """A signed-in browser session on `server`, and its CSRF token."""
    with httpx2.Client(base_url=server.url, timeout=60) as client:
        signed = client.post("/login", data={"email": EMAIL, "password": PASSWORD, "next": "/"})
        assert signed.status_code in (200, 303), signed.text
        match = CSRF_RE.search(client.get("/creditor").text)
        assert match
        yield client, match.group(1)


def import_on_a_asked_on_b(a: AppServer, b: AppServer) -> None:
    with web_client(a) as (browser, csrf), \
            httpx2.Client(base_url=b.url, headers=b.token(), timeout=60) as on_b:
        uploaded = browser.post("/imports", data={"kind": "fec", "csrf_token": csrf},
                                files={"file": ("812345678FEC20261231.txt", big_fec(),
                                                "text/plain")})
        assert uploaded.status_code == 303, uploaded.text
        batch_url = uploaded.headers["location"]
        url = "/api/v1" + batch_url
        for action, status in (("check", "checked"), ("apply", "done")):
            started = browser.post(batch_url + "/check", data={"csrf_token": csrf,
                                                               "term_days": "30",
                                                               "action": action})
            assert started.status_code == 303, started.text
            ended = poll(on_b, url, lambda i: i["status"] not in ("checking", "applying"))
            assert ended["status"] == status, ended["error"]
        assert ended["report"]["invoices"]["created"] == 3000


def test_two_servers_two_workers_one_database(cluster) -> None:  # type: ignore[no-untyped-def]
    a, b, workers = cluster
    build_through_a_then_b(a, b, workers)
    import_on_a_asked_on_b(a, b)
    check = a.cli("check")
    assert check.returncode == 0, check.stdout + check.stderr
