"""Background jobs a test's requests launched (claim-file builds, imports) finish before the
test's database goes away; what a form parser spools, recorded."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from tempfile import SpooledTemporaryFile

import pytest
from sqlalchemy.engine import Engine
from starlette import formparsers


@pytest.fixture(autouse=True)
def _join_background_jobs(engine: Engine) -> Iterator[None]:
    """Depends on `engine` so that it is torn down first, while the database still exists."""
    before = set(threading.enumerate())
    yield
    for thread in set(threading.enumerate()) - before:
        target = getattr(thread, "_target", None)  # the app's own jobs, not the libraries' pools
        if getattr(target, "__module__", "").startswith("app."):
            thread.join(timeout=300)


@pytest.fixture
def spooled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of what Starlette's form parser writes to its temporary files."""
    written: list[int] = []

    class Recording(SpooledTemporaryFile):  # type: ignore[type-arg]
        def write(self, data: bytes) -> int:  # type: ignore[override]
            written.append(len(data))
            return super().write(data)

    monkeypatch.setattr(formparsers, "SpooledTemporaryFile", Recording)
    return written
