"""Health checks for load balancers and monitors: they answer without a session.

`/health` says the process serves requests, and does nothing else (it is also the trivial
endpoint the load benchmark measures pages against); `/health/ready` also asks the database.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.web.deps import SessionDep

log = logging.getLogger("contentieux")
router = APIRouter()


@router.get("/health", name="health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready", name="health_ready", response_model=None)
def ready(session: SessionDep) -> dict[str, str] | JSONResponse:
    try:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except SQLAlchemyError:
        log.exception("health check: the database does not answer")
        return JSONResponse({"status": "unavailable", "database": "unavailable"}, status_code=503)
    return {"status": "ok", "database": "ok"}
