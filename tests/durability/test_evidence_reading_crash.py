"""A pièce whose reading (OCR) is cut by SIGKILL does not stay "pending": it is read to the end.

- SQLite: the server reads pièces itself (inline queue). It is killed while OCRmyPDF runs on a
  scan, then started again: the pièce is read again (second attempt) and ends "done".
- PostgreSQL: two `contentieux worker`s. The one reading is killed while OCRmyPDF runs; the
  other takes the job over once the dead worker's heartbeat is overdue, and the dead worker's
  scratch folder is gone before it starts. The killed worker is started again while the other
  one reads: it leaves that reading alone.

In both: the OCR program of the killed process stops with it, the pièce ends "done" with its
text, no `ocr-*` scratch folder is left (nor OCRmyPDF's own temporary folder in the system's),
`contentieux check` is clean, and the store holds exactly the original and its OCR'd copy.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import img2pdf
import pytest
from sqlmodel import Session

from app import db
from app.evidence import ocr
from app.models import Evidence, EvidenceText
from tests.conftest import TEST_DB_URL
from tests.durability.server import AppServer, WorkerProcess, serving
from tests.durability.test_concurrency import stored_files

ISSUE_SCAN = Path(__file__).resolve().parents[1] / "samples" / "ocr" / "issue-bl-2026-77.jpg"
DEBTOR = {"kind": "company", "legal_name": "Durand BTP", "city": "Angers", "country": "FR"}
STALLED_SECONDS = "4"  # heartbeats every second; the periodic retry runs every 5 s
needs_ocr = pytest.mark.skipif(not ocr.available() and not os.environ.get("CI"),
                               reason="OCRmyPDF and Tesseract are not installed")
needs_postgres = pytest.mark.skipif(not TEST_DB_URL, reason="needs PostgreSQL: runs in the "
                                    "PostgreSQL run (CONTENTIEUX_TEST_DATABASE_URL)")


def scan_pdf() -> bytes:
    """A rasterised PDF (no text layer): OCR of two seconds or so, long enough to be cut."""
    return bytes(img2pdf.convert(ISSUE_SCAN.read_bytes(), nodate=True))


def scratch_folders(server: AppServer) -> list[Path]:
    temp = server.files_dir / ".tmp"
    return sorted(temp.glob("ocr-*")) if temp.exists() else []


def ocr_processes(server: AppServer) -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command line) of the OCR programs working in this store's scratch."""
    marker = str(server.files_dir / ".tmp" / "ocr-")
    found: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        if "ocrmypdf" in command and marker in command:
            found[int(entry.name)] = (parent, command)
    return found


def wait_for(what: str, found: Callable[[], object], timeout: float, log: Callable[[], str]
             ) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"{what}: not seen within {timeout} s\n{log()}")


def reading_by(server: AppServer, pids: set[int]) -> Callable[[], dict[int, str]]:
    """OCR programs run by one of `pids` (ocrmypdf → its scratch folder)."""
    def found() -> dict[int, str]:
        return {pid: command for pid, (parent, command) in ocr_processes(server).items()
                if parent in pids}
    return found


def folder_of(server: AppServer, command: str) -> Path:
    (folder,) = [f for f in scratch_folders(server) if str(f) in command]
    return folder


