"""Warning filters are one list for the whole process (before Python 3.14).

`warnings.catch_warnings()` saves that list on entry and puts it back on exit: a thread leaving
its block undoes whatever another thread set in the meantime. FastAPI builds a route's parameter
models at the first request that passes by it, inside such a block that silences pydantic's
UnsupportedFieldAttributeWarning. Under the suite's `filterwarnings = error`, a worker or a test
thread leaving its own block at that moment turned that warning into a server error: a browser
test's first click on "Générer le dossier complet" answered 500 in CI (stop 23).

The other thread is played here without a thread, at the worst moment: the filter list is put
back to the suite's just before each parameter model is built, as the other thread's exit does.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path
from typing import Any

import pytest
from fastapi._compat import v2
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

APP = Path(__file__).resolve().parents[2] / "app"


def set_filters(filters: list[tuple[Any, ...]]) -> None:
    """The process's filter list made equal to `filters`, through the public API."""
    warnings.resetwarnings()
    for action, message, category, module, lineno in filters:
        warnings.filterwarnings(action, _pattern(message), category, _pattern(module), lineno,
                                append=True)


def _pattern(regex: Any) -> str:
    """A filter's message or module: a compiled regex, a string or None."""
    return str(getattr(regex, "pattern", regex) or "")


def test_a_route_built_while_another_thread_leaves_its_block_answers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    suite_filters = list(warnings.filters)  # the suite's: `error`, and what it ignores
    type_adapter = v2.TypeAdapter

    def built_after_another_threads_exit(*args: Any, **kwargs: Any) -> Any:
        set_filters(suite_filters)  # FastAPI's own `ignore` is gone, as in the race
        return type_adapter(*args, **kwargs)

    monkeypatch.setattr(v2, "TypeAdapter", built_after_another_threads_exit)
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with TestClient(app) as client:
        # An unknown path passes by every route, so each route is built on the way.
        assert client.get("/aucune-page").status_code == 404


def test_the_app_sets_no_warning_filter_for_a_moment() -> None:
    """Our own code silences a library's warnings once for the process (app/quiet.py), never
    with catch_warnings in a thread, where it would undo or leak another thread's filters."""
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "catch_warnings":
                offenders.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert offenders == []
