"""A multipart part's headers are bounded before any check of who sends them.

`POST /login` reads its multipart fields anonymously (app/web/uploads.py, `read_fields`): a
part header of several megabytes was appended to, chunk by chunk, with no limit, each chunk
copying all that came before (time in the square of its size). python-multipart 0.0.34 stops
at 4 KB on its own; the project asks for >= 0.0.9, which does not, so the reader bounds each
header line (16 KB) and a part's number of headers itself, and answers 400.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from python_multipart.multipart import MultipartParser

from app.web import uploads
from tests.security.test_upload_body_read_before_refusal import MB, BodyMeter

BOUNDARY = "----contentieux-headers"
CHUNK = 4096


@pytest.fixture(params=["its-own-limits", "no-limits-of-its-own"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """python-multipart as installed, or as before it bounded part headers itself."""
    if request.param == "no-limits-of-its-own":
        monkeypatch.setattr(uploads, "MultipartParser", partial(
            MultipartParser, max_header_count=10**9, max_header_size=10**12))


def _long_header() -> AsyncIterator[bytes]:
    """A field whose Content-Disposition runs 8 MB."""
    async def body() -> AsyncIterator[bytes]:
        yield f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="email"; x="'.encode()
        for _ in range(8 * MB // CHUNK):
            yield b"x" * CHUNK
        yield f'"\r\n\r\na@example.test\r\n--{BOUNDARY}--\r\n'.encode()
    return body()


def _many_headers() -> AsyncIterator[bytes]:
    """A field with 200 000 short headers (about 4 MB)."""
    async def body() -> AsyncIterator[bytes]:
        yield f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="email"\r\n'.encode()
        for _ in range(200_000 // 100):
            yield b"X-A: 1\r\n" * 100
        yield f"\r\na@example.test\r\n--{BOUNDARY}--\r\n".encode()
    return body()


def _post(app: Any, path: str, body: AsyncIterator[bytes]) -> BodyMeter:
    meter = BodyMeter(app)

    async def go() -> None:
        transport = httpx2.ASGITransport(app=meter)
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as c:
            await c.post(path, content=body, headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, go()).result()
    return meter


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("body", [_long_header, _many_headers],
                         ids=["one-8-MB-header", "200-000-headers"])
def test_an_anonymous_sign_in_with_huge_part_headers_is_refused_at_once(
        app: FastAPI, spooled: list[int], body: Callable[[], AsyncIterator[bytes]]) -> None:
    started = time.monotonic()
    meter = _post(app, "/login", body())

    assert meter.status == 400
    assert meter.read_at_answer is not None and meter.read_at_answer < 1 * MB
    assert sum(spooled) == 0
    assert time.monotonic() - started < 10
