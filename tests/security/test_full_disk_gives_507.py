"""A full disk is said plainly: "espace disque insuffisant", HTTP 507, and nothing is left
half-written: no row, no file in the store, no temporary file (issue 14, item 8: a 500
before)."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from app import storage
from app.models import Evidence, ImportBatch
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import Browser, api_token
from tests.evidence.conftest import upload
from tests.factories import make_debtor
from tests.imports.builders import ledger

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PDF = (SAMPLES / "text_quote_signed.pdf").read_bytes()


class _FullDiskFile:
    """A file whose disk fills after `room` bytes (at the write, or only at the fsync)."""

    def __init__(self, real: Any, room: int) -> None:
        self.real, self.room = real, room

    def write(self, data: bytes) -> int:
        self.room -= len(data)
        if self.room < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.real.write(data)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture(params=["write", "fsync"])
def full_disk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(storage.os, "fdopen",
                            lambda fd, mode: _FullDiskFile(real_fdopen(fd, mode), 100))
    else:
        def fsync(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        monkeypatch.setattr(storage.os, "fsync", fsync)
    return str(request.param)


def _nothing_written(store: FileStore) -> bool:
    in_store = [p for p in store.root.rglob("*") if p.is_file() and ".tmp" not in p.parts]
    return in_store == [] and store.temp_files() == []


@pytest.fixture
def store(settings) -> FileStore:  # type: ignore[no-untyped-def]
    settings.ensure_dirs()
    return FileStore(settings.files_dir)


def test_an_upload_on_a_full_disk_gets_507_and_leaves_nothing(
        owner_client: Browser, session: Session, owner: Actor, store: FileStore,
        full_disk: str) -> None:
    debtor = make_debtor(session, owner)
    response = upload(owner_client, debtor, ("devis.pdf", PDF), htmx=False)
    assert response.status_code == 507
    assert "Espace disque insuffisant" in response.text
    assert session.exec(select(Evidence)).all() == []
    assert _nothing_written(store)


def test_the_api_says_507_too(owner_client: Browser, session: Session, owner: Actor,
                              store: FileStore, full_disk: str) -> None:
    debtor = make_debtor(session, owner)
    headers = api_token(owner_client, "claire@lefevre.test")
    response = owner_client.post(f"/api/v1/debtors/{debtor.id}/evidence", headers=headers,
                                 data={"kind": "signed_quote"},
                                 files={"file": ("devis.pdf", PDF, "application/pdf")})
    assert response.status_code == 507
    assert response.json()["detail"].startswith("Espace disque insuffisant")
    assert session.exec(select(Evidence)).all() == []
    assert _nothing_written(store)


def test_an_import_file_on_a_full_disk_gets_507(owner_client: Browser, session: Session,
                                                store: FileStore, full_disk: str) -> None:
    response = owner_client.post("/imports", data={"csrf_token": owner_client.csrf,
                                                   "kind": "fec"},
                                 files={"file": ("812345678FEC20261231.txt", ledger().build())})
    assert response.status_code == 507
    assert "Espace disque insuffisant" in response.text
    assert session.exec(select(ImportBatch)).all() == []
    assert _nothing_written(store)


def test_a_full_database_disk_is_a_507_too(app, owner_client: Browser,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite says "database or disk is full" (an OperationalError), not ENOSPC."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from app.services import debtors

    def full(*args: object, **kwargs: object) -> Callable[..., object]:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(debtors, "create", full)
    response = owner_client.submit("/debtors", {"kind": "company", "legal_name": "Durand"})
    assert response.status_code == 507
    assert "Espace disque insuffisant" in response.text
