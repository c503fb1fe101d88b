"""The complete claim file of a debtor, built in the background: jobs, versions, downloads.

`start` checks the options, freezes the numbering (number → evidence id, in the order of
`app.services.claim_file_order`) and records a queued `ClaimFileJob`; `launch` puts it on the
job queue (app/queue.py), whose worker calls `run`: it commits the job's progress (0-100),
attempt and worker in short sessions of its own, so any server answers the progress bar. A
version's numbering lives in the `params` of its documents and never changes; exporting
again after a reorder makes a new version. A failed build (missing exhibit file, unreadable
PDF…) stores nothing and keeps the reason, which names the exhibit; an unexpected error is
retried, and after the last attempt the job stops with its error and `relaunch` can queue it
again. A build runs once: a job already done is left as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.documents.claimfile import ClaimFileError
from app.errors import DomainError, NotFound
from app.models import ClaimFileJob, Debtor, GeneratedDocument
from app.models.types import utcnow
from app.parsing import FormReader
from app.services import audit, claim_file_order, documents
from app.services.attempts import GAVE_UP, Attempt
from app.services.claim_file_build import PDF_KIND, ZIP_KIND, build_version
from app.services.context import Actor
from app.storage import FileStore

if TYPE_CHECKING:
    from app.queue import Queue

log = logging.getLogger("contentieux")

RUNNING = ("queued", "running")
DOWNSAMPLE_DPI = 200
MAX_VOLUME_MB = 2048
UNEXPECTED = ("La construction s'est arrêtée sur une erreur inattendue ; rien n'a été "
              "enregistré. Relancez-la, et si elle revient, signalez le numéro du dossier.")
RETRYING = "Erreur inattendue à l'essai {n} : nouvel essai en cours."
BUILD_TASK = "claim_file.build"  # app/jobs.py
STATUS_LABELS = {"queued": "En attente", "running": "En cours", "done": "Prêt",
                 "failed": "Échec"}



# ---------------------------------------------------------------- starting


def read_options(data: Mapping[str, Any]) -> dict[str, Any]:
    r = FormReader(data)
    volume_mb = r.integer("max_volume_mb", minimum=1, maximum=MAX_VOLUME_MB)
    downsample = r.flag("downsample")
    r.check()
    return {"max_volume_mb": volume_mb, "downsample_dpi": DOWNSAMPLE_DPI if downsample else None}


def start(session: Session, actor: Actor, debtor: Debtor, data: Mapping[str, Any],
          today: date) -> ClaimFileJob:
    """Record a queued job with the options and the numbering frozen now."""
    actor.require_write()
    options = read_options(data)
    if current_job(session, debtor) is not None:
        raise DomainError("Un dossier est déjà en cours de construction pour ce débiteur : "
                          "attendez qu'il soit prêt.")
    items = claim_file_order.ordered(session, debtor)
    claim_file_order.normalise(session, debtor, items)  # the evidence section shows these numbers
    job = ClaimFileJob(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                       created_by=actor.user_id,
                       options={**options, "file_date": today.isoformat(),
                                "numbering": [[n, e.id] for n, e in enumerate(items, start=1)]})
    session.add(job)
    session.flush()
    audit.record(session, actor, action="create", obj=job, debtor_id=debtor.id,
                 summary=f"Dossier de créance demandé ({len(items)} pièce"
                         f"{'s' if len(items) > 1 else ''})",
                 changes={"exhibits": len(items), "max_volume_mb": options["max_volume_mb"],
                          "downsample_dpi": options["downsample_dpi"]})
    session.commit()
    return job


def launch(session: Session, queue: Queue, job: ClaimFileJob) -> None:
    """Put the job on the queue; a queue that cannot take it fails the job, with why."""
    try:
        queue.defer(BUILD_TASK, job_id=job.id)
    except Exception:
        log.exception("claim file job %s could not be queued", job.id)
        job.status, job.error, job.finished_at = "failed", UNEXPECTED, utcnow()
        session.add(job)
        session.commit()


def relaunch(session: Session, actor: Actor, queue: Queue, job: ClaimFileJob) -> None:
    """"Relancer": a failed build queued again, its attempts counted from zero."""
    actor.require_write()
    if job.status != "failed":
        raise DomainError("Seule une construction en échec peut être relancée.")
    debtor = session.get(Debtor, job.debtor_id)
    if debtor is not None and current_job(session, debtor) is not None:
        raise DomainError("Un dossier est déjà en cours de construction pour ce débiteur : "
                          "attendez qu'il soit prêt.")
    job.status, job.progress, job.error, job.attempts, job.finished_at = \
        "queued", 0, "", 0, None
    session.add(job)
    audit.record(session, actor, action="update", obj=job, debtor_id=job.debtor_id,
                 summary="Construction du dossier de créance relancée", changes={})
    session.commit()
    launch(session, queue, job)


# ---------------------------------------------------------------- running


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


# ---------------------------------------------------------------- reading


def get(session: Session, actor: Actor, job_id: int) -> ClaimFileJob:
    job = session.get(ClaimFileJob, job_id)
    if job is None or job.creditor_id != actor.creditor_id:
        raise NotFound("Dossier")
    return job


def jobs_of(session: Session, debtor: Debtor) -> list[ClaimFileJob]:
    query = select(ClaimFileJob).where(ClaimFileJob.debtor_id == debtor.id) \
        .order_by(col(ClaimFileJob.id).desc())
    return list(session.exec(query))


def current_job(session: Session, debtor: Debtor) -> ClaimFileJob | None:
    return next((j for j in jobs_of(session, debtor) if j.status in RUNNING), None)


def volume_ids(job: ClaimFileJob) -> list[int]:
    return [int(i) for i in job.options.get("volume_document_ids", [])]


def download_document(session: Session, actor: Actor, job: ClaimFileJob, part: str,
                      ) -> GeneratedDocument:
    """The job's "zip", or "pdf" (volume 1), or "volume-k"; NotFound until it is done."""
    ids = volume_ids(job)
    if job.status != "done":
        raise NotFound("Dossier")
    if part == "zip":
        chosen = job.zip_document_id
    elif part == "pdf":
        chosen = ids[0] if ids else None
    elif part.startswith("volume-") and part[7:].isdigit() and 1 <= int(part[7:]) <= len(ids):
        chosen = ids[int(part[7:]) - 1]
    else:
        chosen = None
    found = session.get(GeneratedDocument, chosen) if chosen else None
    if found is None or found.creditor_id != actor.creditor_id:
        raise NotFound("Dossier")
    return found


