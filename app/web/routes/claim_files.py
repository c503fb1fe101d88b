"""The claim-file section of the debtor page: reorder the bordereau, start a build, follow its
progress (htmx polls `/claim-files/{id}/status` every second), download a version.

htmx gets the section (`templates/debtors/_claim_file.html`) back; a browser without
JavaScript is redirected to the page. Downloads stream the stored file, scoped to the
creditor (404 otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response

from app.errors import DomainError, ValidationFailed
from app.models import ClaimFileJob, Debtor, GeneratedDocument
from app.parsing import form_id
from app.services import claim_file, claim_file_order, claim_file_run, debtors
from app.services import evidence as exhibits
from app.services.context import Actor
from app.services.debtor_page import debtor_page
from app.storage import FileStore
from app.web.deps import ActorDep, DebtorDep, SessionDep, SettingsDep, TodayDep
from app.web.forms import form_data
from app.web.htmx import is_fragment_request, redirect
from app.web.sections import with_figures
from app.web.templating import render

router = APIRouter()
PARTIAL = "debtors/_claim_file.html"


def load_job(job_id: int, actor: ActorDep, session: SessionDep) -> ClaimFileJob:
    return claim_file.get(session, actor, job_id)


JobDep = Annotated[ClaimFileJob, Depends(load_job)]


def _section(request: Request, session: Any, actor: Actor, debtor: Debtor, *,
             values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
             message: str = "", status: int = 200) -> Response:
    if status < 400 and not is_fragment_request(request):
        return redirect(request, f"/debtors/{debtor.id}?ok=saved#claim-file")
    context = {"debtor": debtor, "can_write": actor.can_write,
               **claim_file.section_context(session, debtor, values=values, errors=errors,
                                            message=message)}
    return render(request, PARTIAL, context, status_code=status)


@router.post("/debtors/{debtor_id}/claim-file", name="claim_file_start")
async def start(request: Request, debtor: DebtorDep, actor: ActorDep, session: SessionDep,
                today: TodayDep) -> Response:
    actor.require_write()
    data = await form_data(request)
    try:
        job = claim_file.start(session, actor, debtor, data, today)
    except ValidationFailed as exc:
        session.rollback()
        return _section(request, session, actor, debtor, values=data, errors=exc.errors,
                        status=422)
    except DomainError as exc:
        session.rollback()
        return _section(request, session, actor, debtor, values=data, message=exc.message,
                        status=422)
    claim_file_run.launch(session, request.app.state.queue, job)
    return _section(request, session, actor, debtor, values=data)


@router.post("/claim-files/{job_id}/retry", name="claim_file_retry")
def retry(request: Request, job: JobDep, actor: ActorDep, session: SessionDep) -> Response:
    """"Relancer": the failed build queued again."""
    actor.require_write()
    debtor = debtors.get(session, actor, job.debtor_id)
    try:
        claim_file_run.relaunch(session, actor, request.app.state.queue, job)
    except DomainError as exc:
        session.rollback()
        return _section(request, session, actor, debtor, message=exc.message, status=422)
    return _section(request, session, actor, debtor)


@router.post("/debtors/{debtor_id}/claim-file/order", name="claim_file_order")
async def reorder(request: Request, debtor: DebtorDep, actor: ActorDep,
                  session: SessionDep, today: TodayDep) -> Response:
    actor.require_write()
    data = await form_data(request)
    raw = str(data.get("evidence_id", ""))
    chosen = form_id(raw)
    evidence = exhibits.get(session, actor, chosen) if chosen is not None else None
    if evidence is None or evidence.debtor_id != debtor.id:
        return _section(request, session, actor, debtor, message="Pièce inconnue pour ce "
                        "débiteur.", status=422)
    claim_file_order.move(session, actor, evidence, str(data.get("direction", "")))
    if not is_fragment_request(request):
        return _section(request, session, actor, debtor, values={"reordered": "1"})
    # The pièces' numbers changed: the list of pièces shows them too (one truth per page).
    context = debtor_page(session, actor, debtor, today)
    context.update(claim_file.section_context(session, debtor, values={"reordered": "1"}))
    return with_figures(request, context, block="claim_file", others=("evidence_list", "history"))


@router.get("/claim-files/{job_id}/status", name="claim_file_status")
def status(request: Request, job: JobDep, actor: ActorDep, session: SessionDep) -> Response:
    """While it runs: the progress block; once finished, the whole section (retargeted)."""
    if not is_fragment_request(request):
        return redirect(request, f"/debtors/{job.debtor_id}#claim-file")
    if job.status in claim_file.RUNNING:
        context = {"claim_file_job": job}
        return render(request, PARTIAL, context, block="claim_file_job")
    debtor = debtors.get(session, actor, job.debtor_id)
    response = _section(request, session, actor, debtor)
    response.headers["HX-Retarget"] = "#claim-file"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def download_response(store: FileStore, document: GeneratedDocument) -> Response:
    return FileResponse(store.path_for(document.sha256), media_type=document.media_type,
                        headers={"Content-Disposition":
                                 f'attachment; filename="{document.filename}"',
                                 "X-Content-Type-Options": "nosniff"})


@router.get("/claim-files/{job_id}/{part}", name="claim_file_download")
def download(job: JobDep, part: str, actor: ActorDep, session: SessionDep,
             settings: SettingsDep) -> Response:
    document = claim_file.download_document(session, actor, job, part)
    return download_response(FileStore(settings.files_dir), document)
