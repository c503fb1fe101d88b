"""Fixtures: a database per test, the app, and a cast of users.

The cast: `owner` and `colleague` work for Menuiserie Lefèvre; `outsider` works for another
creditor (Plâtrerie Roux) and must never see Lefèvre's data; `reader` is a read-only member.
Set CONTENTIEUX_TEST_DATABASE_URL to run the suite against PostgreSQL.
"""

from __future__ import annotations

import gc
import os
import re
import sqlite3
import types
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from app import db, quiet, security
from app import main as app_main
from app.config import Settings
from app.main import create_app
from app.services.context import Actor
from tests.factories import make_user

pytest_plugins = ["tests.ci_share"]  # CI's two runs share the database-free tests

PASSWORD = "correct horse battery"
TODAY = date(2026, 11, 22)
TEST_DB_URL = os.environ.get("CONTENTIEUX_TEST_DATABASE_URL", "")


def pytest_configure(config: pytest.Config) -> None:
    """The library warnings the app silences for good (app/quiet.py) are silenced in the suite
    too, above its `error`: code that runs without the app's start (a builder, a reader) then
    meets the same filters as in production."""
    for line in quiet.pytest_filters():
        config.addinivalue_line("filterwarnings", line)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """argon2 at its cheapest in tests: the cost is a production setting, not behaviour."""
    original = security._hasher
    security._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    security._hasher = original


@pytest.fixture(autouse=True, scope="session")
def _young_collection_at_app_start() -> Iterator[None]:
    """The app's start collects the whole heap before freezing it (app/main.py, frozen_heap):
    a production latency setting, made once per server. In the test process, whose heap holds
    every library the suite imports, that full collection cost 0.2 to 0.7 s per TestClient;
    here it collects the young generations only. The freeze and the unfreeze still run."""
    original = app_main.gc
    app_main.gc = types.SimpleNamespace(collect=lambda: gc.collect(1), freeze=gc.freeze,
                                        unfreeze=gc.unfreeze)
    yield
    app_main.gc = original


@lru_cache(maxsize=1)
def _sqlite_template() -> Engine:
    """The schema made once (db.create_all) in an in-memory database that each test copies."""
    engine = db.make_engine("sqlite://")
    db.create_all(engine)
    return engine


def _sqlite_engine(path: Path) -> Engine:
    """A fresh database file holding the models' schema: a page copy of the template (sqlite3's
    backup), the same database as db.create_all makes at a 30th of its cost. A file, as the
    app runs on: an in-memory database is one connection shared by every thread, so the
    server's own job worker ended a request's transaction under it ("cannot rollback - no
    transaction is active", seen in CI)."""
    source, target = _sqlite_template().raw_connection(), sqlite3.connect(path)
    try:
        source.driver_connection.backup(target)
    finally:
        source.close()
        target.close()
    return db.make_engine(f"sqlite:///{path}")


@lru_cache(maxsize=1)
def _postgres() -> Engine:
    """One schema for the whole run on PostgreSQL; each test starts from empty tables."""
    engine = db.make_engine(TEST_DB_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
    db.create_all(engine)
    return engine


@lru_cache(maxsize=1)
def _emptying_sql() -> str:
    """Rows deleted child tables first, then each id sequence restarted at 1 (as TRUNCATE ...
    RESTART IDENTITY did, at a 30th of its cost: TRUNCATE makes new files for every table and
    index, about 30 ms a test, where deleting the few rows a test wrote takes about 1 ms)."""
    engine = _postgres()
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    serials = [(table.name, column.name) for table in tables for column in table.primary_key
               if column.autoincrement in (True, "auto") and column.type.python_type is int]
    with engine.connect() as connection:
        sequences = [connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                        {"t": f'"{name}"', "c": column}).scalar_one()
                     for name, column in serials]
    deletes = "; ".join(f'DELETE FROM "{table.name}"' for table in tables)
    restarts = ", ".join(f"setval('{sequence}', 1, false)" for sequence in sequences if sequence)
    return f"{deletes}; SELECT {restarts}"


def _emptied(engine: Engine) -> Engine:
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL lock_timeout = '60s'"))
        connection.exec_driver_sql(_emptying_sql())
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    if TEST_DB_URL:
        yield _emptied(_postgres())
        return
    engine = _sqlite_engine(tmp_path / "contentieux.sqlite3")
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # No background reading of uploaded pièces (OCR costs seconds each): the tests of
    # tests/evidence/test_evidence_text*.py turn it on.
    return Settings(data_dir=tmp_path / "data", today=TODAY, read_evidence=False)


@pytest.fixture
def app(settings: Settings, engine: Engine):  # type: ignore[no-untyped-def]
    return create_app(settings, engine=engine, migrate=False)


@pytest.fixture
def owner(session: Session) -> Actor:
    return make_user(session, "claire@lefevre.test", "Menuiserie Lefèvre")


@pytest.fixture
def colleague(session: Session, owner: Actor) -> Actor:
    return make_user(session, "hugo@lefevre.test", "Menuiserie Lefèvre", role="member")


@pytest.fixture
def reader(session: Session, owner: Actor) -> Actor:
    return make_user(session, "lea@lefevre.test", "Menuiserie Lefèvre", role="readonly")


@pytest.fixture
def outsider(session: Session) -> Actor:
    return make_user(session, "paul@roux.test", "Plâtrerie Roux")


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser(TestClient):
    """A TestClient that signs in and sends the page's CSRF token like a browser form."""

    csrf = ""

    def login(self, email: str, password: str = PASSWORD) -> Browser:
        response = self.post("/login", data={"email": email, "password": password, "next": "/"},
                             follow_redirects=False)
        assert response.status_code == 303, response.text
        self.refresh_csrf()
        return self

    def refresh_csrf(self) -> None:
        page = self.get("/creditor")
        match = CSRF_RE.search(page.text)
        assert match, "no CSRF token on the page"
        self.csrf = match.group(1)

    def submit(self, url: str, data: dict[str, str] | None = None, **kwargs):  # type: ignore[no-untyped-def]
        return self.post(url, data={**(data or {}), "csrf_token": self.csrf}, **kwargs)


@pytest.fixture
def client(app) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    with Browser(app) as browser:
        yield browser


@pytest.fixture
def owner_client(client: Browser, owner: Actor) -> Browser:
    return client.login("claire@lefevre.test")


def email_of(actor: Actor, session: Session) -> str:
    from app.models import User

    user = session.get(User, actor.user_id)
    assert user is not None
    return user.email


def api_token(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}




@pytest.fixture
def scratch_database_url() -> Iterator[str]:
    """A PostgreSQL database of its own (on the server of CONTENTIEUX_TEST_DATABASE_URL) for
    the app's processes started with CONTENTIEUX_DATABASE_URL: they migrate it; dropped after."""
    import uuid

    from sqlalchemy import make_url

    name = f"contentieux_scratch_{uuid.uuid4().hex[:10]}"
    server = db.make_engine(TEST_DB_URL).execution_options(isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(TEST_DB_URL).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()
