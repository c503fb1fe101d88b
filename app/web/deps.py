"""Dependencies: database session, clock, signed-in viewer, CSRF, scoped object loaders.

`DebtorDep` & co. load an object of the viewer's creditor or raise NotFound (404): the
access check is written once here, never in a route.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app.config import Settings
from app.models import Debtor, Invoice, Payment, Step
from app.services import accounts, debtors, invoices, payments, steps
from app.services.accounts import CreditorSeen, SignedIn
from app.services.context import Actor
from app.web.uploads import is_multipart, read_fields

SESSION_COOKIE = "contentieux_session"
CHECKED = "checked_viewer"  # on request.state: the viewer, its CSRF token checked
T = TypeVar("T")


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form."""


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


# Dependencies that do no I/O are `async def`: FastAPI runs sync ones in its thread pool,
# a hop per dependency per request that costs more than their work.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A Session: it connects at its first query, which runs in a worker thread. Closing gives
    the connection back: at once for SQLite (a local file), in a worker thread for a server."""
    session = Session(request.app.state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            await at_the_database(session, session.close)
        else:  # never used: no connection to give back (a kept page, see `read_first`)
            session.close()


async def release_connection(session: Session) -> None:
    """End the session's transaction, which gives its connection back to the pool (the objects
    stay loaded): before a wait on the network, such as an upload's body."""
    await at_the_database(session, session.commit)


async def at_the_database(session: Session, call: Callable[..., T], *args: object) -> T:
    """`call` on the session's database (see `on_database`)."""
    return await on_database(session.get_bind(), call, *args)


async def on_database(bind: Engine | Connection, call: Callable[..., T], *args: object) -> T:
    """SQLite is a local file, whose reads in WAL mode never wait for a lock: at once (in
    worker threads, calls fought for the GIL at each SQLite step, which doubled a rendered
    page's CPU, tests/bench/bench_load.py). A server takes a round trip: in a worker thread."""
    if bind.dialect.name == "sqlite":
        return call(*args)
    return await run_in_threadpool(call, *args)


async def read_first(request: Request, session: Session, call: Callable[..., T],
                     *args: object) -> T:
    """`call(connection, *args)`, a read a page makes before any other (who is signed in, the
    revision a kept page is found at). On a server, in autocommit on the event loop (app/db.py
    make_reader): one round trip, where the session's transaction added a BEGIN and a
    ROLLBACK, and a hop to a worker thread, to a page then served as kept without another
    query (tests/bench/bench_load.py). On SQLite (a local file), on the session's connection."""
    reader = request.app.state.reader
    if reader is not None:
        async with reader.connect() as connection:
            return await connection.run_sync(call, *args)
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        return call(session.connection(), *args)
    # an app whose lifespan has not run (a test client outside `with`): a worker thread
    return await run_in_threadpool(_outside_transaction, bind, call, *args)


def _outside_transaction(engine: Engine, call: Callable[..., T], *args: object) -> T:
    with engine.connect() as connection:
        return call(connection.execution_options(isolation_level="AUTOCOMMIT"), *args)


async def get_today(request: Request) -> date:
    """'Today' for every rule, injected (pinned by CONTENTIEUX_TODAY in demos and tests)."""
    return request.app.state.clock()  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
TodayDep = Annotated[date, Depends(get_today)]


@dataclass(frozen=True)
class Viewer:
    signed: SignedIn
    actor: Actor

    @property
    def csrf_token(self) -> str:
        return self.signed.session.csrf_token

    @property
    def creditor(self) -> CreditorSeen:
        creditor = self.signed.creditor
        assert creditor is not None
        return creditor


def viewer_of(request: Request, session: Session) -> Viewer:
    """The signed-in viewer (one query), or LoginRequired."""
    signed = accounts.signed_in(session.connection(), request.cookies.get(SESSION_COOKIE))
    return _viewer(request, signed)


