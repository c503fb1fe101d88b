"""CI's two runs share the tests that say the same on any database (pytest plugin).

`.ci/run` runs the whole suite twice side by side, on SQLite and on PostgreSQL, and names each
run in CONTENTIEUX_TEST_RUN ("sqlite" or "postgresql"). A test that uses no database fixture,
or that prints papers (tests/documents: the database only holds their input), gives the same
answer in both: each such module runs in one of the two, the sorted list of them dealt
alternately, so that every test still runs once in CI. Everything that touches a database runs
in both, and so does a module that writes every column (what PostgreSQL's types could refuse)
or a test with a `skipif` (it may run in one run only). Without CONTENTIEUX_TEST_RUN — the
README's command on a fresh machine — nothing is left out.

Each run prints how many tests it left to the other; `.ci/run` checks that the two runs agree.
"""

from __future__ import annotations

import os

import pytest

RUNS = ("sqlite", "postgresql")
DATABASE_FIXTURES = frozenset({"engine", "scratch_database_url"})
PAPERS = "tests/documents/"
# They write every text column with names in every script: each database's types must take it.
EVERY_COLUMN = frozenset({"tests/documents/test_papers_print_as_typed.py",
                          "tests/documents/test_papers_any_script.py"})
SHARE = pytest.StashKey[tuple[int, int]]()  # once-run tests kept here, left to the other run


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def runs_once(item: pytest.Item) -> bool:
    module = module_of(item)
    if module in EVERY_COLUMN or any(True for _ in item.iter_markers("skipif")):
        return False
    uses_database = bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
    return module.startswith(PAPERS) or not uses_database


def dealt(items: list[pytest.Item], run: str) -> set[str]:
    """The modules of once-run tests this run takes: every other one, in name order."""
    modules = sorted({module_of(item) for item in items if runs_once(item)})
    return {module for index, module in enumerate(modules) if RUNS[index % 2] == run}


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
