"""CI's two runs share the tests that say the same on any database (tests/ci_share.py): every
test runs in CI, the database-free ones once, the others on both databases."""

from __future__ import annotations

from dataclasses import dataclass

from tests import ci_share


@dataclass
class Item:
    nodeid: str
    fixturenames: tuple[str, ...] = ()
    skipif: bool = False

    def iter_markers(self, name: str):  # type: ignore[no-untyped-def]
        return iter([name] if name == "skipif" and self.skipif else [])


ITEMS = [
    Item("tests/law/test_interest.py::test_a"),
    Item("tests/law/test_interest.py::test_b"),
    Item("tests/law/test_calendar.py::test_c"),
    Item("tests/documents/test_letters.py::test_d", ("session", "engine")),
    Item("tests/documents/test_papers_any_script.py::test_e", ("session", "engine")),
    Item("tests/web/test_access.py::test_f", ("client", "app", "engine")),
    Item("tests/test_cli.py::test_g", (), skipif=True),
    Item("tests/durability/test_queue_cluster.py::test_h", ("scratch_database_url",)),
    Item("tests/ops/test_backup.py::test_i"),
]


def test_each_database_free_or_paper_test_runs_in_exactly_one_run() -> None:
    once = [i for i in ITEMS if ci_share.runs_once(i)]  # type: ignore[arg-type]
    assert [i.nodeid.split("::")[1] for i in once] == ["test_a", "test_b", "test_c", "test_d",
                                                        "test_i"]
    shares = [ci_share.dealt(ITEMS, run) for run in ci_share.RUNS]  # type: ignore[arg-type]
    assert not shares[0] & shares[1]
    assert shares[0] | shares[1] == {i.nodeid.split("::")[0] for i in once}
    assert abs(len(shares[0]) - len(shares[1])) <= 1  # dealt alternately


def test_a_test_of_a_database_or_that_may_skip_runs_in_both() -> None:
    for name in ("test_e", "test_f", "test_g", "test_h"):
        item = next(i for i in ITEMS if i.nodeid.endswith(name))
        assert not ci_share.runs_once(item)  # type: ignore[arg-type]
