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
from app.models import Creditor, Debtor, Invoice, Payment, Step
from app.services import accounts, debtors, invoices, payments, steps
from app.services.accounts import SignedIn
from app.services.context import Actor

SESSION_COOKIE = "contentieux_session"
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
        await at_the_database(session, session.close)


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
    def creditor(self) -> Creditor:
        creditor = self.signed.creditor
        assert creditor is not None
        return creditor


def viewer_of(request: Request, session: Session) -> Viewer:
    """The signed-in viewer (one query), or LoginRequired."""
    return _viewer(request, accounts.signed_in(session, request.cookies.get(SESSION_COOKIE)))


async def get_viewer(request: Request, session: SessionDep) -> Viewer:
    """`viewer_of` as a dependency: on SQLite (a local file, no wait on a network) without the
    hop to a worker thread that every page, kept ones first, would pay for one query."""
    token = request.cookies.get(SESSION_COOKIE)
    if session.get_bind().dialect.name == "sqlite":
        return _viewer(request, accounts.signed_in(session, token))
    return _viewer(request, await run_in_threadpool(accounts.signed_in, session, token))


def _viewer(request: Request, signed: SignedIn | None) -> Viewer:
    if signed is None or signed.creditor is None:
        raise LoginRequired
    actor = Actor(user_id=signed.user.id, creditor_id=signed.creditor.id, role=signed.role)  # type: ignore[arg-type]
    viewer = Viewer(signed, actor)
    request.state.viewer = viewer
    return viewer


async def check_csrf(request: Request, viewer: Annotated[Viewer, Depends(get_viewer)]) -> Viewer:
    """State-changing requests carry the token in X-CSRF-Token (htmx) or the form (plain)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return viewer
    token = request.headers.get("X-CSRF-Token")
    if token is None:
        form = await request.form()
        token = str(form.get("csrf_token", ""))
    if not accounts.same_token(token, viewer.csrf_token):
        raise CsrfFailed
    return viewer


ViewerDep = Annotated[Viewer, Depends(check_csrf)]


async def actor_of(viewer: ViewerDep) -> Actor:
    return viewer.actor


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
