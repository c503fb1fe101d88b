"""CI's two runs share the tests that say the same on any database (pytest plugin).

`.ci/run` runs the whole suite twice side by side, on SQLite and on PostgreSQL, and names each
run in CONTENTIEUX_TEST_RUN ("sqlite" or "postgresql"). A test that uses no database fixture,
that prints papers (tests/documents: the database only holds their input), or that is marked
`any_database` (what it checks is a paper, OCR or the browser, not what a database keeps) gives
the same answer in both: each such module runs in one of the two, so that every test still runs
once in CI. The modules are dealt by how long each took in a past CI run (tests/ci_weights.json;
a module not in it counts a second a test), the longest first, each to the run that has less to
do so far: the PostgreSQL run starts with what its shared tests take more than SQLite's.
Everything else that touches a database runs in both, and so does the module that writes every
column and reads it back (what PostgreSQL's types could refuse) or a test with a `skipif` (it
may run in one run only; a test marked `any_database` must never skip under CI). Without
CONTENTIEUX_TEST_RUN — the README's command on a fresh machine — nothing is left out.

Refresh the weights when modules come and go: run CI with PYTEST_ADDOPTS=--durations=0, cut its
output in the two runs' parts, and `python -m tests.ci_share SQLITE_PART POSTGRESQL_PART`.

Each run prints how many tests it left to the other; `.ci/run` checks that the two runs agree.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

RUNS = ("sqlite", "postgresql")
DATABASE_FIXTURES = frozenset({"engine", "scratch_database_url"})
PAPERS = "tests/documents/"
# It writes every text column with names in every script and reads them back: each database's
# types must take them. The papers printed from such names run once, as every paper does.
EVERY_COLUMN = frozenset({"tests/documents/test_every_column_keeps_text.py"})
ANY_DATABASE = "any_database"  # a marker: what the test checks is the same on either database
WEIGHTS = Path(__file__).with_name("ci_weights.json")
UNKNOWN_SECONDS = 1.0  # a test of a module the weights do not know yet
SHARE = pytest.StashKey[tuple[int, int]]()  # once-run tests kept here, left to the other run


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def runs_once(item: pytest.Item) -> bool:
    module = module_of(item)
    if module in EVERY_COLUMN:
        return False
    if any(True for _ in item.iter_markers(ANY_DATABASE)):
        return True
    if any(True for _ in item.iter_markers("skipif")):
        return False
    uses_database = bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
    return module.startswith(PAPERS) or not uses_database


def dealt(items: list[pytest.Item], run: str, weights: dict | None = None) -> set[str]:  # type: ignore[type-arg]
    """The modules of once-run tests this run takes: the longest first, each to the run with
    less to do so far (same items, same weights: both runs deal alike)."""
    weights = load_weights() if weights is None else weights
    tests = Counter(module_of(item) for item in items if runs_once(item))
    seconds = {module: weights["modules"].get(module, UNKNOWN_SECONDS * count)
               for module, count in tests.items()}
    load = {name: float(weights["head_start"].get(name, 0)) for name in RUNS}
    taken: dict[str, set[str]] = {name: set() for name in RUNS}
    for module in sorted(seconds, key=lambda module: (-seconds[module], module)):
        lighter = min(RUNS, key=lambda name: (load[name], RUNS.index(name)))
        taken[lighter].add(module)
        load[lighter] += seconds[module]
    return taken[run]


def load_weights() -> dict:  # type: ignore[type-arg]
    return json.loads(WEIGHTS.read_text(encoding="utf-8"))


def weights_from_logs(sqlite_log: str, postgresql_log: str, once: Iterable[str]) -> dict:  # type: ignore[type-arg]
    """Seconds per once-run module and the PostgreSQL run's head start, from the two runs'
    `--durations=0` reports (setup, call and teardown of each test)."""
    seconds = [_durations(sqlite_log), _durations(postgresql_log)]
    modules: Counter[str] = Counter()
    for test in once:
        modules[test.split("::")[0]] += max(run.get(test, 0.0) for run in seconds)
    shared = [sum(time for test, time in run.items() if test not in set(once)) for run in seconds]
    return {"head_start": {"postgresql": round(max(0.0, shared[1] - shared[0]), 1)},
            "modules": {module: round(time, 1) for module, time in sorted(modules.items())}}


def _durations(log: str) -> dict[str, float]:
    times: Counter[str] = Counter()
    for time, test in re.findall(r"^([\d.]+)s (?:setup|call|teardown) +(\S+)", log, re.M):
        times[test] += float(time)
    return dict(times)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    run = os.environ.get("CONTENTIEUX_TEST_RUN", "")
    if run not in RUNS:
        return
    mine = dealt(items, run)
    once = [item for item in items if runs_once(item)]
    left = [item for item in once if module_of(item) not in mine]
    if left:
        config.hook.pytest_deselected(items=left)
        gone = set(map(id, left))
        items[:] = [item for item in items if id(item) not in gone]
    config.stash[SHARE] = (len(once) - len(left), len(left))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    if SHARE in config.stash:
        kept, left = config.stash[SHARE]
        terminalreporter.write_line(
            f"CI share: ran {kept} tests that run once, left {left} to the other run "
            f"({os.environ['CONTENTIEUX_TEST_RUN']} run; they use no database, or print papers)")


class _OnceTests:
    """Collects the ids of the once-run tests (a pytest plugin, for `weights_from_logs`)."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.ids = [item.nodeid for item in items if runs_once(item)]


if __name__ == "__main__":
    # python -m tests.ci_share SQLITE_LOG POSTGRESQL_LOG: refresh tests/ci_weights.json from a
    # CI run's output made with PYTEST_ADDOPTS=--durations=0 (its two runs' parts, split).
    once = _OnceTests()
    pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider"], plugins=[once])
    sqlite_text, postgresql_text = (Path(arg).read_text() for arg in sys.argv[1:3])
    WEIGHTS.write_text(json.dumps(weights_from_logs(sqlite_text, postgresql_text, once.ids),
                                  indent=1) + "\n")
