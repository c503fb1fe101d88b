"""A row committed as queued whose defer never reached the queue (its server was killed in
between) does not wait for ever: the periodic `queue.fail_orphans` fails it, with why, after
a grace period, and "Relancer" runs it again (app/services/orphans.py, app/jobs.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from sqlmodel import Session

from app import jobs
from app.models import ClaimFileJob, ImportBatch
from app.queue import RUNTIME, MemoryConnector, Runtime, make_app
from app.services import claim_file_run, import_jobs, orphans
from tests.factories import make_debtor
from tests.imports.builders import ledger

GRACE = orphans.GRACE_SECONDS


@pytest.fixture(autouse=True)
def _no_sightings() -> Iterator[None]:
    orphans._seen.clear()
    yield
    orphans._seen.clear()


def waiting_rows(session: Session, owner, upload) -> tuple[ImportBatch, ClaimFileJob]:  # type: ignore[no-untyped-def]
    batch = upload(owner, ledger().build())
    batch.status = "checking"  # committed by import_jobs.launch, then the server died
    job = ClaimFileJob(creditor_id=owner.creditor_id, created_by=owner.user_id,
                       debtor_id=make_debtor(session, owner).id, options={})
    session.add_all([batch, job])
    session.commit()
    return batch, job


def test_a_row_no_job_holds_fails_after_the_grace_period_then_can_be_relaunched(
        session, owner, upload, engine, owner_client):  # type: ignore[no-untyped-def]
    batch, job = waiting_rows(session, owner, upload)
    assert orphans.sweep(engine, set(), now=100.0) == 0  # a defer may be under way
    held = {(orphans.IMPORT, batch.id), (orphans.BUILD, job.id)}
    assert orphans.sweep(engine, held, now=100.0 + GRACE) == 0  # a job holds them: forgotten
    assert orphans.sweep(engine, set(), now=200.0) == 0  # orphans again: the grace starts over
    assert orphans.sweep(engine, {(orphans.BUILD, job.id)}, now=200.0 + GRACE) == 1
    session.expire_all()
    assert (session.get(ImportBatch, batch.id).status,
            session.get(ImportBatch, batch.id).error) == ("failed", import_jobs.NOT_QUEUED)
    assert session.get(ClaimFileJob, job.id).status == "queued"
    assert orphans.sweep(engine, set(), now=300.0) == 0
    assert orphans.sweep(engine, set(), now=300.0 + GRACE) == 1
    session.expire_all()
    build = session.get(ClaimFileJob, job.id)
    assert (build.status, build.error) == ("failed", claim_file_run.NOT_QUEUED)
    assert build.finished_at is not None

    page = owner_client.get(f"/imports/{batch.id}").text
    assert 'id="import-retry"' in page
    assert owner_client.submit(f"/imports/{batch.id}/check", {"action": "check"}).status_code == 200
    session.expire_all()
    assert session.get(ImportBatch, batch.id).status == "checked"


def test_the_periodic_task_spares_the_rows_the_queue_holds(session, owner, upload, engine,
                                                           settings):  # type: ignore[no-untyped-def]
    batch, job = waiting_rows(session, owner, upload)
    queue_app = make_app(MemoryConnector())

    async def sweep_twice() -> list[int]:
        async with queue_app.open_async():
            await queue_app.configure_task(jobs.CHECK_IMPORT).defer_async(
                batch_id=batch.id, user_id=owner.user_id, role="owner")
            context = SimpleNamespace(app=queue_app,
                                      additional_context={RUNTIME: Runtime(engine, settings)})
            first = await jobs.fail_orphan_jobs(context, 0)  # type: ignore[arg-type]
            orphans._seen[(orphans.BUILD, job.id)] -= GRACE  # a minute later
            return [first, await jobs.fail_orphan_jobs(context, 0)]  # type: ignore[arg-type]

    # In a thread of its own: an earlier test (Playwright's sync API) may leave an event loop
    # running in this one, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, sweep_twice()).result(timeout=120) == [0, 1]
    session.expire_all()
    assert session.get(ImportBatch, batch.id).status == "checking"  # its job is queued
    assert session.get(ClaimFileJob, job.id).status == "failed"
