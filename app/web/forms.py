"""Reading a submitted form as a plain dict of strings."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items()
            if not isinstance(value, UploadFile) and key != "csrf_token"}
