"""Evidence tests: a 1 MB upload limit, the sample files, and helpers to look at the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.models import Debtor, Evidence
from app.services.context import Actor
from app.storage import FileStore
from tests.conftest import TODAY, Browser
from tests.factories import make_debtor, make_invoice

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LIMIT_MB = 1


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", today=TODAY, max_upload_mb=LIMIT_MB,
                    read_evidence=False)


@pytest.fixture
def store(settings: Settings) -> FileStore:
    settings.ensure_dirs()
    return FileStore(settings.files_dir)


@pytest.fixture
def durand(session: Session, owner: Actor) -> Debtor:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)  # F-2025-001
    make_invoice(session, owner, debtor, number="F-2025-002", issue_date="2025-02-10",
                 due_date="2025-03-12")
    return debtor


def stored_files(store: FileStore) -> list[Path]:
    """Files in the store proper (not the temporary folder)."""
    return sorted(p for p in store.root.rglob("*") if p.is_file() and ".tmp" not in p.parts)


def rows(session: Session, debtor: Debtor) -> list[Evidence]:
    session.expire_all()
    return list(session.exec(select(Evidence).where(Evidence.debtor_id == debtor.id)
                             .order_by(Evidence.position)))  # type: ignore[arg-type]


def upload(client: Browser, debtor: Debtor, *files: tuple[str, bytes], htmx: bool = True,
           **fields: str):  # type: ignore[no-untyped-def]
    """Post files like the page does: one multipart form, CSRF token first."""
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/debtors/{debtor.id}/evidence",
                       data={"csrf_token": client.csrf, **fields},
                       files=[("files", (name, content)) for name, content in files],
                       headers=headers, follow_redirects=False)
