"""Waiting for background jobs in tests: the in-process queue drained, then the job's row."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.models import ClaimFileJob, DocumentJob, ImportBatch
from app.queue import InlineQueue


def finished(queue: InlineQueue, model: type[Any], row_id: int) -> Any:
    """The row once the queue has run everything (polling the row itself would share the
    tests' one in-memory SQLite connection with the worker's thread)."""
    queue.drain()
    with Session(queue.runtime.engine, expire_on_commit=False) as session:
        row = session.get(model, row_id)
    assert row is not None
    return row


def finished_build(queue: InlineQueue, job_id: int) -> ClaimFileJob:
    job: ClaimFileJob = finished(queue, ClaimFileJob, job_id)
    return job


def finished_import(queue: InlineQueue, batch_id: int) -> ImportBatch:
    batch: ImportBatch = finished(queue, ImportBatch, batch_id)
    return batch


def finished_document(queue: InlineQueue, job_id: int) -> DocumentJob:
    job: DocumentJob = finished(queue, DocumentJob, job_id)
    return job
