"""The real server, started for one test in its own data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.durability.server import AppServer, serving


@pytest.fixture
def server(tmp_path: Path) -> Iterator[AppServer]:
    with serving(tmp_path / "data") as app:
        yield app
