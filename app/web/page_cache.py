"""Pages kept per signed-in session at a creditor revision (app/revisions.py).

A page is served again only to the same session, for the same URL and the same kind of htmx
request, on the same "today", while the creditor's revision in the database is unchanged:
every change to what the creditor's pages show bumps that revision in its own transaction, so
nothing a kept page shows can have changed. The signed-in user's header (name, creditors,
roles) is part of the key. Bounded in bytes, least recently used out first; each server
process keeps its own, and each checks the revision in the shared database on every request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from app.web.deps import Viewer
from app.web.htmx import is_fragment_request

MAX_BYTES = 64 * 1024 * 1024
STATUS_HEADER = "X-Page-Cache"


@dataclass(frozen=True)
class KeptPage:
    body: bytes
    headers: tuple[tuple[bytes, bytes], ...]

    def response(self) -> Response:
        response = Response(self.body)
        response.raw_headers = [*self.headers, (STATUS_HEADER.lower().encode(), b"hit")]
        return response


class PageCache:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[Hashable, KeptPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # sync routes run in worker threads

    def get(self, key: Hashable) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, page: KeptPage) -> None:
        with self._lock:
            old = self._pages.pop(key, None)
            self._bytes -= len(old.body) if old else 0
            self._pages[key] = page
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes and self._pages:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= len(evicted.body)

    def __len__(self) -> int:
        return len(self._pages)


def page_key(request: Request, viewer: Viewer, today: date) -> Hashable:
    signed = viewer.signed
    header = (signed.user.id, signed.user.name, signed.user.email,
              tuple((c.id, c.legal_name, m.role) for m, c in signed.memberships))
    # The session's token hash, never its id: a database may give a deleted row's id again.
    return (signed.session.token_hash, viewer.creditor.id, viewer.creditor.revision, today,
            str(request.url), is_fragment_request(request), header)


def keepable(response: Response) -> bool:
    return (response.status_code == 200 and isinstance(response.body, bytes)
            and not any(name == b"set-cookie" for name, _ in response.raw_headers))


async def cached_page(request: Request, today: date,
                      render_page: Callable[[], Response]) -> Response:
    """The kept page if nothing it shows has changed, without leaving the event loop; else
    `render_page()` (database work: in a worker thread), kept for next time."""
    cache: PageCache = request.app.state.page_cache
    key = page_key(request, request.state.viewer, today)
    kept = cache.get(key)
    if kept is not None:
        return kept.response()
    response = await run_in_threadpool(render_page)
    if keepable(response):
        cache.put(key, KeptPage(response.body, tuple(response.raw_headers)))
    response.headers[STATUS_HEADER] = "miss"
    return response
