"""Reading a submitted form as a plain dict of strings."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile

from app.parsing import form_id


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items()
            if not isinstance(value, UploadFile) and key != "csrf_token"}


def row_id(value: str) -> int:
    """A row id sent in a form; anything else names no row (the services then answer 404)."""
    return form_id(value) or 0
