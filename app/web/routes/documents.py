"""Letters and requête on the debtor page: generate, preview, download, e-mail, record as sent.

Generating checks the paper at once (a refusal and its reason, 422, next to the form) and
renders it as a job of the queue (app/services/document_jobs.py): htmx gets the `documents`
block back with "en cours", which polls `/document-jobs/{id}/status` every second until the
version and its warnings show (or the error and "Relancer"). A browser without JavaScript is
redirected to the page, which shows the job too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.errors import DocumentRefused, DomainError, ValidationFailed
from app.models import Debtor, DocumentJob, GeneratedDocument
from app.services import cerfa_forms, courts, debtors, document_jobs
from app.services import documents as docs
from app.services.context import Actor
from app.services.debtor_page import debtor_page
from app.services.document_sending import as_email, record_sent
from app.storage import FileStore
from app.web.deps import ActorDep, DebtorDep, SessionDep, SettingsDep, TodayDep
from app.web.forms import form_data
from app.web.htmx import is_fragment_request, redirect
from app.web.sections import FIGURES, with_figures
from app.web.templating import render
from app.web.upload_routes import UploadViewer, read_page_form
from app.web.uploads import UploadedFile, UploadForm

router = APIRouter()
MAX_FORM_BYTES = 5 * 1024 * 1024  # an official Cerfa is a few hundred kilobytes


def store_of(settings: SettingsDep) -> FileStore:
    return FileStore(settings.files_dir)


StoreDep = Annotated[FileStore, Depends(store_of)]


def load_document(document_id: int, actor: ActorDep, session: SessionDep) -> GeneratedDocument:
    return docs.get(session, actor, document_id)


DocumentDep = Annotated[GeneratedDocument, Depends(load_document)]


def load_job(document_job_id: int, actor: ActorDep, session: SessionDep) -> DocumentJob:
    return document_jobs.get(session, actor, document_job_id)


JobDep = Annotated[DocumentJob, Depends(load_job)]


def _section(request: Request, session: Any, actor: Actor, debtor: Debtor, today: Any,
             result: dict[str, Any], *, form: str = "", values: dict[str, str] | None = None,
             errors: dict[str, str] | None = None, status: int = 200,
             job: DocumentJob | None = None) -> Response:
    if status < 400 and not is_fragment_request(request):
        return redirect(request, f"/debtors/{debtor.id}?ok=saved#documents")
    context = debtor_page(session, actor, debtor, today)
    context["document_result"] = result
    if job is not None:
        context["document_job"] = job
    if form:
        context["forms"] = {form: values or {}}
        context["errors"] = {form: errors or {}}
    if status >= 400:
        return render(request, "debtors/detail.html", context, block="documents",
                      status_code=status)
    return with_figures(request, context, block="documents",
                        others=(*FIGURES, "evidence_list", "claim_file"))


@router.post("/debtors/{debtor_id}/documents", name="document_generate")
async def generate(request: Request, debtor: DebtorDep, actor: ActorDep, session: SessionDep,
                   settings: SettingsDep, today: TodayDep) -> Response:
    """Check now, render on the queue."""
    actor.require_write()
    data = await form_data(request)
    try:
        job = document_jobs.start(session, actor, debtor, data, settings.data_dir / "forms")
    except ValidationFailed as exc:
        session.rollback()
        return _section(request, session, actor, debtor, today, {}, form="document",
                        values=data, errors=exc.errors, status=422)
    except DocumentRefused as exc:  # everything missing, each with where to fix it
        session.rollback()
        return _section(request, session, actor, debtor, today,
                        {"error": exc.heading if exc.missing else exc.message,
                         "missing": exc.missing}, form="document", values=data, status=422)
    except DomainError as exc:  # an unusable official Cerfa
        session.rollback()
        return _section(request, session, actor, debtor, today, {"error": exc.message},
                        form="document", values=data, status=422)
    document_jobs.launch(session, request.app.state.queue, job)
    return _section(request, session, actor, debtor, today, {}, job=job)


@router.get("/document-jobs/{document_job_id}/status", name="document_job_status")
def job_status(request: Request, job: JobDep, actor: ActorDep, session: SessionDep,
               today: TodayDep) -> Response:
    """While it runs: the progress block; once finished, the whole section (retargeted), with
    the version made or the error."""
    if not is_fragment_request(request):
        return redirect(request, f"/debtors/{job.debtor_id}#documents")
    if job.status in document_jobs.RUNNING:
        return render(request, "debtors/_documents.html", {"document_job": job},
                      block="document_job")
    debtor = debtors.get(session, actor, job.debtor_id)
    response = _section(request, session, actor, debtor, today,
                        document_jobs.result(session, job) or {}, job=job)
    response.headers["HX-Retarget"] = "#documents"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


@router.post("/document-jobs/{document_job_id}/retry", name="document_job_retry")
def job_retry(request: Request, job: JobDep, actor: ActorDep, session: SessionDep,
              today: TodayDep) -> Response:
    """"Relancer": the failed rendering queued again."""
    actor.require_write()
    debtor = debtors.get(session, actor, job.debtor_id)
    try:
        document_jobs.relaunch(session, actor, request.app.state.queue, job)
    except DomainError as exc:
        session.rollback()
        return _section(request, session, actor, debtor, today, {"error": exc.message},
                        status=422)
    return _section(request, session, actor, debtor, today, {}, job=job)


@router.post("/debtors/{debtor_id}/cerfa", name="cerfa_upload")
async def upload_cerfa(request: Request, debtor_id: int, viewer: UploadViewer,
                       session: SessionDep, settings: SettingsDep, today: TodayDep,
                       store: StoreDep) -> Response:
    """The official PDF streams in (app/web/uploads.py) once the viewer may write and the
    CSRF token is checked, and no more than 5 Mo of it is kept."""
    actor = viewer.actor
    debtor = debtors.get(session, actor, debtor_id)
    actor.require_write()
    form = await read_page_form(request, viewer, session, store, MAX_FORM_BYTES)
    return await run_in_threadpool(_install_cerfa, request, session, actor, debtor, today,
                                   settings, form)


def _install_cerfa(request: Request, session: Any, actor: Actor, debtor: Debtor, today: Any,
                   settings: Any, form: UploadForm) -> Response:
    key = str(form.data().get("form", ""))
    try:
        cerfa_forms.install(actor, key, _cerfa_pdf(form.last_file()),
                            settings.data_dir / "forms")
    except DomainError as exc:
        return _section(request, session, actor, debtor, today, {"error": exc.message},
                        status=422)
    finally:
        form.discard()  # kept by `install` in the forms folder, never in the file store
    return _section(request, session, actor, debtor, today, {"cerfa": key})


def _cerfa_pdf(item: UploadedFile | None) -> bytes:
    if item is None or not item.named:
        raise DomainError("Choisissez le PDF officiel du Cerfa à téléverser.")
    if item.staged is None:
        raise DomainError("Ce fichier est trop volumineux pour un formulaire Cerfa (5 Mo).")
    return item.staged.path.read_bytes()  # at most MAX_FORM_BYTES


def _pdf(document: GeneratedDocument, data: bytes, inline: bool) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": f'{disposition}; filename="{document.filename}"',
        "X-Content-Type-Options": "nosniff"})


@router.get("/documents/{document_id}/download", name="document_download")
def download(document: DocumentDep, store: StoreDep, inline: bool = False) -> Response:
    return _pdf(document, docs.content(store, document), inline)


@router.get("/documents/{document_id}/email", name="document_email")
def email(document: DocumentDep, session: SessionDep, store: StoreDep) -> Response:
    name = document.filename.removesuffix(".pdf") + ".eml"
    return Response(as_email(session, store, document), media_type="message/rfc822", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff"})


@router.post("/documents/{document_id}/sent", name="document_sent")
async def sent(request: Request, document: DocumentDep, actor: ActorDep, session: SessionDep,
               store: StoreDep, today: TodayDep) -> Response:
    actor.require_write()
    data = await form_data(request)
    debtor = debtors.get(session, actor, document.debtor_id)
    form = f"sent-{document.id}"
    try:
        final = record_sent(session, actor, store, document, data)
    except ValidationFailed as exc:
        session.rollback()
        return _section(request, session, actor, debtor, today, {}, form=form, values=data,
                        errors=exc.errors, status=422)
    except DocumentRefused as exc:
        session.rollback()
        return _section(request, session, actor, debtor, today,
                        {"error": exc.heading, "missing": exc.missing}, form=form, values=data,
                        status=422)
    except DomainError as exc:
        session.rollback()
        return _section(request, session, actor, debtor, today, {"error": exc.message},
                        form=form, values=data, status=422)
    return _section(request, session, actor, debtor, today, {"document": final, "warnings": ()})


@router.post("/debtors/{debtor_id}/courts", name="court_add")
async def add_court(request: Request, debtor: DebtorDep, actor: ActorDep, session: SessionDep,
                    today: TodayDep) -> Response:
    data = await form_data(request)
    try:
        court = courts.add(session, actor, data, debtor=debtor)
    except ValidationFailed as exc:
        session.rollback()
        return _section(request, session, actor, debtor, today, {}, form="court", values=data,
                        errors=exc.errors, status=422)
    return _section(request, session, actor, debtor, today, {"court": court},
                    form="document", values={"kind": "requete_injonction",
                                             "court_id": str(court.id)})
