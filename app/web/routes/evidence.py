"""Exhibits on the debtor page: upload (streamed), download, edit in place, reorder, withdraw.

htmx requests get the `evidence_list` block of templates/debtors/_evidence.html back; a
browser without JavaScript posts plain forms and is redirected (or shown the page with the
refusals when a file was refused).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from app.errors import DomainError, NotFound, ValidationFailed
from app.models import Debtor, Evidence
from app.parsing import form_id
from app.services import debtors, evidence_text
from app.services import evidence as exhibits
from app.services import evidence_bulk as bulk
from app.services import evidence_facturx as facturx
from app.services import evidence_preview as preview
from app.services import evidence_suggestions as suggestions
from app.services.context import Actor
from app.services.debtor_page import debtor_page
from app.services.evidence_names import download_name
from app.services.evidence_text.copy import set_use_ocr_copy
from app.storage import FileStore
from app.web.deps import ActorDep, SessionDep, SettingsDep, TodayDep
from app.web.forms import form_data
from app.web.htmx import is_fragment_request, redirect
from app.web.sections import EVIDENCE_FIGURES, with_figures
from app.web.templating import render
from app.web.upload_routes import UploadViewer, read_page_upload
from app.web.uploads import UploadForm

router = APIRouter()
PARTIAL = "debtors/_evidence.html"
TEXT_PARTIAL = "debtors/_evidence_text.html"


def store_of(settings: SettingsDep) -> FileStore:
    return FileStore(settings.files_dir)


StoreDep = Annotated[FileStore, Depends(store_of)]


def load_evidence(evidence_id: int, actor: ActorDep, session: SessionDep) -> Evidence:
    return exhibits.get(session, actor, evidence_id)


EvidenceDep = Annotated[Evidence, Depends(load_evidence)]


def store_all(session: Any, actor: Actor, debtor: Debtor, form: UploadForm
              ) -> list[exhibits.Outcome]:
    """Each staged file through the service; each stored or refused on its own."""
    outcomes = []
    data = form.data()
    for item in form.files:
        if item.refusal is not None or item.staged is None:
            message = item.refusal.message if item.refusal else "Envoi incomplet."
            outcomes.append(exhibits.Outcome(item.filename, message=message))
            continue
        try:
            stored = exhibits.add_file(session, actor, debtor, item.staged, item.filename, data)
        except (DomainError, ValidationFailed) as exc:
            outcomes.append(exhibits.Outcome(item.filename, message=_message(item.filename, exc)))
            continue
        outcomes.append(exhibits.Outcome(stored.original_name, stored))
    return outcomes


def _message(filename: str, exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed):
        return f"« {filename} » refusé : " + " ; ".join(exc.errors.values())
    return exc.message


def respond(request: Request, session: Any, actor: Actor, debtor: Debtor, today: Any, *,
            outcomes: list[exhibits.Outcome] | None = None, edit: int | None = None,
            errors: dict[str, str] | None = None, values: dict[str, Any] | None = None
            ) -> Response:
    """The list block for htmx; for plain forms a redirect, or the page when refused."""
    refused = any(o.refused for o in outcomes or []) or bool(errors)
    fragment = is_fragment_request(request)
    if not fragment and not refused and edit is None:
        return redirect(request, f"/debtors/{debtor.id}?ok=saved#evidence")
    context = debtor_page(session, actor, debtor, today)
    context.update(evidence_outcomes=outcomes or [], evidence_edit=edit,
                   evidence_errors=errors or {}, evidence_values=values or {})
    status = 422 if refused else 200
    if fragment and not refused_all(outcomes, errors):
        return with_figures(request, context, block="evidence_list", template=PARTIAL,
                            others=EVIDENCE_FIGURES, status_code=status)
    if fragment:
        return render(request, PARTIAL, context, block="evidence_list", status_code=status)
    return render(request, "debtors/detail.html", context, status_code=status)


def refused_all(outcomes: list[exhibits.Outcome] | None, errors: dict[str, str] | None) -> bool:
    """Nothing changed: every file refused, or the form had errors."""
    return bool(errors) or (bool(outcomes) and all(o.refused for o in outcomes or []))


@router.post("/debtors/{debtor_id}/evidence", name="evidence_upload")
async def evidence_upload(request: Request, debtor_id: int, viewer: UploadViewer,
                          session: SessionDep, today: TodayDep, store: StoreDep,
                          settings: SettingsDep) -> Response:
    actor = viewer.actor
    debtor = debtors.get(session, actor, debtor_id)
    actor.require_write()
    form = await read_page_upload(request, viewer, session, store, settings.max_upload_bytes)
    if not form.files:
        form.discard()
        return respond(request, session, actor, debtor, today, outcomes=[exhibits.Outcome(
            "", message="Aucun fichier reçu : choisissez un ou plusieurs fichiers.")])
    outcomes = await run_in_threadpool(store_all, session, actor, debtor, form)
    await run_in_threadpool(read_later, request, session, settings, outcomes)
    return respond(request, session, actor, debtor, today, outcomes=outcomes)


def read_later(request: Request, session: Any, settings: Any,
               outcomes: list[exhibits.Outcome]) -> None:
    """The stored pièces' text is read on the queue (OCR of scans and photos), never here."""
    queue = request.app.state.queue if settings.read_evidence else None
    evidence_text.launch(session, queue, [o.evidence for o in outcomes if o.evidence])


