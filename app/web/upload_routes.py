"""What the routes that take files call: the file streamed (app/web/uploads.py) once the
caller may send it, with no database connection or admission slot held while it arrives.

A page's CSRF token is checked here, before the first file byte is written, never by the
CSRF dependency; the JSON API's bearer is checked by its dependency, before the body."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.services import accounts
from app.storage import FileStore
from app.web.admission import outside_admission
from app.web.deps import CsrfFailed, Viewer, check_csrf, get_viewer, release_connection
from app.web.uploads import UploadForm, is_multipart, read_upload

# The viewer of a page that takes files: its CSRF token is checked while the body streams in
# (`read_page_upload`), never by the CSRF dependency.
UploadViewer = Annotated[Viewer, Depends(get_viewer)]


async def read_api_upload(request: Request, session: Session, store: FileStore, limit: int,
                          *, stop_at_refusal: bool = False) -> UploadForm:
    """`read_upload` for the JSON API, whose bearer was checked before (a dependency): no
    database connection and no admission slot held while the body arrives."""
    await release_connection(session)
    async with outside_admission(request):
        return await read_upload(request, store, limit, stop_at_refusal=stop_at_refusal)


async def read_page_upload(request: Request, viewer: Viewer, session: Session,
                           store: FileStore, limit: int) -> UploadForm:
    """`read_upload` for a page's form, which takes the viewer (`get_viewer`), not the CSRF
    dependency: that one skips every file part (app/web/uploads.py, `read_fields`). The
    token (X-CSRF-Token from htmx, else the form's field sent before the files) is checked
    here before the first file byte is written; CsrfFailed when it is wrong or missing."""
    header = request.headers.get("X-CSRF-Token")
    if header is not None and not accounts.same_token(header, viewer.csrf_token):
        raise CsrfFailed

    def authorize(fields: dict[str, list[str]]) -> bool:
        token = header if header is not None else (fields.get("csrf_token") or [""])[-1]
        return accounts.same_token(token, viewer.csrf_token)

    await release_connection(session)  # none held while the body arrives
    try:
        async with outside_admission(request):
            form = await read_upload(request, store, limit, authorize)
    except PermissionError as exc:
        raise CsrfFailed from exc
    if not form.files and not authorize(form.fields):  # no file asked it on the way
        raise CsrfFailed
    return form


async def form_fields(request: Request) -> UploadForm:
    """The fields of a body that is no multipart form (it carries no file), as `read_upload`
    gives them: for a route that answered such a body by naming the missing file."""
    assert not is_multipart(request), "a multipart body streams through read_upload"
    sent = await request.form()
    return UploadForm(fields={name: [str(v) for v in sent.getlist(name)] for name in sent})


async def read_page_form(request: Request, viewer: Viewer, session: Session,
                         store: FileStore, limit: int) -> UploadForm:
    """`read_page_upload`; a body that is no multipart form (no file in it) gives its fields,
    their token checked as any page's, so that the page can say the file is missing."""
    if is_multipart(request):
        return await read_page_upload(request, viewer, session, store, limit)
    await check_csrf(request, session)
    return await form_fields(request)
