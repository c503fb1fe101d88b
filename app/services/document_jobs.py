"""Letters, requête, Cerfa and déclaration de créance rendered as jobs of the queue.

Rendering a paper (WeasyPrint, pypdf) takes longer than a request may. The debtor page's
request only checks it (`check`: the same refusals as `documents.generate`, shown at once next
to the form), records a queued `DocumentJob` with the form's fields (`start`) and puts it on the
queue (`launch`, task `documents.render` of app/jobs.py). The worker's `run` renders and records
the version and marks the job done in one transaction, so a job run again (a retry, a worker
taken for dead) never makes a second version. Progress, attempts, worker and error live on the
job's row: any server answers the page's polling. An unexpected error is retried; after the
last attempt the job stops with its error, and `relaunch` ("Relancer") queues it again. A
refusal found at run time (the file changed meanwhile) is final at once, with its reason.

`documents.generate` stays the synchronous way (the API, the reminder runs).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.errors import DocumentRefused, DomainError, NotFound
from app.models import Debtor, DocumentJob, GeneratedDocument
from app.models.types import utcnow
from app.services import cerfa_forms, job_rows
from app.services import documents as docs
from app.services.attempts import GAVE_UP, Attempt
from app.services.context import Actor
from app.storage import FileStore
from app.vocabulary import DOCUMENT_KINDS

if TYPE_CHECKING:
    from app.queue import Queue

log = logging.getLogger("contentieux")
RENDER_TASK = "documents.render"  # app/jobs.py
RUNNING = ("queued", "running")
CERFA = "cerfa"
FIELDS = ("kind", "date", "deadline_days", "channel", "court_id", "refer_if_opposed", "security")
UNEXPECTED = ("La génération s'est arrêtée sur une erreur inattendue ; aucun document n'a été "
              "enregistré. Relancez-la, et si elle revient, signalez-le.")
RETRYING = "Erreur inattendue à l'essai {n} : nouvel essai en cours."
NOT_QUEUED = ("La génération n'a pas pu être confiée au service des travaux en arrière-plan "
              "(indisponible) ; aucun document n'a été enregistré. Relancez-la.")


# ---------------------------------------------------------------- asking for one


def check(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any],
          forms_dir: Path) -> tuple[str, ...]:
    """The refusals of the paper asked for, before any rendering; its warnings otherwise."""
    if data.get("kind") == CERFA:
        return cerfa_forms.check_cerfa(session, actor, debtor, data, forms_dir).warnings
    return docs.check(session, actor, debtor, data).warnings


def start(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any],
          forms_dir: Path) -> DocumentJob:
    """Check the request, then record a queued job with its fields (committed)."""
    check(session, actor, debtor, data, forms_dir)
    options = {k: str(data[k]) for k in FIELDS if data.get(k) not in (None, "")}
    job = DocumentJob(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                      kind=str(data.get("kind") or "relance_1"), options=options,
                      created_by=actor.user_id)
    session.add(job)  # the history records the version once made (documents.store_document)
    session.commit()
    return job


def label(job: DocumentJob) -> str:
    return "Requête Cerfa" if job.kind == CERFA else DOCUMENT_KINDS.get(job.kind, job.kind)


def launch(session: Session, queue: Queue, job: DocumentJob) -> None:
    """Put the job on the queue; a queue that cannot take it fails the job, with why."""
    job_rows.defer(session, queue, RENDER_TASK, job, _finish, NOT_QUEUED)


def relaunch(session: Session, actor: Actor, queue: Queue, job: DocumentJob) -> None:
    """"Relancer": a failed job queued again, its attempts counted from zero."""
    actor.require_write()
    if job.status != "failed":
        raise DomainError("Seule une génération en échec peut être relancée.")
    job_rows.requeue(session, actor, job, f"Génération relancée : {label(job)}")
    launch(session, queue, job)


# ---------------------------------------------------------------- reading


def get(session: Session, actor: Actor, job_id: int) -> DocumentJob:
    job = session.get(DocumentJob, job_id)
    if job is None or job.creditor_id != actor.creditor_id:
        raise NotFound("Génération")
    return job


def result(session: Session, job: DocumentJob) -> dict[str, Any] | None:
    """What the documents section shows of a finished job: its version and warnings."""
    document = session.get(GeneratedDocument, job.document_id) if job.document_id else None
    if job.status != "done" or document is None:
        return None
    return {"document": document, "warnings": tuple(document.params.get("warnings", ()))}


# Read at every render of a debtor's page: built once (building it cost more than running it).
LATEST = select(DocumentJob).where(DocumentJob.debtor_id == bindparam("debtor_id")) \
    .order_by(col(DocumentJob.id).desc()).limit(1)


def pending(session: Session, debtor: Debtor) -> DocumentJob | None:
    """The debtor's latest job if it is not done (running, or failed with its error)."""
    latest = session.exec(LATEST, params={"debtor_id": debtor.id}).first()
    return latest if latest is not None and latest.status != "done" else None