def urls(job: ClaimFileJob, prefix: str = "") -> dict[str, Any]:
    """Download addresses once the job is done (None before)."""
    if job.status != "done":
        return {"pdf_url": None, "zip_url": None, "volume_urls": []}
    count = len(volume_ids(job))
    return {"pdf_url": f"{prefix}/claim-files/{job.id}/pdf",
            "zip_url": f"{prefix}/claim-files/{job.id}/zip",
            "volume_urls": [f"{prefix}/claim-files/{job.id}/volume-{k}"
                            for k in range(1, count + 1)] if count > 1 else []}


@dataclass(frozen=True)
class Version:
    job: ClaimFileJob
    volumes: list[GeneratedDocument]
    package: GeneratedDocument | None

    @property
    def pages(self) -> int:
        return sum(d.pages for d in self.volumes)

    @property
    def exhibits(self) -> int:
        return len(self.volumes[0].params.get("exhibits", [])) if self.volumes else 0


def versions(session: Session, debtor: Debtor) -> list[Version]:
    """The built versions, newest first."""
    found = []
    for job in jobs_of(session, debtor):
        if job.status != "done":
            continue
        volumes = [session.get(GeneratedDocument, i) for i in volume_ids(job)]
        package = session.get(GeneratedDocument, job.zip_document_id) \
            if job.zip_document_id else None
        found.append(Version(job, [v for v in volumes if v is not None], package))
    return found


def page_context(session: Session, actor: Actor, debtor: Debtor) -> dict[str, Any]:
    """The claim-file section of the debtor page. The claim file's own documents are listed
    here, not among the letters of the "Courriers et requête" section (`documents`)."""
    return {
        **section_context(session, debtor),
        "documents": without_claim_files(documents.of_debtor(session, debtor)),
    }


def section_context(session: Session, debtor: Debtor, *, values: Mapping[str, Any] | None = None,
                    errors: Mapping[str, str] | None = None, message: str = "") -> dict[str, Any]:
    """The keys templates/debtors/_claim_file.html reads (besides debtor and can_write)."""
    items = claim_file_order.ordered(session, debtor)
    jobs = jobs_of(session, debtor)
    return {
        "claim_file_order": [
            {"number": n, "evidence": e,
             "up": claim_file_order.movable(items, n - 1, "up"),
             "down": claim_file_order.movable(items, n - 1, "down")}
            for n, e in enumerate(items, start=1)],
        "claim_file_job": jobs[0] if jobs else None,
        "claim_file_versions": versions(session, debtor),
        "claim_file_statuses": STATUS_LABELS,
        "claim_file_values": dict(values or {}),
        "claim_file_errors": dict(errors or {}),
        "claim_file_message": message,
    }


def without_claim_files(documents: list[GeneratedDocument]) -> list[GeneratedDocument]:
    return [d for d in documents if d.kind not in (PDF_KIND, ZIP_KIND)]
