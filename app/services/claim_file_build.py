"""Build one version of a debtor's claim file and keep it as generated documents.

Runs in the background thread of `app.services.claim_file`: the exhibits of the job's frozen
numbering (number → evidence id, taken when the job was created) become engine `Exhibit`s
pointing at the content-addressed store, the front matter is rendered, the engine writes
the PDF (or its volumes) and the ZIP into a scratch folder, and only then are the files
moved into the store and recorded (kinds `claim_file_pdf` / `claim_file_zip`, versioned,
hashed, the numbering in their `params`). A missing or unreadable exhibit stops the build
with `ClaimFileError` before anything is stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from app.documents.claimfile import (
    BuildOptions,
    ClaimFileInfo,
    ClaimFileResult,
    Exhibit,
    PackageResult,
    build_claim_file,
    build_package,
)
from app.documents.claimfile.model import MB
from app.models import ClaimFileJob, Creditor, Debtor, Evidence, GeneratedDocument
from app.services import audit, evidence
from app.services.claim_front import front_context, render_front
from app.services.context import Actor
from app.services.evidence_fit import attachment_key
from app.services.evidence_text.copy import claim_file_source
from app.storage import CHUNK, FileStore, StagedFile
from app.vocabulary import EVIDENCE_KINDS

PDF_KIND, ZIP_KIND = "claim_file_pdf", "claim_file_zip"
Report = Callable[[int], None]  # percent 0-100


@dataclass(frozen=True)
class Built:
    version: int
    volumes: list[GeneratedDocument]
    package: GeneratedDocument
    staged: list[StagedFile]  # kept until the rows are committed (see StagedFile._mark_placed)


def file_title(creditor: Creditor, debtor: Debtor) -> str:
    return f"Dossier de créance — {creditor.legal_name} c/ {debtor.legal_name}"


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:60] or "debiteur"


def next_version(session: Session, debtor: Debtor) -> int:
    query = select(func.max(GeneratedDocument.version)).where(
        GeneratedDocument.debtor_id == debtor.id, GeneratedDocument.kind == PDF_KIND)
    return (session.exec(query).one() or 0) + 1


def frozen_numbering(session: Session, job: ClaimFileJob) -> list[tuple[int, Evidence]]:
    """The job's number → exhibit map, as taken when it was created."""
    pairs = [(int(number), session.get(Evidence, int(evidence_id)))
             for number, evidence_id in job.options.get("numbering", [])]
    return [(number, e) for number, e in pairs if e is not None and e.debtor_id == job.debtor_id]


def engine_exhibits(store: FileStore, numbering: list[tuple[int, Evidence]],
                    dates: Mapping[int, date | None] | None = None) -> list[Exhibit]:
    """The engine's exhibits; `dates`: each one's date on the bordereau (`evidence.piece_dates`),
    else its own document date."""
    numbers = {e.id: n for n, e in numbering}
    children: dict[int, list[tuple[int | str, int]]] = {}
    for number, e in numbering:
        if e.parent_id is not None and e.parent_id in numbers:
            children.setdefault(e.parent_id, []).append((attachment_key(e), number))
    exhibits = []
    for number, e in numbering:
        path, media_type, sha = claim_file_source(store, e)  # the OCR'd copy if chosen
        dated = dates.get(e.id, e.document_date) if dates is not None else e.document_date  # type: ignore[arg-type]
        exhibits.append(Exhibit(number, exhibit_title(e), e.kind, dated, path,
                                media_type, e.original_name, sha,
                                tuple(children.get(e.id, []))))  # type: ignore[arg-type]
    return exhibits


def exhibit_title(e: Evidence) -> str:
    return e.title or EVIDENCE_KINDS.get(e.kind, "") or e.original_name


