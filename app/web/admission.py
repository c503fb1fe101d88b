"""Admission: at most `limit` requests at work at once; the others wait in the event loop.

A request may hold a database connection from its first query to its end, across several
worker-thread hops. Admitting more requests than the pool holds connections lets threads wait
for a connection while the requests that hold the connections wait for a thread: a deadlock
until the pool's timeout. Admitting a few at a time also spares Python threads a fight over
the GIL, which stretches every request's latency; waiting requests cost nothing but a slot
in the event loop. Static files and the health checks never wait; an upload steps out while
its body arrives (`outside_admission`), so slow links never hold the others back.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

EXEMPT_PREFIXES = ("/static/", "/health")
TICKET = "contentieux.admission"


class Ticket:
    """One request's slot, which it may give back for a while and take again."""

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self.slots = slots
        self.held = False

    async def take(self) -> None:
        await self.slots.acquire()
        self.held = True

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self.slots.release()


class Admission:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(limit)

    def slots(self) -> asyncio.Semaphore:
        """One semaphore per event loop (test clients each run their own loop)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop, self._slots = loop, asyncio.Semaphore(self.limit)
        return self._slots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        ticket = Ticket(self.slots())
        await ticket.take()
        scope[TICKET] = ticket
        try:
            await self.app(scope, receive, send)
        finally:
            ticket.give_back()


@asynccontextmanager
async def outside_admission(request: Request) -> AsyncIterator[None]:
    """The block runs without the request's slot (waiting on the network, not on the server),
    which it takes again, in turn, before going on."""
    ticket: Ticket | None = request.scope.get(TICKET)
    if ticket is None:
        yield
        return
    ticket.give_back()
    try:
        yield
    finally:
        await ticket.take()