# ---------------------------------------------------------------- running


def run(engine: Engine, files_dir: Path, forms_dir: Path, job_id: int,
        attempt: Attempt | None = None) -> None:
    """Render the job's paper, once; the outcome (done or failed, with why) is committed.

    Without `attempt` (a test, no queue) an unexpected error fails the job at once. Within the
    queue it is raised again, for the queue to retry, until the last attempt."""
    with Session(engine) as session:
        job = session.get(DocumentJob, job_id)
        if job is None or job.status == "done" or job.document_id is not None:
            return  # already rendered: a job makes one version
        attempt = (attempt or Attempt(1, "")).after(job.attempts if attempt else 0)
    if attempt.exhausted:
        _finish(engine, job_id, "failed", GAVE_UP.format(n=attempt.number - 1))
        return
    try:
        _render(engine, files_dir, forms_dir, job_id, attempt)
    except DocumentRefused as exc:  # the file changed since the request was checked
        lines = [m["label"] for m in exc.missing]
        _finish(engine, job_id, "failed", "\n".join([exc.heading, *lines]))
    except DomainError as exc:
        _finish(engine, job_id, "failed", exc.message)
    except Exception:
        log.exception("document job %s failed (attempt %s)", job_id, attempt.number)
        if attempt.worker and not attempt.last:
            _finish(engine, job_id, "queued", RETRYING.format(n=attempt.number))
            raise
        _finish(engine, job_id, "failed", UNEXPECTED)
        if attempt.worker:
            raise


def _render(engine: Engine, files_dir: Path, forms_dir: Path, job_id: int,
            attempt: Attempt) -> None:
    _started(engine, job_id, attempt)
    store = FileStore(files_dir)
    with Session(engine, expire_on_commit=False) as session:
        job = session.get(DocumentJob, job_id)
        debtor = session.get(Debtor, job.debtor_id) if job else None
        assert job is not None and debtor is not None
        actor = Actor(user_id=job.created_by or 0, creditor_id=job.creditor_id, role="member")
        if job.kind == CERFA:
            made = cerfa_forms.make_cerfa(session, actor, store, debtor, job.options, forms_dir)
        else:
            made = docs.make(session, actor, store, debtor, job.options)
        session.refresh(job, with_for_update=True)  # a worker wrongly taken for dead may
        if job.status == "done" or job.document_id is not None:  # have made it meanwhile
            session.rollback()
            return
        job.status, job.progress, job.error = "done", 100, ""
        job.document_id, job.finished_at = made.document.id, utcnow()
        session.add(job)
        session.commit()


def _started(engine: Engine, job_id: int, attempt: Attempt) -> None:
    with Session(engine) as session:
        job = session.get(DocumentJob, job_id)
        assert job is not None
        job.status, job.progress = "running", 10
        job.attempts, job.worker = attempt.number, attempt.worker
        session.add(job)
        session.commit()


def _finish(engine: Engine, job_id: int, status: str, error: str) -> None:
    with Session(engine) as session:
        job = session.get(DocumentJob, job_id)
        if job is None:
            return
        job.status, job.error = status, error[:2000]
        job.progress = 0 if status == "failed" else job.progress
        job.finished_at = None if status in RUNNING else utcnow()
        session.add(job)
        session.commit()