def build_version(session: Session, store: FileStore, job: ClaimFileJob, workdir: Path,
                  report: Report) -> Built:
    """Render, assemble, package, then store and record; the caller commits."""
    debtor = session.get(Debtor, job.debtor_id)
    creditor = session.get(Creditor, job.creditor_id)
    assert debtor is not None and creditor is not None
    file_date = date.fromisoformat(job.options["file_date"])
    version = next_version(session, debtor)
    numbering = frozen_numbering(session, job)
    exhibits = engine_exhibits(store, numbering,
                               evidence.piece_dates(session, [e for _, e in numbering]))
    context = front_context(session, debtor, file_date, numbering, version)
    info = ClaimFileInfo(file_title(creditor, debtor), version, creditor.legal_name, file_date,
                         footer=context["footer"])
    front = render_front(context, workdir, info.full_title, creditor.legal_name)
    report(8)
    stem = f"dossier-creance-{slug(debtor.legal_name)}-{file_date.isoformat()}-v{version}"
    result = build_claim_file(front, exhibits, workdir / f"{stem}.pdf", info, _options(job),
                              lambda done, total: report(8 + 80 * done // max(total, 1)))
    package = build_package(result.volumes, exhibits, workdir / f"{stem}.zip", info)
    report(94)
    params = _params(job, numbering, result, context, version)
    actor = Actor(user_id=job.created_by, creditor_id=job.creditor_id)  # type: ignore[arg-type]
    stored = [_store(session, store, actor, debtor, path, PDF_KIND, version, file_date,
                     {**params, "volume": k, "volumes": len(result.volumes)},
                     pages=_volume_pages(result, k))
              for k, path in enumerate(result.volumes, start=1)]
    stored.append(_store(session, store, actor, debtor, package.path, ZIP_KIND, version,
                         file_date, {**params, "manifest": list(package.manifest)},
                         pages=result.total_pages))
    documents = [document for document, _staged in stored]
    _audit(session, actor, debtor, documents[0], result, package, len(numbering))
    return Built(version, documents[:-1], documents[-1], [staged for _doc, staged in stored])


def _options(job: ClaimFileJob) -> BuildOptions:
    volume_mb = job.options.get("max_volume_mb")
    return BuildOptions(max_volume_bytes=int(volume_mb) * MB if volume_mb else None,
                        downsample_dpi=job.options.get("downsample_dpi") or None)


def _volume_pages(result: ClaimFileResult, volume: int) -> int:
    if len(result.volumes) == 1:
        return result.total_pages
    from pypdf import PdfReader

    return len(PdfReader(result.volumes[volume - 1]).pages)


def _params(job: ClaimFileJob, numbering: list[tuple[int, Evidence]], result: ClaimFileResult,
            context: dict[str, Any], version: int) -> dict[str, Any]:
    """What the version was made of: its frozen numbering above all."""
    claimed = context["claimed"]
    placements = {p.number: p for p in result.placements}
    return {
        "job_id": job.id, "version": version, "date": job.options["file_date"],
        "options": {"max_volume_mb": job.options.get("max_volume_mb"),
                    "downsample_dpi": job.options.get("downsample_dpi")},
        "total_pages": result.total_pages, "bordereau_pages": list(result.bordereau_pages),
        "principal": str(claimed.principal), "interest": str(claimed.interest),
        "indemnities": str(claimed.indemnities), "total": str(claimed.total),
        "exhibits": [{"number": n, "evidence_id": e.id, "title": exhibit_title(e),
                      "kind": e.kind, "sha256": e.sha256,
                      "volume": placements[n].volume, "first_page": placements[n].first_page,
                      "pages": placements[n].pages} for n, e in numbering],
    }


def _store(session: Session, store: FileStore, actor: Actor, debtor: Debtor, path: Path,
           kind: str, version: int, file_date: date, params: dict[str, Any], pages: int,
           ) -> tuple[GeneratedDocument, StagedFile]:
    staged = store.stage()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            staged.write(chunk)
    sha = staged.commit()
    document = GeneratedDocument(
        creditor_id=debtor.creditor_id, debtor_id=debtor.id,  # type: ignore[arg-type]
        kind=kind, version=version, document_date=file_date, params=params, sha256=sha,
        size=staged.size, media_type="application/zip" if kind == ZIP_KIND else "application/pdf",
        filename=path.name, pages=pages, status="final", created_by=actor.user_id)
    session.add(document)
    session.flush()
    return document, staged


def _audit(session: Session, actor: Actor, debtor: Debtor, document: GeneratedDocument,
           result: ClaimFileResult, package: PackageResult, exhibits: int) -> None:
    volumes, version = len(result.volumes), document.version
    audit.record(session, actor, action="generate", obj=document, debtor_id=debtor.id,
                 summary=f"Dossier de créance v{version} : {result.total_pages} pages, "
                         f"{exhibits} pièce{'s' if exhibits > 1 else ''}"
                         + (f", {volumes} tomes" if volumes > 1 else ""),
                 changes={"version": version, "pages": result.total_pages,
                          "zip_sha256": package.sha256})