async def get_viewer(request: Request, session: SessionDep) -> Viewer:
    """`viewer_of` as a dependency, read first (see `read_first`)."""
    token = request.cookies.get(SESSION_COOKIE)
    return _viewer(request, await read_first(request, session, accounts.signed_in, token))


async def viewer_and_debtor(request: Request, session: Session,
                            debtor_id: int) -> tuple[Viewer, int | None]:
    """For a debtor's page (GET): the viewer (as `check_csrf`) and the revision of the debtor,
    which its kept copy is found at (None when the viewer's creditor has no such debtor), read
    first in one statement (`read_first`, accounts.signed_in_and_debtor)."""
    assert request.method in ("GET", "HEAD")  # no CSRF token to check
    token = request.cookies.get(SESSION_COOKIE)
    signed, revision = await read_first(request, session, accounts.signed_in_and_debtor,
                                        token, debtor_id)
    viewer = _viewer(request, signed)
    setattr(request.state, CHECKED, viewer)
    return viewer, revision


def _actor(signed: SignedIn | None) -> Actor | None:
    if signed is None or signed.creditor is None:
        return None
    return Actor(user_id=signed.user.id, creditor_id=signed.creditor.id, role=signed.role)


def _viewer(request: Request, signed: SignedIn | None) -> Viewer:
    actor = _actor(signed)
    if actor is None:
        raise LoginRequired
    viewer = Viewer(signed, actor)  # type: ignore[arg-type]
    request.state.viewer = viewer
    return viewer


async def check_csrf(request: Request, session: SessionDep) -> Viewer:
    """The signed-in viewer; a state-changing request carries its CSRF token in X-CSRF-Token
    (htmx) or the form (plain). One dependency, not a chain of them: FastAPI's cost is per
    dependency, and every page pays it (tests/bench/bench_load.py)."""
    viewer: Viewer | None = getattr(request.state, CHECKED, None)
    if viewer is not None:  # a route that asks for the actor and the viewer
        return viewer
    viewer = await get_viewer(request, session)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        token = await sent_csrf_token(request)
        if not accounts.same_token(token, viewer.csrf_token):
            raise CsrfFailed
    setattr(request.state, CHECKED, viewer)
    return viewer


async def sent_csrf_token(request: Request) -> str:
    """X-CSRF-Token, else the form's `csrf_token` field. The pages that take files stream them
    (app/web/upload_routes.py) and check the token themselves: any other page's multipart
    body is read here with its file parts skipped (`read_fields`), never spooled unbounded to
    the temporary folder; the route's own reading of the form gets these fields back."""
    if is_multipart(request):
        await read_fields(request)
    header = request.headers.get("X-CSRF-Token")
    if header is not None:
        return header
    form = await request.form()
    return str(form.get("csrf_token", ""))


ViewerDep = Annotated[Viewer, Depends(check_csrf)]


async def actor_of(request: Request, session: SessionDep) -> Actor:
    return (await check_csrf(request, session)).actor


ActorDep = Annotated[Actor, Depends(actor_of)]


def load_debtor(debtor_id: int, actor: ActorDep, session: SessionDep) -> Debtor:
    return debtors.get(session, actor, debtor_id)


def load_invoice(invoice_id: int, actor: ActorDep, session: SessionDep) -> Invoice:
    return invoices.get(session, actor, invoice_id)


def load_payment(payment_id: int, actor: ActorDep, session: SessionDep) -> Payment:
    return payments.get(session, actor, payment_id)


def load_step(step_id: int, actor: ActorDep, session: SessionDep) -> Step:
    return steps.get(session, actor, step_id)


DebtorDep = Annotated[Debtor, Depends(load_debtor)]
InvoiceDep = Annotated[Invoice, Depends(load_invoice)]
PaymentDep = Annotated[Payment, Depends(load_payment)]
StepDep = Annotated[Step, Depends(load_step)]
