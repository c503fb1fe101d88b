"""A pièce's reading cut short never leaves it "pending" for ever (issue 19).

- Its server died between marking it "pending" and queueing its job: the queue's orphan sweep
  (`queue.fail_orphans`, app/services/orphans.py) fails it after the grace period, with why,
  and spares the pièces a job still holds; "Relire le texte" queues it again.
- Its reading was killed three times (each attempt recorded on the pièce): the next one fails
  it, with why, instead of trying for ever; read again on request, it ends "done".
- OCRmyPDF dies with the process that runs it, even killed by SIGKILL.
The kill itself, against the real server and workers: tests/durability/test_evidence_reading_crash.py.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import jobs
from app.config import Settings
from app.evidence import ocr
from app.models import Debtor, Evidence
from app.models.types import utcnow
from app.queue import RUNTIME, MemoryConnector, Runtime, make_app
from app.services import evidence_text, orphans
from app.services.attempts import Attempt
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import TODAY, Browser
from tests.evidence.conftest import LIMIT_MB
from tests.evidence.test_evidence_text import RecordingQueue, add, read_now

GRACE = orphans.GRACE_SECONDS


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", today=TODAY, max_upload_mb=LIMIT_MB,
                    read_evidence=True)


@pytest.fixture(autouse=True)
def _no_sightings() -> Iterator[None]:
    orphans._seen.clear()
    yield
    orphans._seen.clear()


def pending(session: Session, owner: Actor, store: FileStore, debtor: Debtor, name: str,
            **meta: object) -> Evidence:
    """A pièce committed "pending" (by `launch`, or by a reading that was then killed)."""
    evidence = add(session, owner, store, debtor, name)
    evidence.text_status, evidence.meta = "pending", {**evidence.meta, **meta}
    session.add(evidence)
    session.commit()
    return evidence


def test_a_pending_piece_no_job_will_read_fails_with_why_and_can_be_read_again(
        owner_client: Browser, engine: Engine, session: Session, owner: Actor,
        store: FileStore, durand: Debtor, settings: Settings) -> None:
    lost = pending(session, owner, store, durand, "text_quote_signed.pdf")
    queued = pending(session, owner, store, durand, "scanned_delivery_note.pdf")
    withdrawn = pending(session, owner, store, durand, "screenshot.png")
    withdrawn.withdrawn_at = utcnow()  # withdrawn while its reading was queued
    session.add(withdrawn)
    session.commit()
    queue_app = make_app(MemoryConnector())

    async def sweep_twice() -> list[int]:
        async with queue_app.open_async():
            await queue_app.configure_task(jobs.READ_EVIDENCE).defer_async(evidence_id=queued.id)
            context = SimpleNamespace(app=queue_app,
                                      additional_context={RUNTIME: Runtime(engine, settings)})
            first = await jobs.fail_orphan_jobs(context, 0)  # type: ignore[arg-type]
            for key in orphans._seen:
                orphans._seen[key] -= GRACE  # a minute later
            return [first, await jobs.fail_orphan_jobs(context, 0)]  # type: ignore[arg-type]

    # In a thread of its own: an earlier test (Playwright's sync API) may leave an event loop
    # running in this one, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, sweep_twice()).result(timeout=120) == [0, 2]
    session.expire_all()
    assert session.get(Evidence, queued.id).text_status == "pending"  # type: ignore[union-attr]
    assert session.get(Evidence, withdrawn.id).text_status == "failed"  # type: ignore[union-attr]
    row = session.get(Evidence, lost.id)
    assert row is not None and row.text_status == "failed"
    assert row.meta["text_error"] == evidence_text.job.NOT_QUEUED

    badge = owner_client.get(f"/evidence/{lost.id}/text-status").text
    assert "Texte illisible" in badge and "n&#39;a pas pu être confiée" in badge
    assert "Relire le texte" in badge
    queue = RecordingQueue()
    owner_client.app.state.queue = queue  # type: ignore[attr-defined]
    response = owner_client.post(f"/evidence/{lost.id}/read",
                                 data={"csrf_token": owner_client.csrf},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'data-text-status="pending"' in response.text
    assert queue.deferred == [("evidence.read", {"evidence_id": lost.id})]
    assert read_now(engine, store, lost, ocr_on=False).text_status == "done"


def test_a_reading_killed_three_times_is_failed_with_why_then_read_again_on_request(
        engine: Engine, session: Session, owner: Actor, store: FileStore,
        durand: Debtor) -> None:
    # Three attempts began and were killed (each recorded on the pièce before reading): the
    # queue runs the job a fourth time (PostgreSQL: retried as stalled; SQLite: deferred
    # again at the server's start, attempt 1 of a new job, counted after the recorded 3).
    evidence = pending(session, owner, store, durand, "text_quote_signed.pdf", text_attempts=3)
    row = read_now(engine, store, evidence, attempt=Attempt(1, "host:1"), ocr_on=False)
    assert row.text_status == "failed"
    assert row.meta["text_error"] == (
        "La lecture du texte a été interrompue 3 fois (serveur arrêté, ou fichier trop lourd) : "
        "abandonnée. « Relire le texte » la relance ; si cela recommence, signalez-le.")

    queue = RecordingQueue()
    session.expire_all()
    evidence_text.relaunch(session, owner, queue, session.get(Evidence, evidence.id))  # type: ignore[arg-type]
    assert queue.deferred == [("evidence.read", {"evidence_id": evidence.id})]
    row = read_now(engine, store, evidence, attempt=Attempt(1, "host:1"), ocr_on=False)
    assert (row.text_status, row.meta["text_attempts"]) == ("done", 1)


CALLER = """
import subprocess, sys
from app.evidence import ocr
child = subprocess.Popen(ocr.bound_to_caller(["sleep", "60"]))
print(child.pid, flush=True)
child.wait()
"""


def test_the_ocr_program_dies_with_the_process_that_runs_it() -> None:
    caller = subprocess.Popen([sys.executable, "-c", CALLER], stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(Path(ocr.__file__).parents[2])})
    assert caller.stdout is not None
    child = int(caller.stdout.readline())
    try:
        deadline = time.monotonic() + 10  # setpriv has set the signal once it runs `sleep`
        while command_of(child) != "sleep" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert alive(child) and command_of(child) == "sleep"
        caller.send_signal(signal.SIGKILL)  # a worker killed mid-OCR
        caller.wait(timeout=10)
        deadline = time.monotonic() + 2
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not alive(child), "the program went on after its caller was killed"
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)  # the test's own `sleep`, left by a failure


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# OCRmyPDF runs Tesseract and Ghostscript as its own children: a stand-in that starts one.
STUCK_OCRMYPDF = """#!/bin/sh
sleep 60 &
echo $! > "$GRANDCHILD_PID"
wait
"""


def test_an_ocr_past_its_time_leaves_no_program_behind(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The timeout kills OCRmyPDF's whole process group, not OCRmyPDF alone: a Tesseract
    stuck on a page would otherwise go on burning a core for nobody."""
    programs = tmp_path / "bin"
    programs.mkdir()
    fake = programs / "ocrmypdf"
    fake.write_text(STUCK_OCRMYPDF)
    fake.chmod(0o755)
    pid_file = tmp_path / "grandchild.pid"
    monkeypatch.setenv("PATH", f"{programs}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GRANDCHILD_PID", str(pid_file))
    monkeypatch.setattr(ocr, "BASE_SECONDS", 1)
    monkeypatch.setattr(ocr, "SECONDS_PER_PAGE", 0)
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4\n")
    grandchild = 0
    try:
        with pytest.raises(ocr.OcrFailed, match="trop de temps"):
            ocr.ocr_file(source, "application/pdf", tmp_path)
        grandchild = int(pid_file.read_text())
        deadline = time.monotonic() + 2
        while alive(grandchild) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not alive(grandchild), "OCRmyPDF's child went on after the timeout"
    finally:
        if grandchild and alive(grandchild):
            os.kill(grandchild, signal.SIGKILL)