@router.get("/evidence/{evidence_id}/download", name="evidence_download")
def evidence_download(evidence: EvidenceDep, store: StoreDep, inline: bool = False) -> Response:
    shown = evidence.media_type in INLINE_TYPES  # never an e-mail: it could carry active HTML
    disposition = "inline" if inline and shown else "attachment"
    return FileResponse(store.path_for(evidence.sha256), media_type=evidence.media_type,
                        filename=download_name(evidence),
                        content_disposition_type=disposition,
                        headers={"X-Content-Type-Options": "nosniff",
                                 "Cache-Control": "private, max-age=0"})


INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


@router.post("/debtors/{debtor_id}/evidence/bulk", name="evidence_bulk")
async def evidence_bulk(request: Request, debtor_id: int, actor: ActorDep,
                        session: SessionDep, today: TodayDep) -> Response:
    """Several pièces classified and linked to invoices at once."""
    debtor = debtors.get(session, actor, debtor_id)
    data = await _form(request)
    try:
        bulk.bulk_update(session, actor, debtor, data)
    except ValidationFailed as exc:
        session.rollback()
        return respond(request, session, actor, debtor, today, errors=exc.errors, values=data)
    return respond(request, session, actor, debtor, today)


@router.post("/debtors/{debtor_id}/evidence/renumber", name="evidence_renumber")
async def evidence_renumber(request: Request, debtor_id: int, actor: ActorDep,
                            session: SessionDep, today: TodayDep) -> Response:
    """The numbers kept since the pièces were produced given up: ordre d'usage from 1."""
    debtor = debtors.get(session, actor, debtor_id)
    exhibits.release_numbers(session, actor, debtor)
    return respond(request, session, actor, debtor, today)


@router.get("/evidence/{evidence_id}/preview", name="evidence_preview")
def evidence_preview(request: Request, evidence: EvidenceDep, actor: ActorDep,
                     session: SessionDep, store: StoreDep) -> Response:
    """A page showing the pièce: PDF pages, the photo, or the e-mail as read."""
    debtor = _debtor_of(session, actor, evidence)
    mail = None
    if evidence.media_type == "message/rfc822":
        mail = preview.mail_preview(store.path_for(evidence.sha256))
    pages = range(1, min(evidence.pages, preview.PREVIEW_PAGES) + 1) \
        if evidence.media_type == "application/pdf" else range(0)
    return render(request, "debtors/preview.html",
                  {"evidence": evidence, "debtor": debtor, "mail": mail, "pages": pages})


@router.get("/evidence/{evidence_id}/pages/{page}.png", name="evidence_page")
def evidence_page(evidence: EvidenceDep, store: StoreDep, page: int) -> Response:
    if evidence.media_type != "application/pdf" or not 1 <= page <= evidence.pages:
        raise NotFound("Page")
    png = preview.pdf_page_png(store.path_for(evidence.sha256), page, evidence.pages)
    return Response(png, media_type="image/png",
                    headers={"Cache-Control": "private, max-age=86400",
                             "X-Content-Type-Options": "nosniff"})


