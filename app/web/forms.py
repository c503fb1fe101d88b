"""Reading a submitted form as a plain dict of strings; forms that carry no file."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from app.parsing import form_id
from app.web.uploads import is_multipart, read_fields


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items()
            if not isinstance(value, UploadFile) and key != "csrf_token"}


def row_id(value: str) -> int:
    """A row id sent in a form; anything else names no row (the services then answer 404)."""
    return form_id(value) or 0


class FormRoute(APIRoute):
    """For routers whose routes take `Form()` parameters: FastAPI parses such a body before
    any dependency (sign-in, CSRF) runs, and Starlette's parser spools every file part of it,
    unbounded, to the temporary folder (`POST /login` took 12 MB from anyone). These forms
    take no file (files stream through app/web/uploads.py): a multipart body's fields are
    read first with its file parts skipped (`read_fields`), and FastAPI reads them back."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def without_files(request: Request) -> Response:
            if is_multipart(request):
                await read_fields(request)
            return await handler(request)

        return without_files
