"""Admission: at most `limit` requests at work at once; the others wait in the event loop.

A request may hold a database connection from its first query to its end, across several
worker-thread hops. Admitting more requests than the pool holds connections lets threads wait
for a connection while the requests that hold the connections wait for a thread: a deadlock
until the pool's timeout. Admitting a few at a time also spares Python threads a fight over
the GIL, which stretches every request's latency; waiting requests cost nothing but a slot
in the event loop. Static files and the health checks never wait; an upload steps out while
its body arrives (`outside_admission`), so slow links never hold the others back.

A page asked for by a client that went away while it waited (a user who clicked elsewhere, a
proxy's timeout) is not rendered: under a load the server cannot keep up with, the work goes
to requests someone still waits for.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EXEMPT_PREFIXES = ("/static/", "/health")
TICKET = "contentieux.admission"
# Requests without a body: their one message is at hand at once, so asking whether the client
# is still there never waits (a body would still be on its way, and is never read ahead).
BODILESS = frozenset({"GET", "HEAD"})


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
        try:
            if scope.get("method") in BODILESS:  # its turn came: is its client still there?
                await seen_closed()
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # nobody would read the page
                receive = replaying(message, receive)
            scope[TICKET] = ticket
            await self.app(scope, receive, send)
        finally:
            ticket.give_back()


async def seen_closed() -> None:
    """Let the event loop read the sockets before going on. A round of the loop reads the
    sockets, then runs what was ready, in order: a request read in the round before, then the
    close read in this one. The close is handed to the request in the next round (uvicorn's
    `connection_lost`): two rounds, so a closed connection is known. A page that renders on the
    loop itself (SQLite) holds the whole round: without this, every request read before it
    was rendered, whoever was still there."""
    await asyncio.sleep(0)
    await asyncio.sleep(0)


def replaying(message: Message, receive: Receive) -> Receive:
    """`receive`, which gives `message` (already read) first."""
    pending = [message]

    async def again() -> Message:
        return pending.pop() if pending else await receive()

    return again


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
