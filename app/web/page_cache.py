"""Pages kept per creditor at a creditor revision (app/revisions.py), shared by its team.

A page is served again for the same URL and the same kind of htmx request, on the same
"today", while the creditor's revision in the database is unchanged: every change to what the
creditor's pages show bumps that revision in its own transaction, so nothing a kept page shows
can have changed. A debtor's page is kept at the debtor's own revision and the creditor's
shared one instead, unless it showed rows of other files (`reads_other_files`).
One render serves every member who may write (or every reader) with the same
creditor switcher (the creditors they work for): what belongs to one user, the session's CSRF token and the
e-mail address, is rendered as a mark (random per process, so no content can spell it) and put
in at send time, for the user who asked. Bounded in bytes, least recently used out first; each
server process keeps its own, and each checks the revision in the shared database on every
request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from app.web import page_marks as marks
from app.web.deps import Viewer, on_database
from app.web.htmx import is_fragment_request

MAX_BYTES = 64 * 1024 * 1024
STATUS_HEADER = "X-Page-Cache"
OTHER_FILES = "reads_other_files"  # on a rendered response


@dataclass(frozen=True)
class KeptPage:
    body: bytes  # with the marks, never a user's own values
    headers: tuple[tuple[bytes, bytes], ...]  # without content-length: the body's varies

    def response(self, viewer: Viewer, status: bytes) -> Response:
        response = Response(personal(self.body, viewer))
        length = [(name, value) for name, value in response.raw_headers
                  if name == b"content-length"]
        response.raw_headers = [*self.headers, *length, (STATUS_HEADER.lower().encode(), status)]
        return response


def personal(body: bytes, viewer: Viewer) -> bytes:
    """The kept body with `viewer`'s own CSRF token and address (app/web/page_marks.py)."""
    return marks.personal(body, viewer.csrf_token, viewer.signed.user.email)


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


def page_key(request: Request, viewer: Viewer, today: date,
             debtor: tuple[int, int] | None = None) -> Hashable:
    """What the page shows depends on: the creditor at its revision, the day, the URL, the
    kind of request, whether the viewer may write (its buttons and forms) and the header's
    creditor switcher (the viewer's creditors), never on who the user is. A page of one
    debtor's file, `debtor` (id, revision), is keyed at that revision and the creditor's
    shared one instead (app/revisions.py): a change to another file leaves it kept."""
    switcher = tuple((c.id, c.legal_name) for _, c in viewer.signed.memberships)
    creditor = viewer.creditor
    at = creditor.revision if debtor is None else ("file", creditor.shared_revision, *debtor)
    return (creditor.id, at, today, str(request.url), is_fragment_request(request),
            viewer.actor.can_write, switcher)


def reads_other_files(response: Response) -> Response:
    """Marks a debtor's page that shows rows of other debtors' files (an invoice number
    already taken elsewhere): it is kept at the creditor's revision, as a list is."""
    setattr(response, OTHER_FILES, True)
    return response


def keepable(response: Response) -> bool:
    return (response.status_code == 200 and isinstance(response.body, bytes)
            and not any(name == b"set-cookie" for name, _ in response.raw_headers))


async def cached_page(request: Request, today: date, render_page: Callable[[], Response],
                      debtor: tuple[int, int] | None = None, *,
                      session: Session | None = None) -> Response:
    """The kept page if nothing it shows has changed, without leaving the event loop; else
    `render_page()` (database work, see `deps.on_database`), with the marks, kept for next time.
    `debtor`: (id, revision) of the one file the page shows (see `page_key`); `session`: the
    request's, whose transaction ends with the rendering, in the same worker thread on a
    server (one hop fewer than its end after the response, `deps.get_session`)."""
    cache: PageCache = request.app.state.page_cache
    viewer: Viewer = request.state.viewer
    keys = [page_key(request, viewer, today)]
    if debtor is not None:
        keys.insert(0, page_key(request, viewer, today, debtor))
    for key in keys:
        kept = cache.get(key)
        if kept is not None:
            return kept.response(viewer, b"hit")
    setattr(request.state, marks.KEPT_STATE, True)
    try:
        response = await on_database(request.app.state.engine, _rendered, render_page, session)
    finally:  # an error page is rendered after, for this user
        setattr(request.state, marks.KEPT_STATE, False)
    if not keepable(response):  # rendered with the marks all the same: put the values in
        if isinstance(response.body, bytes):
            response.body = personal(response.body, viewer)
            response.headers["content-length"] = str(len(response.body))
        return response
    page = KeptPage(bytes(response.body), tuple(
        (name, value) for name, value in response.raw_headers if name != b"content-length"))
    cache.put(keys[-1] if getattr(response, OTHER_FILES, False) else keys[0], page)
    return page.response(viewer, b"miss")


def _rendered(render_page: Callable[[], Response], session: Session | None) -> Response:
    response = render_page()
    if session is not None:  # the page is rendered: its reads are done, the connection free
        session.close()
    return response
