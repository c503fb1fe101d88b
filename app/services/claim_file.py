"""The complete claim file of a debtor, built in the background: jobs, versions, downloads.

`start` checks the options, freezes the numbering (number → evidence id, in the order of
`app.services.claim_file_order`) and records a queued `ClaimFileJob`, which
`app.services.claim_file_run` puts on the job queue and runs. A version's numbering lives in
the `params` of its documents and never changes; exporting again after a reorder makes a new
version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.errors import DomainError, NotFound
from app.models import ClaimFileJob, Debtor, Evidence, GeneratedDocument
from app.parsing import FormReader, form_id
from app.services import audit, claim_file_order, evidence
from app.services.claim_file_build import PDF_KIND, ZIP_KIND
from app.services.context import Actor

RUNNING = ("queued", "running")
DOWNSAMPLE_DPI = 200
MAX_VOLUME_MB = 2048
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
    numbering = evidence.produce(session, debtor)  # kept for the whole case (LAW.md §5)
    items = [e for _, e in numbering]
    claim_file_order.normalise(session, debtor, items)  # the evidence section shows these numbers
    job = ClaimFileJob(creditor_id=actor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
                       created_by=actor.user_id,
                       options={**options, "file_date": today.isoformat(),
                                "numbering": [[n, e.id] for n, e in numbering]})
    session.add(job)
    session.flush()
    audit.record(session, actor, action="create", obj=job, debtor_id=debtor.id,
                 summary=f"Dossier de créance demandé ({len(items)} pièce"
                         f"{'s' if len(items) > 1 else ''})",
                 changes={"exhibits": len(items), "max_volume_mb": options["max_volume_mb"],
                          "downsample_dpi": options["downsample_dpi"]})
    session.commit()
    return job


# ---------------------------------------------------------------- reading


def get(session: Session, actor: Actor, job_id: int) -> ClaimFileJob:
    job = session.get(ClaimFileJob, job_id)
    if job is None or job.creditor_id != actor.creditor_id:
        raise NotFound("Dossier")
    return job


# Read by every debtor page: built once, the debtor's id bound at each run.
JOBS_OF = select(ClaimFileJob).where(ClaimFileJob.debtor_id == bindparam("debtor_id")) \
    .order_by(col(ClaimFileJob.id).desc())


def jobs_of(session: Session, debtor: Debtor) -> list[ClaimFileJob]:
    return list(session.exec(JOBS_OF, params={"debtor_id": debtor.id}))


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
    elif part.startswith("volume-") and 1 <= (volume := form_id(part[7:]) or 0) <= len(ids):
        chosen = ids[volume - 1]
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


def versions(session: Session, debtor: Debtor,
             jobs: list[ClaimFileJob] | None = None) -> list[Version]:
    """The built versions, newest first (`jobs`: the debtor's, when already read)."""
    found = []
    for job in jobs_of(session, debtor) if jobs is None else jobs:
        if job.status != "done":
            continue
        volumes = [session.get(GeneratedDocument, i) for i in volume_ids(job)]
        package = session.get(GeneratedDocument, job.zip_document_id) \
            if job.zip_document_id else None
        found.append(Version(job, [v for v in volumes if v is not None], package))
    return found


def page_context(session: Session, actor: Actor, debtor: Debtor,
                 listed: list[GeneratedDocument],
                 exhibits: list[Evidence] | None = None,
                 jobs: list[ClaimFileJob] | None = None) -> dict[str, Any]:
    """The claim-file section of the debtor page. The claim file's own documents are listed
    here, not among the letters of the "Courriers et requête" section (`listed`: the
    debtor's documents, `documents.of_debtor`; `exhibits`: its pièces as the page read them,
    `evidence.of_debtor`; `jobs`: its builds, when known)."""
    return {
        **section_context(session, debtor, exhibits=exhibits, jobs=jobs),
        "documents": without_claim_files(listed),
    }


def section_context(session: Session, debtor: Debtor, *, exhibits: list[Evidence] | None = None,
                    jobs: list[ClaimFileJob] | None = None,
                    values: Mapping[str, Any] | None = None,
                    errors: Mapping[str, str] | None = None, message: str = "") -> dict[str, Any]:
    """The keys templates/debtors/_claim_file.html reads (besides debtor and can_write)."""
    numbering = evidence.numbered(evidence.of_debtor(session, debtor) if exhibits is None
                                  else exhibits)  # from the page's read when it has one
    items = [e for _, e in numbering]
    jobs = jobs_of(session, debtor) if jobs is None else jobs
    return {
        "claim_file_order": [
            {"number": n, "evidence": e,
             "up": claim_file_order.movable(items, index, "up"),
             "down": claim_file_order.movable(items, index, "down")}
            for index, (n, e) in enumerate(numbering)],
        "claim_file_job": jobs[0] if jobs else None,
        "claim_file_versions": versions(session, debtor, jobs),
        "claim_file_statuses": STATUS_LABELS,
        "claim_file_values": dict(values or {}),
        "claim_file_errors": dict(errors or {}),
        "claim_file_message": message,
    }


def without_claim_files(documents: list[GeneratedDocument]) -> list[GeneratedDocument]:
    return [d for d in documents if d.kind not in (PDF_KIND, ZIP_KIND)]
