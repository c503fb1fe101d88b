"""A request that will be refused (nobody signed in, or a file over the limit) must not be
read whole first.

The import routes (`POST /imports`, `POST /api/v1/imports`) take the file as a FastAPI
`UploadFile`: FastAPI parses the whole multipart body, spooling the file to the server's
temporary folder with no limit, before any dependency runs. Anyone, signed in or not, could
stream gigabytes into /tmp (an unlinked file: invisible to `ls`, counted by `df`) and be
told "401" only at the end. Seen on the demo server: 150 MB written by an anonymous client
to `/tmp/#… (deleted)` before the 401.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from app.services.context import Actor
from tests.conftest import api_token

MB = 1024 * 1024
BODY_MB = 12
BOUNDARY = "----contentieux-hostile"


class BodyMeter:
    """Wraps the app: bytes of the request body it had read when it began its answer."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.read = 0
        self.read_at_answer: int | None = None
        self.status: int | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.read += len(message.get("body", b""))
            return message

        async def watching_send(message: Message) -> None:
            if message["type"] == "http.response.start" and self.read_at_answer is None:
                self.read_at_answer = self.read
                self.status = message["status"]
            await send(message)

        await self.app(scope, counting_receive, watching_send)


async def _body() -> AsyncIterator[bytes]:
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncsv\r\n"
           f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
           f"filename=\"export.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode()
    line = b"F-1;Durand;01/01/2026;100,00\n" * (MB // 29)
    for _ in range(BODY_MB):
        yield line
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def _post(app: Any, path: str, headers: dict[str, str]) -> BodyMeter:
    meter = BodyMeter(app)

    async def go() -> None:
        transport = httpx2.ASGITransport(app=meter)
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
            await c.post(path, content=_body(), headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **headers})

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, go()).result()
    return meter


@pytest.mark.parametrize("path", ["/api/v1/imports", "/imports"])
def test_an_anonymous_import_is_refused_before_its_file_is_read(app: FastAPI,
                                                                 path: str) -> None:
    meter = _post(app, path, {})
    assert meter.status in (401, 303, 403)
    assert meter.read_at_answer is not None
    assert meter.read_at_answer < 1 * MB, (
        f"{path}: {meter.read_at_answer / MB:.1f} MB of an anonymous body read (and spooled "
        f"to the temporary folder) before the refusal")


def test_an_import_over_the_size_limit_is_not_spooled_whole(app: FastAPI, settings: Any,
                                                            owner: Actor) -> None:
    settings.max_upload_mb = 1
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        bearer = api_token(client, "claire@lefevre.test")
    meter = _post(app, "/api/v1/imports", bearer)
    assert meter.read_at_answer is not None
    assert meter.read_at_answer < 4 * MB, (
        f"{meter.read_at_answer / MB:.1f} MB read for an import limited to 1 MB")
