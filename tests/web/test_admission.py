"""Admission: never more requests at work than the limit; an upload steps out while its body
arrives, so a slow link never holds the other users back."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import pytest
import uvicorn
from starlette.types import Message, Receive, Scope, Send

from app.web.admission import Admission
from tests.durability.server import AppServer, free_port, serving
from tests.durability.test_concurrency import DEBTOR, slow_multipart
from tests.security.rich_file import make_pdf


class Counting:
    """An ASGI app that records how many requests it works on at once."""

    def __init__(self) -> None:
        self.now = self.most = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        await asyncio.sleep(0.01)
        self.now -= 1


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """In a thread of its own: the browser tests' Playwright keeps a loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def call(app: Admission, path: str) -> object:
    async def ignore(*_: object) -> None:
        return None

    return app({"type": "http", "path": path}, ignore, ignore)  # type: ignore[arg-type]


def test_no_more_requests_at_work_than_the_limit() -> None:
    inner = Counting()
    admission = Admission(inner, limit=2)

    async def burst() -> None:
        await asyncio.gather(*(call(admission, "/debtors") for _ in range(12)))  # type: ignore[misc]

    run(burst())
    assert inner.most == 2


def test_static_files_and_health_checks_never_wait() -> None:
    inner = Counting()
    admission = Admission(inner, limit=1)

    async def burst() -> None:
        await asyncio.gather(*(call(admission, path) for path in  # type: ignore[misc]
                               ["/static/css/app.css", "/health", "/health/ready"] * 3))

    run(burst())
    assert inner.most == 9


class Recording:
    """An ASGI app that holds its slot a while and records each request's first message."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Message]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.seen.append((scope["path"], await receive()))
        await asyncio.sleep(0.02)


def asked(app: Admission, method: str, path: str, first: Message) -> object:
    """A request whose first message is `first`, then (as uvicorn) a disconnect."""
    messages = [{"type": "http.disconnect"}, first]

    async def receive() -> Message:
        return messages.pop()

    async def ignore(_: Message) -> None:
        return None

    return app({"type": "http", "method": method, "path": path}, receive, ignore)


def test_a_page_whose_client_went_away_before_its_turn_is_not_rendered() -> None:
    inner = Recording()
    admission = Admission(inner, limit=1)
    gone: Message = {"type": "http.disconnect"}
    here: Message = {"type": "http.request", "body": b"", "more_body": False}

    async def burst() -> None:
        await asyncio.gather(*(asked(admission, method, path, first) for method, path, first in (  # type: ignore[misc]
            ("GET", "/debtors", here),
            ("GET", "/alerts", gone),  # its client left while it waited
            ("HEAD", "/dashboard", gone),
            ("GET", "/dashboard", here),  # waited, its client still there
            ("POST", "/debtors", gone))))  # a body is never read ahead: at work as ever

    run(burst())
    assert inner.seen == [("/debtors", here), ("/dashboard", here),  # the message read is given
                          ("/debtors", gone)]                         # again to the page


def test_a_closed_connection_is_seen_before_its_page_is_rendered() -> None:
    """On SQLite the pages render on the event loop, one after the other in one round of it:
    a client gone meanwhile was only seen after the whole round, and all its pages rendered.
    Thirty requests sent to uvicorn and their connections closed at once: most are not."""
    rendered: list[str] = []

    async def page(scope: Scope, receive: Receive, send: Send) -> None:
        time.sleep(0.02)  # rendered on the loop, as SQLite's pages are
        rendered.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(Admission(page, limit=4), host="127.0.0.1",
                                           port=port, loop="asyncio", http="httptools",
                                           log_level="warning"))
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.01)
        sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(30)]
        for number, connection in enumerate(sockets):
            connection.sendall(f"GET /debtors/{number} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        for connection in sockets:
            connection.close()
        time.sleep(1)
    finally:
        server.should_exit = True
        thread.join(10)
    assert len(rendered) <= 12, rendered  # before: all 30


@pytest.fixture
def one_at_a_time(tmp_path: Path) -> Iterator[AppServer]:
    with serving(tmp_path / "data", CONTENTIEUX_CONCURRENCY="1") as app:
        yield app


def test_a_slow_upload_does_not_hold_the_others_back(one_at_a_time: AppServer) -> None:
    server = one_at_a_time
    headers = server.token()
    with httpx2.Client(base_url=server.url, headers=headers, timeout=60) as client:
        debtor = client.post("/api/v1/debtors", json=DEBTOR).json()
    sent = threading.Event()
    content_type, body = slow_multipart("scan.pdf", make_pdf("scan " + "x" * 200_000), sent)
    outcome: list[int] = []

    def upload() -> None:
        with httpx2.Client(base_url=server.url, timeout=60) as client:
            outcome.append(client.post(f"/api/v1/debtors/{debtor['id']}/evidence", content=body,
                                       headers={**headers, "Content-Type": content_type})
                           .status_code)

    sender = threading.Thread(target=upload)
    sender.start()
    with httpx2.Client(base_url=server.url, headers=headers, timeout=60) as client:
        for _ in range(5):  # while the upload's body is still on its way, with one slot
            assert client.get(f"/api/v1/debtors/{debtor['id']}").status_code == 200
    assert not sent.is_set(), "the upload finished before the other requests: not a test"
    sender.join(60)
    assert outcome == [201]


def test_many_more_requests_than_connections_all_answer(one_at_a_time: AppServer) -> None:
    """Requests beyond the limit wait their turn instead of waiting for a database connection
    in a worker thread (where, past the pool's size, they used to deadlock until its timeout)."""
    server = one_at_a_time
    headers = server.token()
    with httpx2.Client(base_url=server.url, headers=headers, timeout=60) as client:
        debtor = client.post("/api/v1/debtors", json=DEBTOR).json()
    barrier = threading.Barrier(80)
    statuses: list[int] = []

    def read() -> None:
        with httpx2.Client(base_url=server.url, headers=headers, timeout=60) as client:
            barrier.wait()
            statuses.append(client.get(f"/api/v1/debtors/{debtor['id']}/invoices").status_code)

    threads = [threading.Thread(target=read) for _ in range(80)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert statuses == [200] * 80
