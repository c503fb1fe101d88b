"""Rows waiting for a queue job that does not exist: failed with why, so "Relancer" shows.

A claim-file build, an import step, a document to render or a pièce to read is committed as
queued (or checking, applying, pending) and then deferred to the queue. A defer that raises is
caught at once (claim_file_run.launch, import_jobs.launch, document_jobs.launch,
evidence_text.launch); a server killed between the commit and the defer leaves a row that no
job will ever run. With PostgreSQL's queue, a periodic task (app/jobs.py) lists the jobs the
queue still holds (to do or running) and hands them to `sweep`: a row still orphaned
`GRACE_SECONDS` after it was first seen so (time for a defer under way to land) is failed,
with the reason. Sightings are kept in the worker's memory: with several workers, each one
counts its own; the row fails at the latest a grace period after one worker saw it twice.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import ClaimFileJob, DocumentJob, ImportBatch
from app.models.types import utcnow
from app.services import claim_file, claim_file_run, document_jobs, evidence_text, import_jobs

GRACE_SECONDS = 60.0
BUILD, IMPORT, DOCUMENT, READING = "claim_file", "import", "document", "reading"
Key = tuple[str, int]
_seen: dict[Key, float] = {}  # orphan → when this process first saw it (monotonic seconds)


def waiting(engine: Engine) -> set[Key]:
    """Rows that say a job of the queue is running them, or will."""
    with Session(engine) as session:
        builds = session.exec(select(ClaimFileJob.id).where(
            col(ClaimFileJob.status).in_(claim_file.RUNNING)))
        batches = session.exec(select(ImportBatch.id).where(
            col(ImportBatch.status).in_(import_jobs.RUNNING)))
        papers = session.exec(select(DocumentJob.id).where(
            col(DocumentJob.status).in_(document_jobs.RUNNING)))
        unread = evidence_text.pending_ids(session)
        return ({(BUILD, i) for i in builds if i} | {(IMPORT, i) for i in batches if i}
                | {(DOCUMENT, i) for i in papers if i} | {(READING, i) for i in unread})


def sweep(engine: Engine, live: set[Key], now: float) -> int:
    """Fail the rows orphaned for GRACE_SECONDS (`live`: the rows a queue job still holds);
    how many."""
    orphans = waiting(engine) - live
    for key in set(_seen) - orphans:
        del _seen[key]
    failed = 0
    for key in orphans:
        if now - _seen.setdefault(key, now) >= GRACE_SECONDS:
            failed += _fail(engine, key)
            del _seen[key]
    return failed


def _fail(engine: Engine, key: Key) -> int:
    kind, row_id = key
    if kind == READING:
        return evidence_text.fail_unqueued(engine, row_id)
    model, running, message = {
        BUILD: (ClaimFileJob, claim_file.RUNNING, claim_file_run.NOT_QUEUED),
        IMPORT: (ImportBatch, import_jobs.RUNNING, import_jobs.NOT_QUEUED),
        DOCUMENT: (DocumentJob, document_jobs.RUNNING, document_jobs.NOT_QUEUED),
    }[kind]
    with Session(engine) as session:  # only if still waiting: a job may have come meanwhile
        row = session.get(model, row_id, with_for_update=True)
        if row is None or row.status not in running:
            return 0
        row.status, row.error, row.progress = "failed", message, 0
        if isinstance(row, ClaimFileJob | DocumentJob):
            row.finished_at = utcnow()
        session.add(row)
        session.commit()
    return 1
