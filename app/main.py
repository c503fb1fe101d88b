"""create_app(): the FastAPI application, wired. Nothing else lives here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from app import db
from app.config import Settings, get_settings
from app.web import errors
from app.web.headers import SecurityHeaders
from app.web.routes import ROUTERS

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def system_clock(settings: Settings) -> Callable[[], date]:
    pinned = settings.today
    return (lambda: pinned) if pinned else date.today  # noqa: DTZ011 (the local calendar day)


def create_app(settings: Settings | None = None, *, engine: Engine | None = None,
               migrate: bool = True) -> FastAPI:
    settings = settings or get_settings()
    settings.ensure_dirs()
    if engine is None:
        engine = db.make_engine(settings.db_url)
    if migrate:
        db.migrate(engine)
    app = FastAPI(title="Contentieux", version="0.1.0", docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.state.clock = system_clock(settings)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
    errors.install(app)
    return app