def _debtor_of(session: Any, actor: Actor, evidence: Evidence) -> Debtor:
    return debtors.get(session, actor, evidence.debtor_id)


@router.get("/evidence/{evidence_id}/edit", name="evidence_edit")
def evidence_edit(request: Request, evidence: EvidenceDep, actor: ActorDep,
                  session: SessionDep, today: TodayDep) -> Response:
    actor.require_write()
    debtor = _debtor_of(session, actor, evidence)
    values, _suggested = suggestions.edit_values(session, evidence)  # shown, not saved
    return respond(request, session, actor, debtor, today, edit=evidence.id, values=values)


@router.post("/evidence/{evidence_id}/accept", name="evidence_accept")
async def evidence_accept(request: Request, evidence: EvidenceDep, actor: ActorDep,
                          session: SessionDep, today: TodayDep) -> Response:
    """The suggestions read from the pièce's text, applied in one click."""
    debtor = _debtor_of(session, actor, evidence)
    try:
        suggestions.accept(session, actor, evidence)
    except ValidationFailed as exc:
        session.rollback()
        return respond(request, session, actor, debtor, today,
                       errors={f"accept-{evidence.id}": exc.errors["suggestions"]})
    return respond(request, session, actor, debtor, today)


@router.post("/debtors/{debtor_id}/evidence/accept", name="evidence_accept_all")
async def evidence_accept_all(request: Request, debtor_id: int, actor: ActorDep,
                              session: SessionDep, today: TodayDep) -> Response:
    """"Tout accepter": the suggestions of every pièce checked, applied at once."""
    debtor = debtors.get(session, actor, debtor_id)
    data = await _form(request)
    try:
        bulk.accept_suggestions(session, actor, debtor, data["selected"])
    except ValidationFailed as exc:
        session.rollback()
        return respond(request, session, actor, debtor, today, errors=exc.errors, values=data)
    return respond(request, session, actor, debtor, today)


@router.post("/evidence/{evidence_id}", name="evidence_update")
async def evidence_update(request: Request, evidence: EvidenceDep, actor: ActorDep,
                          session: SessionDep, today: TodayDep) -> Response:
    data = await _form(request)
    debtor = _debtor_of(session, actor, evidence)
    try:
        exhibits.update(session, actor, evidence, data)
    except ValidationFailed as exc:
        session.rollback()
        return respond(request, session, actor, debtor, today, edit=evidence.id,
                       errors=exc.errors, values=data)
    return respond(request, session, actor, debtor, today)


@router.post("/evidence/{evidence_id}/move", name="evidence_move")
async def evidence_move(request: Request, evidence: EvidenceDep, actor: ActorDep,
                        session: SessionDep, today: TodayDep) -> Response:
    data = await form_data(request)
    exhibits.move(session, actor, evidence, data.get("direction", ""))
    return respond(request, session, actor, _debtor_of(session, actor, evidence), today)


@router.post("/evidence/{evidence_id}/withdraw", name="evidence_withdraw")
async def evidence_withdraw(request: Request, evidence: EvidenceDep, actor: ActorDep,
                            session: SessionDep, today: TodayDep) -> Response:
    data = await form_data(request)
    debtor = _debtor_of(session, actor, evidence)
    try:
        exhibits.withdraw(session, actor, evidence, data)
    except ValidationFailed as exc:
        session.rollback()
        return respond(request, session, actor, debtor, today,
                       errors={f"withdraw-{evidence.id}": exc.errors["reason"]}, values=data)
    return respond(request, session, actor, debtor, today)


@router.post("/evidence/{evidence_id}/attachments", name="evidence_attachments")
async def evidence_attachments(request: Request, evidence: EvidenceDep, actor: ActorDep,
                               session: SessionDep, today: TodayDep, store: StoreDep,
                               settings: SettingsDep) -> Response:
    actor.require_write()
    form = await request.form()
    indices = [i for i in map(form_id, form.getlist("attachment")) if i is not None]
    debtor = _debtor_of(session, actor, evidence)
    if not indices:
        outcomes = [exhibits.Outcome("", message="Cochez au moins une pièce jointe à ajouter.")]
    else:
        outcomes = await run_in_threadpool(exhibits.add_attachments, session, actor, store,
                                           evidence, indices, settings.max_upload_bytes)
        await run_in_threadpool(read_later, request, session, settings, outcomes)
    return respond(request, session, actor, debtor, today, outcomes=outcomes)


