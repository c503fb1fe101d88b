"""Library warnings we read past on purpose, silenced once for the whole process.

Before Python 3.14 the warning filters are one list per process, and `warnings.catch_warnings()`
saves it on entry and puts it back on exit. In a server with worker threads, a thread leaving
such a block undoes the filters another thread set inside its own, or leaves its own behind for
good. So nothing here is silenced for a moment: each filter below is set at start
(`silence_libraries`, called by the app and the CLI) and kept; the test suite, where warnings are
errors, sets the same (tests/conftest.py).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pikepdf
from pydantic.warnings import UnsupportedFieldAttributeWarning


@dataclass(frozen=True)
class Ignored:
    category: type[Warning]
    module: str  # a regex on the module the warning is attributed to; "" for any
    why: str


IGNORED = (
    Ignored(UnsupportedFieldAttributeWarning, "",
            "FastAPI builds each route's parameter models at the first request that passes by "
            "it, with field-only metadata pydantic warns about; FastAPI silences it in a "
            "catch_warnings block, which another thread's exit can undo (stop 23's CI)"),
    Ignored(pikepdf.PageCopyWarning, "",
            "the claim file copies exhibits' pages for print: form fields keep their "
            "appearance and are no longer fillable, which is what a bundle wants"),
    Ignored(UserWarning, r"openpyxl(\.|$)",
            "openpyxl warns about workbook parts an import does not read (styles, drawings, "
            "defined names)"),
)


def silence_libraries() -> None:
    """Sets the filters (again: `filterwarnings` replaces an identical filter, never adds one)."""
    for item in IGNORED:
        warnings.filterwarnings("ignore", category=item.category, module=item.module)


def pytest_filters() -> list[str]:
    """The same filters in pytest's `filterwarnings` syntax (action:message:category:module)."""
    return [f"ignore::{item.category.__module__}.{item.category.__qualname__}:{item.module}"
            for item in IGNORED]
