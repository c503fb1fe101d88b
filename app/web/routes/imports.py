"""Import pages: upload, preview and column mapping, dry-run report, confirm, past imports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.errors import DomainError, ValidationFailed
from app.imports.report import ImportReport
from app.models import ImportBatch
from app.services import import_jobs, imports
from app.services.context import Actor
from app.storage import FileStore
from app.web.deps import ActorDep, SessionDep, SettingsDep
from app.web.forms import form_data
from app.web.htmx import redirect
from app.web.templating import render
from app.web.upload_routes import UploadViewer, read_page_form
from app.web.uploads import UploadedFile, UploadForm

router = APIRouter()
STATUS_LABELS = {
    "uploaded": ("Déposé", ""), "checking": ("Simulation en cours", "warn"),
    "checked": ("Simulé, à confirmer", "warn"), "applying": ("Import en cours", "warn"),
    "done": ("Importé", "ok"), "refused": ("Refusé", "danger"), "failed": ("Échec", "danger"),
}


@router.get("/imports", name="import_list")
def import_list(request: Request, actor: ActorDep, session: SessionDep) -> Response:
    return _list(request, actor, session, {}, {})


def _list(request: Request, actor: Actor, session: Session, values: dict[str, str],
          errors: dict[str, str], status_code: int = 200) -> Response:
    return render(request, "imports/list.html", {
        "batches": imports.history(session, actor), "kinds": imports.KINDS,
        "statuses": STATUS_LABELS, "values": values, "errors": errors,
        "can_write": actor.can_write}, status_code=status_code)


@router.post("/imports", name="import_upload")
async def import_upload(request: Request, viewer: UploadViewer, session: SessionDep,
                        settings: SettingsDep) -> Response:
    """The file streams into the store's staging area (app/web/uploads.py) once the viewer
    may write and the form's CSRF token is checked, never whole into a temporary folder."""
    viewer.actor.require_write()
    form = await read_page_form(request, viewer, session, FileStore(settings.files_dir),
                                settings.max_upload_bytes)
    return await run_in_threadpool(_upload, request, viewer.actor, session, settings, form)


def _upload(request: Request, actor: Actor, session: Session, settings: Settings,
            form: UploadForm) -> Response:
    data = form.data()
    values = {"kind": data.get("kind", ""), "source": data.get("source", "")}
    item = form.last_file()
    if item is None or not item.named:
        form.discard()
        return _list(request, actor, session, values,
                     {"file": "Choisissez le fichier à importer."}, 422)
    try:
        batch = store_import(session, actor, settings, item, values)
    except ValidationFailed as exc:
        session.rollback()
        return _list(request, actor, session, values, exc.errors, 422)
    return redirect(request, f"/imports/{batch.id}")


def store_import(session: Session, actor: Actor, settings: Settings, item: UploadedFile,
                 values: dict[str, str]) -> ImportBatch:
    """The streamed file through the service (`kind`, `source` from `values`); a file that
    was over the size limit is refused with the service's own reason."""
    if item.staged is None:
        raise imports.too_large(settings)
    return imports.upload_staged(session, actor, settings, item.staged,
                                 item.filename if item.named else "", values.get("kind", ""),
                                 values.get("source", ""))


@router.get("/imports/{batch_id}", name="import_detail")
def import_detail(request: Request, batch_id: int, actor: ActorDep, session: SessionDep,
                  settings: SettingsDep) -> Response:
    batch = imports.get(session, actor, batch_id)
    return _detail(request, session, actor, settings, batch, {}, {})


def _detail(request: Request, session: Session, actor: Actor, settings: Settings,
            batch: ImportBatch, values: dict[str, Any], errors: dict[str, str],
            status_code: int = 200, block: str | None = None) -> Response:
    return render(request, "imports/detail.html",
                  _context(session, actor, settings, batch, values, errors),
                  status_code=status_code, block=block)


def _context(session: Session, actor: Actor, settings: Settings, batch: ImportBatch,
             values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    preview = None
    if batch.status in ("uploaded", "checked"):
        try:
            preview = imports.preview(settings, batch)
        except DomainError as exc:
            errors = {**errors, "file": exc.message}
    options = batch.options
    return {
        "batch": batch, "preview": preview, "uploader": imports.uploader(session, batch),
        "report": ImportReport.from_json(batch.report) if batch.report else None,
        "progress": batch.progress, "kinds": imports.KINDS,
        "statuses": STATUS_LABELS, "can_write": actor.can_write, "errors": errors,
        "mapping": {**options.get("mapping", {}), **values.get("mapping", {})},
        "term_days": values.get("term_days", options.get("term_days", 30)),
        "due_dates": {**options.get("due_dates", {}), **values.get("due_dates", {})},
    }


@router.post("/imports/{batch_id}/check", name="import_check")
async def import_check(request: Request, batch_id: int, actor: ActorDep, session: SessionDep,
                       settings: SettingsDep) -> Response:
    """Save the mapping and options, then run the dry run (or apply: action=apply)."""
    batch = imports.get(session, actor, batch_id)
    data = await form_data(request)
    options = imports.options_from_form(data)
    mode = "apply" if data.get("action") == "apply" else "check"
    try:
        imports.configure(session, actor, settings, batch, mapping=options["mapping"] or None,
                          term_days=options["term_days"], due_dates=options["due_dates"])
        import_jobs.launch(request.app.state.queue, settings, session, actor, batch, mode)
    except ValidationFailed as exc:
        session.rollback()
        batch = imports.get(session, actor, batch_id)
        return _detail(request, session, actor, settings, batch, options, exc.errors, 422)
    return redirect(request, f"/imports/{batch.id}")


@router.get("/imports/{batch_id}/progress", name="import_progress")
def import_progress(request: Request, batch_id: int, actor: ActorDep, session: SessionDep,
                    settings: SettingsDep) -> Response:
    """Polled by htmx while the job runs; when it ends, the page reloads with the report."""
    batch = imports.get(session, actor, batch_id)
    response = _detail(request, session, actor, settings, batch, {}, {},
                       block="import_progress")
    if batch.status not in imports.RUNNING:
        response.headers["HX-Refresh"] = "true"
    return response


@router.get("/imports/{batch_id}/file", name="import_file")
def import_file(batch_id: int, actor: ActorDep, session: SessionDep,
                settings: SettingsDep) -> Response:
    """The file as it was uploaded: evidence of the accounting state on that date."""
    batch = imports.get(session, actor, batch_id)
    return FileResponse(imports.file_path(settings, batch), filename=batch.original_name,
                        media_type="application/octet-stream")