@router.get("/evidence/{evidence_id}/text-status", name="evidence_text_status")
def evidence_text_status(request: Request, evidence: EvidenceDep, actor: ActorDep) -> Response:
    """The pièce's reading status (polled by htmx while its text is being read); once read,
    the "evidence-read" trigger has static/js/evidence_text.js show the suggestions."""
    response = render(request, TEXT_PARTIAL, {"e": evidence, "can_write": actor.can_write})
    if evidence.text_status != "pending":
        response.headers["HX-Trigger"] = "evidence-read"
    return response


@router.post("/evidence/{evidence_id}/read", name="evidence_read")
async def evidence_read(request: Request, evidence: EvidenceDep, actor: ActorDep,
                        session: SessionDep, settings: SettingsDep) -> Response:
    """"Lire le texte": read a pièce again (after a failure, or once OCR is installed)."""
    await form_data(request)  # the CSRF token
    queue = request.app.state.queue if settings.read_evidence else None
    await run_in_threadpool(evidence_text.relaunch, session, actor, queue, evidence)
    if is_fragment_request(request):
        return render(request, TEXT_PARTIAL, {"e": evidence, "can_write": actor.can_write})
    return redirect(request, f"/debtors/{evidence.debtor_id}#exhibit-{evidence.id}")


@router.post("/evidence/{evidence_id}/ocr-copy", name="evidence_ocr_copy")
async def evidence_ocr_copy(request: Request, evidence: EvidenceDep, actor: ActorDep,
                            session: SessionDep, today: TodayDep) -> Response:
    """Whether the claim file carries the OCR'd copy (checkbox) or the original."""
    actor.require_write()
    data = await form_data(request)
    debtor = _debtor_of(session, actor, evidence)
    try:
        set_use_ocr_copy(session, actor, evidence, data.get("use_ocr_copy") == "1")
    except DomainError as exc:
        session.rollback()
        return respond(request, session, actor, debtor, today,
                       outcomes=[exhibits.Outcome(evidence.original_name, message=exc.message)])
    if is_fragment_request(request):
        return render(request, TEXT_PARTIAL, {"e": evidence, "can_write": actor.can_write})
    return redirect(request, f"/debtors/{debtor.id}?ok=saved#exhibit-{evidence.id}")


@router.post("/evidence/{evidence_id}/facturx", name="evidence_facturx")
async def evidence_facturx(request: Request, evidence: EvidenceDep, actor: ActorDep,
                           session: SessionDep, today: TodayDep) -> Response:
    actor.require_write()
    debtor = _debtor_of(session, actor, evidence)
    try:
        invoice = facturx.apply(session, actor, evidence)
    except (DomainError, ValidationFailed) as exc:
        session.rollback()
        name = evidence.original_name
        return respond(request, session, actor, debtor, today,
                       outcomes=[exhibits.Outcome(name, message=_message(name, exc))])
    return redirect(request, f"/debtors/{debtor.id}?ok=saved&invoice={invoice.id}#account")


async def _form(request: Request) -> dict[str, Any]:
    """Like form_data, but keeps every checked invoice."""
    form = await request.form()
    data: dict[str, Any] = await form_data(request)
    data["invoices"] = [str(v) for v in form.getlist("invoices")]
    data["selected"] = [str(v) for v in form.getlist("selected")]
    return data


@router.get("/debtors/{debtor_id}/evidence", name="evidence_list")
def evidence_list(request: Request, debtor_id: int, actor: ActorDep, session: SessionDep,
                  today: TodayDep) -> Response:
    debtor = debtors.get(session, actor, debtor_id)
    if not is_fragment_request(request):
        return redirect(request, f"/debtors/{debtor.id}#evidence")
    return with_figures(request, debtor_page(session, actor, debtor, today),
                        block="evidence_list", template=PARTIAL, others=EVIDENCE_FIGURES)
