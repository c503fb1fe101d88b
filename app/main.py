"""create_app(): the FastAPI application, wired. Nothing else lives here."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from app import db, quiet
from app.config import Settings, get_settings
from app.kept import KeptValues
from app.ops.inventory import referenced_files
from app.queue import Runtime, make_queue
from app.services.creditor_lists import KeptLists
from app.storage import FileStore
from app.web import errors
from app.web.admission import Admission
from app.web.headers import SecurityHeaders
from app.web.page_cache import PageCache
from app.web.routes import API_ROUTERS, PAGE_ROUTERS

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def system_clock(settings: Settings) -> Callable[[], date]:
    pinned = settings.today
    return (lambda: pinned) if pinned else date.today  # noqa: DTZ011 (the local calendar day)


@asynccontextmanager
async def frozen_heap(app: FastAPI) -> AsyncIterator[None]:
    """What exists once the app is up (modules, tables, templates) leaves the garbage
    collector's reach: its full collections would otherwise walk it all, pausing requests.
    An in-process job worker starts with the app (its periodic jobs with it), stops with it;
    so does the engine of a page's first reads, in this event loop (app/db.py make_reader)."""
    start = getattr(app.state.queue, "start", None)
    if start is not None:
        start()
    app.state.reader = db.make_reader(app.state.engine, app.state.settings.concurrency)
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()
    if app.state.reader is not None:
        await app.state.reader.dispose()
        app.state.reader = None
    close = getattr(app.state.queue, "close", None)
    if close is not None:
        close()


def create_app(settings: Settings | None = None, *, engine: Engine | None = None,
               migrate: bool = True) -> FastAPI:
    quiet.silence_libraries()
    settings = settings or get_settings()
    settings.ensure_dirs()
    if engine is None:
        engine = db.make_engine(settings.db_url, connections=settings.concurrency)
    if migrate:
        db.migrate(engine)
    FileStore(settings.files_dir).sweep_abandoned(lambda: set(referenced_files(engine)))
    queue = make_queue(engine, settings)  # app/queue.py: in this process, or PostgreSQL's
    if queue.mode == "inline":
        from app.jobs import resume_interrupted

        resume_interrupted(Runtime(engine, settings), queue)  # what a stopped server left
    # The schema and its documentation page are for signed-in users (web/routes/api_docs.py).
    app = FastAPI(title="Contentieux", version="0.1.0", docs_url=None, openapi_url=None,
                  redoc_url=None, lifespan=frozen_heap)
    app.state.settings = settings
    app.state.engine = engine
    app.state.queue = queue
    app.state.clock = system_clock(settings)
    app.state.page_cache = PageCache()
    app.state.creditor_lists = KeptLists()  # a debtor page's courts and scenarios
    app.state.reader = None  # until the lifespan starts (frozen_heap)
    app.state.debtor_counts = KeptValues(max_entries=4096)  # services/debtors.search
    app.add_middleware(Admission, limit=settings.concurrency)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in PAGE_ROUTERS:
        app.include_router(router, include_in_schema=False)
    for router in API_ROUTERS:
        app.include_router(router)
    errors.install(app)
    return app
