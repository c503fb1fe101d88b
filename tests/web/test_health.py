"""Health checks: `/health` answers without touching anything, `/health/ready` asks the database."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import db


def test_health_and_readiness_answer_without_a_session(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/health/ready").json() == {"status": "ok", "database": "ok"}


def test_readiness_says_503_when_the_database_does_not_answer(app: FastAPI,
                                                              client: TestClient) -> None:
    app.state.engine = db.make_engine("sqlite:////nonexistent-folder/contentieux.sqlite3")
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unavailable"}
    assert client.get("/health").status_code == 200  # the process itself still serves