def upload_scan(server: AppServer) -> tuple[int, bytes]:
    scan = scan_pdf()
    with httpx2.Client(base_url=server.url, headers=server.token(), timeout=60) as client:
        debtor = client.post("/api/v1/debtors", json=DEBTOR).json()
        response = client.post(f"/api/v1/debtors/{debtor['id']}/evidence",
                               files={"file": ("scan-bl-2026-77.pdf", scan, "application/pdf")},
                               data={"title": "Bon de livraison", "kind": "other"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"]), scan


def stops_with_its_process(server: AppServer, killed_ocr: dict[int, str]) -> None:
    """The OCR program of a killed process does not go on working for nobody."""
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline and set(killed_ocr) & set(ocr_processes(server)):
        time.sleep(0.02)
    assert not set(killed_ocr) & set(ocr_processes(server)), \
        "OCRmyPDF went on after the process that ran it was killed"


def ended(server: AppServer, evidence_id: int, log: Callable[[], str]) -> dict[str, object]:
    with httpx2.Client(base_url=server.url, headers=server.token(), timeout=60) as client:
        def done() -> dict[str, object] | None:
            state: dict[str, object] = client.get(f"/api/v1/evidence/{evidence_id}").json()
            return state if state["text_status"] in ("done", "failed") else None
        return wait_for("the end of the reading", done, 60, log)  # type: ignore[return-value]


def read_to_the_end(server: AppServer, database_url: str, evidence_id: int, scan: bytes,
                    state: dict[str, object]) -> None:
    """The pièce's text, its OCR'd copy, the store and `contentieux check` once it is read."""
    assert state["text_status"] == "done", state
    assert state["meta"]["text_attempts"] == 2  # type: ignore[index]
    assert state["suggested_kind"] == "delivery_note"
    engine = db.make_engine(database_url)
    try:
        with Session(engine) as session:
            evidence = session.get(Evidence, evidence_id)
            text = session.get(EvidenceText, evidence_id)
            assert evidence is not None and text is not None
            assert evidence.text_source == "ocr" and "BL-2026-77" in text.text
            original, copy = evidence.sha256, evidence.ocr_sha256
    finally:
        engine.dispose()
    files = stored_files(server.files_dir)
    assert set(files) == {original, copy}, "the store holds other files than the original " \
        "and its OCR'd copy"
    assert files[original].read_bytes() == scan
    assert files[copy].read_bytes().startswith(b"%PDF")
    assert scratch_folders(server) == [], "an OCR scratch folder was left"
    assert list(Path(server.settings["TMPDIR"]).glob("ocrmypdf*")) == [], "OCRmyPDF left files"
    check = server.cli("check")
    assert check.returncode == 0, check.stdout + check.stderr


@needs_ocr
def test_a_server_killed_in_the_middle_of_ocr_reads_the_piece_again_at_its_start(
        tmp_path: Path) -> None:
    system_temp = tmp_path / "tmp"
    system_temp.mkdir()
    with serving(tmp_path / "data", CONTENTIEUX_READ_EVIDENCE="true",
                 TMPDIR=str(system_temp)) as server:
        evidence_id, scan = upload_scan(server)
        assert server.process is not None
        running = wait_for("OCRmyPDF in the server", reading_by(server, {server.process.pid}),
                           30, server.log)
        (command,) = running.values()  # type: ignore[attr-defined]
        dead_folder = folder_of(server, command)
        server.kill()
        stops_with_its_process(server, running)  # type: ignore[arg-type]

        server.start()
        assert not dead_folder.exists(), "the killed server's scratch folder survived its restart"
        state = ended(server, evidence_id, server.log)
        read_to_the_end(server, server.settings.get("CONTENTIEUX_DATABASE_URL")
                        or f"sqlite:///{server.data_dir / 'contentieux.sqlite3'}",
                        evidence_id, scan, state)


@pytest.fixture
def cluster(tmp_path: Path, scratch_database_url: str
            ) -> Iterator[tuple[AppServer, list[WorkerProcess]]]:
    settings = {"CONTENTIEUX_DATABASE_URL": scratch_database_url,
                "CONTENTIEUX_STALLED_SECONDS": STALLED_SECONDS,
                "CONTENTIEUX_READ_EVIDENCE": "true", "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    server = AppServer(tmp_path / "shared", settings=settings)
    server.create_user()
    workers = [WorkerProcess(server, "worker-1"), WorkerProcess(server, "worker-2")]
    try:
        server.start()
        for worker in workers:
            worker.start()
        yield server, workers
    finally:
        for worker in workers:
            worker.stop()
        server.stop()


@needs_ocr
@needs_postgres
def test_a_worker_killed_in_the_middle_of_ocr_leaves_the_piece_to_a_live_worker(
        cluster: tuple[AppServer, list[WorkerProcess]]) -> None:
    server, workers = cluster

    def logs() -> str:
        return "".join(f"\n--- {w.name} (alive: {w.alive()}):\n{w.log()}" for w in workers)

    evidence_id, scan = upload_scan(server)
    running = wait_for("OCRmyPDF in a worker", reading_by(server, {w.pid for w in workers}),
                       30, logs)
    ((pid, command),) = running.items()  # type: ignore[attr-defined]
    holder = next(w for w in workers if w.pid == ocr_processes(server)[pid][0])
    other = next(w for w in workers if w is not holder)
    dead_folder = folder_of(server, command)
    holder.kill()
    stops_with_its_process(server, running)  # type: ignore[arg-type]

    # The live worker takes the job over once the dead one's heartbeat is overdue; by then the
    # dead worker's scratch folder is gone: no start of any process was needed for that.
    taken = wait_for("OCRmyPDF in the live worker", reading_by(server, {other.pid}), 30, logs)
    ((_, live_command),) = taken.items()  # type: ignore[attr-defined]
    live_folder = folder_of(server, live_command)
    assert not dead_folder.exists(), "the killed worker's scratch folder was left behind"
    holder.start()  # started again while the other one reads: it must leave that alone
    state = ended(server, evidence_id, logs)
    assert live_folder != dead_folder
    read_to_the_end(server, server.settings["CONTENTIEUX_DATABASE_URL"], evidence_id, scan,
                    state)
    assert holder.alive() and other.alive(), logs()
