"""Background jobs a test's requests launched (claim-file builds, imports) finish before the
test's database goes away."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine


@pytest.fixture(autouse=True)
def _join_background_jobs(engine: Engine) -> Iterator[None]:
    """Depends on `engine` so that it is torn down first, while the database still exists."""
    before = set(threading.enumerate())
    yield
    for thread in set(threading.enumerate()) - before:
        target = getattr(thread, "_target", None)  # the app's own jobs, not the libraries' pools
        if getattr(target, "__module__", "").startswith("app."):
            thread.join(timeout=300)
