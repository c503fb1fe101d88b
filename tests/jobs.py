"""Waiting for a background job in tests: poll its row until its status leaves `running`."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import ClaimFileJob, ImportBatch

BUILD_RUNNING = ("queued", "running")
IMPORT_RUNNING = ("checking", "applying")


def finished(engine: Engine, model: type[Any], row_id: int, running: tuple[str, ...],
             timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        with Session(engine) as session:
            row = session.get(model, row_id)
            assert row is not None
            if row.status not in running:
                return row
        if time.monotonic() > deadline:
            raise AssertionError(f"{model.__name__} {row_id} still {row.status} after {timeout} s")
        time.sleep(0.05)


def finished_build(engine: Engine, job_id: int, timeout: float = 120) -> ClaimFileJob:
    job: ClaimFileJob = finished(engine, ClaimFileJob, job_id, BUILD_RUNNING, timeout)
    return job


def finished_import(engine: Engine, batch_id: int, timeout: float = 120) -> ImportBatch:
    batch: ImportBatch = finished(engine, ImportBatch, batch_id, IMPORT_RUNNING, timeout)
    return batch
