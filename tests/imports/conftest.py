"""Helpers for the import tests: upload bytes through the service as a user would."""

from __future__ import annotations

import io

import pytest
from sqlmodel import Session

from app.config import Settings
from app.models import ImportBatch
from app.services import imports
from app.services.context import Actor


@pytest.fixture
def upload(session: Session, settings: Settings):  # type: ignore[no-untyped-def]
    settings.ensure_dirs()

    def _upload(actor: Actor, content: bytes, filename: str = "812345678FEC20261231.txt",
                kind: str = "fec", source: str = "") -> ImportBatch:
        return imports.upload(session, actor, settings, io.BytesIO(content), filename, kind,
                              source)

    return _upload
