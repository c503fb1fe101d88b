"""Running a claim-file build as a job of the queue (app/queue.py, app/jobs.py).

`launch` puts a started job on the queue, whose worker calls `run`: it commits the job's
progress (0-100), attempt and worker in short sessions of its own, so any server answers the
progress bar. A failed build (missing exhibit file, unreadable PDF…) stores nothing and keeps
the reason, which names the exhibit; an unexpected error is retried, and after the last
attempt the job stops with its error, and `relaunch` ("Relancer") can queue it again. A build
runs once: a job already done is left as it is; its files are written by hash and its rows
in one transaction, so a worker killed midway leaves neither half a file nor an orphan row.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.documents.claimfile import ClaimFileError
from app.errors import DomainError
from app.models import ClaimFileJob, Debtor
from app.models.types import utcnow
from app.services import job_rows
from app.services.attempts import GAVE_UP, Attempt
from app.services.claim_file import RUNNING, current_job
from app.services.claim_file_build import build_version
from app.services.context import Actor
from app.storage import FileStore

if TYPE_CHECKING:
    from app.queue import Queue

log = logging.getLogger("contentieux")
UNEXPECTED = ("La construction s'est arrêtée sur une erreur inattendue ; rien n'a été "
              "enregistré. Relancez-la, et si elle revient, signalez le numéro du dossier.")
RETRYING = "Erreur inattendue à l'essai {n} : nouvel essai en cours."
NOT_QUEUED = ("La construction n'a pas pu être confiée au service des travaux en arrière-plan "
              "(indisponible) ; rien n'a été construit. Relancez-la.")
BUILD_TASK = "claim_file.build"  # app/jobs.py


def launch(session: Session, queue: Queue, job: ClaimFileJob) -> None:
    """Put the job on the queue; a queue that cannot take it fails the job, with why."""
    job_rows.defer(session, queue, BUILD_TASK, job, _finish, NOT_QUEUED)


def relaunch(session: Session, actor: Actor, queue: Queue, job: ClaimFileJob) -> None:
    """"Relancer": a failed build queued again, its attempts counted from zero."""
    actor.require_write()
    if job.status != "failed":
        raise DomainError("Seule une construction en échec peut être relancée.")
    debtor = session.get(Debtor, job.debtor_id)
    if debtor is not None and current_job(session, debtor) is not None:
        raise DomainError("Un dossier est déjà en cours de construction pour ce débiteur : "
                          "attendez qu'il soit prêt.")
    job_rows.requeue(session, actor, job, "Construction du dossier de créance relancée")
    launch(session, queue, job)


def run(engine: Engine, files_dir: Path, job_id: int, attempt: Attempt | None = None) -> None:
    """Build the job's version, once; the outcome (done or failed, with why) is committed.

    Without `attempt` (a test, no queue) an unexpected error fails the job at once. Within the
    queue it is raised again, for the queue to retry, until the last attempt."""
    with Session(engine) as session:
        job = session.get(ClaimFileJob, job_id)
        if job is None or job.status == "done":
            return  # already built: a job runs once
        attempt = (attempt or Attempt(1, "")).after(job.attempts if attempt else 0)
    if attempt.exhausted:
        _finish(engine, job_id, "failed", GAVE_UP.format(n=attempt.number - 1))
        return
    try:
        _build(engine, files_dir, job_id, attempt)
    except ClaimFileError as exc:
        _finish(engine, job_id, "failed", exc.message)
    except Exception:
        log.exception("claim file job %s failed (attempt %s)", job_id, attempt.number)
        if attempt.worker and not attempt.last:
            _finish(engine, job_id, "queued", RETRYING.format(n=attempt.number))
            raise
        _finish(engine, job_id, "failed", UNEXPECTED)
        if attempt.worker:
            raise


def _build(engine: Engine, files_dir: Path, job_id: int, attempt: Attempt) -> None:
    progress = Progress(engine, job_id)
    progress.start(attempt)
    store = FileStore(files_dir)
    with Session(engine, expire_on_commit=False) as session, \
            store.scratch(prefix="claim-file-") as scratch:
        job = session.get(ClaimFileJob, job_id)
        assert job is not None
        built = build_version(session, store, job, scratch, progress.report)
        session.refresh(job, with_for_update=True)  # a worker wrongly taken for dead may
        if job.status == "done":  # have finished it meanwhile: its version stands alone
            session.rollback()
            return
        job.status, job.progress, job.error = "done", 100, ""
        job.options = {**job.options, "version": built.version,
                       "volume_document_ids": [d.id for d in built.volumes]}
        job.pdf_document_id = built.volumes[0].id
        job.zip_document_id = built.package.id
        job.finished_at = utcnow()
        session.add(job)
        session.commit()


class Progress:
    """Commits the job's progress when the percentage changes, in a session of its own."""

    def __init__(self, engine: Engine, job_id: int) -> None:
        self.engine, self.job_id, self.last = engine, job_id, -1

    def start(self, attempt: Attempt) -> None:
        with Session(self.engine) as session:
            job = session.get(ClaimFileJob, self.job_id)
            assert job is not None
            job.status, job.progress = "running", 0
            job.attempts, job.worker = attempt.number, attempt.worker
            session.add(job)
            session.commit()
        self.last = 0

    def report(self, percent: int) -> None:
        percent = max(0, min(int(percent), 99))
        if percent <= self.last:
            return
        self.last = percent
        with Session(self.engine) as session:
            job = session.get(ClaimFileJob, self.job_id)
            if job is not None:
                job.progress = percent
                session.add(job)
                session.commit()


def _finish(engine: Engine, job_id: int, status: str, error: str) -> None:
    with Session(engine) as session:
        job = session.get(ClaimFileJob, job_id)
        if job is None:
            return
        job.status, job.error = status, error[:2000]
        job.finished_at = None if status in RUNNING else utcnow()
        session.add(job)
        session.commit()
