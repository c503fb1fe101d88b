"""The claim file over the API: start a build (202 with the job), follow it, download it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from app.models import ClaimFileJob
from app.services import claim_file, claim_file_run
from app.storage import FileStore
from app.web.api.deps import ApiActor, ApiDebtor
from app.web.deps import SessionDep, SettingsDep, TodayDep
from app.web.routes.claim_files import download_response

router = APIRouter(prefix="/api/v1", tags=["claim files"])
PREFIX = "/api/v1"
RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"description": "Compte en lecture seule"},
    404: {"description": "Introuvable (ou appartient à un autre créancier)"},
    409: {"description": "Un dossier est déjà en construction pour ce débiteur"},
    422: {"description": "Options invalides, message en français par champ"},
}


class ClaimFileIn(BaseModel):
    max_volume_mb: int | None = Field(default=None, description="Tomes d'au plus N Mo; "
                                                                "absent : un seul PDF")
    downsample: bool = Field(default=False, description="Réduire les scans au-delà de 200 dpi")


class ClaimFileJobOut(BaseModel):
    id: int
    debtor_id: int
    status: Literal["queued", "running", "done", "failed"]
    progress: int
    error: str
    attempts: int = Field(description="Essais commencés (3 au plus, puis échec)")
    worker: str = Field(description="Processus (hôte:pid) qui construit ou a construit le dossier")
    version: int | None
    pdf_url: str | None
    zip_url: str | None
    volume_urls: list[str]


def job_out(job: ClaimFileJob) -> ClaimFileJobOut:
    return ClaimFileJobOut(id=job.id, debtor_id=job.debtor_id, status=job.status,  # type: ignore[arg-type]
                           progress=job.progress, error=job.error, attempts=job.attempts,
                           worker=job.worker, version=job.options.get("version"),
                           **claim_file.urls(job, PREFIX))


def load_job(job_id: int, actor: ApiActor, session: SessionDep) -> ClaimFileJob:
    return claim_file.get(session, actor, job_id)


ApiJob = Annotated[ClaimFileJob, Depends(load_job)]


@router.post("/debtors/{debtor_id}/claim-file", status_code=202, response_model=ClaimFileJobOut,
             responses=RESPONSES)
def start(request: Request, debtor: ApiDebtor, actor: ApiActor, session: SessionDep,
          today: TodayDep, body: ClaimFileIn | None = None) -> Any:
    """Queue the build of a new version; poll `GET /api/v1/claim-files/{id}` until done."""
    body = body or ClaimFileIn()
    data = {"max_volume_mb": "" if body.max_volume_mb is None else str(body.max_volume_mb),
            "downsample": "1" if body.downsample else ""}
    job = claim_file.start(session, actor, debtor, data, today)
    claim_file_run.launch(session, request.app.state.queue, job)
    return JSONResponse(job_out(job).model_dump(), status_code=202)


@router.get("/claim-files/{job_id}", response_model=ClaimFileJobOut, responses=RESPONSES)
def show(job: ApiJob) -> Any:
    return job_out(job)


@router.get("/claim-files/{job_id}/{part}", responses=RESPONSES)
def download(job: ApiJob, part: str, actor: ApiActor, session: SessionDep,
             settings: SettingsDep) -> Response:
    """`pdf` (volume 1), `volume-k` or `zip`, once the job is done."""
    document = claim_file.download_document(session, actor, job, part)
    return download_response(FileStore(settings.files_dir), document)
