"""What the job rows of claim-file builds and document renderings share: being put on the
queue (or failed at once, with why, when the queue cannot take them) and "Relancer"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.services import audit
from app.services.context import Actor

if TYPE_CHECKING:
    from datetime import datetime

    from app.queue import Queue

log = logging.getLogger("contentieux")
Finish = Callable[[Engine, int, str, str], None]  # (engine, job id, status, error)


class JobRow(Protocol):
    id: int | None
    debtor_id: int
    status: str
    progress: int
    error: str
    attempts: int
    finished_at: datetime | None


def defer(session: Session, queue: Queue, task: str, job: JobRow, finish: Finish,
          not_queued: str) -> None:
    """Put the committed job on the queue; a queue that cannot take it fails the job, with
    why: the row must not wait for a job that does not exist."""
    try:
        queue.defer(task, job_id=job.id)
    except Exception:
        log.exception("%s job %s could not be queued", task, job.id)
        session.rollback()
        finish(session.get_bind(), job.id, "failed", not_queued)  # type: ignore[arg-type]
        session.refresh(job)


def requeue(session: Session, actor: Actor, job: JobRow, summary: str) -> None:
    """"Relancer": the failed job queued again, its attempts counted from zero, audited."""
    job.status, job.progress, job.error, job.attempts, job.finished_at = \
        "queued", 0, "", 0, None
    session.add(job)
    audit.record(session, actor, action="update", obj=job, debtor_id=job.debtor_id,
                 summary=summary, changes={})
    session.commit()
