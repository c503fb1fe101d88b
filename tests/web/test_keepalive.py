"""`contentieux serve` runs uvicorn with uvloop and httptools, and keeps connections alive.

With the plain asyncio loop, keep-alive requests can stall ~40 ms each (Nagle); the rate of
one keep-alive connection is measured in tests/bench/bench_load.py (a figure, not a timed
assertion here): this checks that the fast stack is what runs, and that one connection
carries many requests.
"""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
import uvloop
from fastapi import FastAPI
from uvicorn.protocols.http.auto import AutoHTTPProtocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tests.durability.server import AppServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AppServer]:
    app = AppServer(tmp_path / "data")
    app.start()
    yield app
    app.stop()


def test_uvicorn_defaults_to_uvloop_and_httptools() -> None:
    config = uvicorn.Config(FastAPI())  # what `contentieux serve` passes: loop/http "auto"
    config.load()
    assert config.http_protocol_class is AutoHTTPProtocol is HttpToolsProtocol
    factory = config.get_loop_factory()
    assert factory is not None
    loop = factory()
    try:
        assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()


def test_two_hundred_requests_share_one_keep_alive_connection(server: AppServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.connect()
        sock = connection.sock
        for _ in range(200):
            connection.request("GET", "/health")
            response = connection.getresponse()
            assert response.status == 200 and response.read() == b'{"status":"ok"}'
            assert response.getheader("connection", "").lower() != "close"
            assert connection.sock is sock, "the server closed the connection"
    finally:
        connection.close()
