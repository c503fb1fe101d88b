"""Health check for load balancers: answers without a session."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text
from sqlmodel import Session

from app.web.deps import SessionDep

router = APIRouter()


@router.get("/health", name="health")
def health(session: SessionDep) -> dict[str, str]:
    _check(session)
    return {"status": "ok"}


def _check(session: Session) -> None:
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]
