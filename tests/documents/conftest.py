"""PDF test helpers: WeasyPrint log guard, `--update-golden`, normalised page text."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.render import capture_warnings

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.txt from the current output")


@pytest.fixture(autouse=True)
def no_weasyprint_warning() -> Iterator[None]:
    """WeasyPrint returns a PDF even with a broken image or CSS rule: any warning fails."""
    with capture_warnings() as warnings:
        yield
    assert not warnings, f"WeasyPrint logged: {warnings}"


def normalise(text: str) -> str:
    """Collapse whitespace, including the no-break spaces of French typography."""
    return _SPACES.sub(" ", text).strip()


def pages_text(pdf: bytes) -> list[str]:
    return [normalise(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare with tests/golden/<name>, or rewrite it under --update-golden."""
    update = bool(request.config.getoption("--update-golden", default=False))

    def check(name: str, text: str) -> None:
        path = GOLDEN_DIR / name
        if update:
            path.write_text(text + "\n", encoding="utf-8")
        assert path.exists(), f"golden file {name} missing: run pytest --update-golden"
        assert path.read_text(encoding="utf-8") == text + "\n", (
            f"{name} differs from the golden file; review and run pytest --update-golden")

    return check
