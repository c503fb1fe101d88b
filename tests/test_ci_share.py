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
    marks: tuple[str, ...] = ()

    def iter_markers(self, name: str):  # type: ignore[no-untyped-def]
        return iter([name] if name in self.marks or (name == "skipif" and self.skipif) else [])


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
    Item("tests/security/test_paper_requests.py::test_j", ("session", "engine"),
         marks=("any_database",)),
    Item("tests/evidence/test_ocr_accuracy.py::test_k", (), skipif=True, marks=("any_database",)),
    Item("tests/documents/test_every_column_keeps_text.py::test_l", ("session", "engine")),
]


def test_each_database_free_or_paper_test_runs_in_exactly_one_run() -> None:
    once = [i for i in ITEMS if ci_share.runs_once(i)]  # type: ignore[arg-type]
    assert [i.nodeid.split("::")[1] for i in once] == ["test_a", "test_b", "test_c", "test_d",
                                                        "test_e", "test_i", "test_j", "test_k"]
    shares = [ci_share.dealt(ITEMS, run) for run in ci_share.RUNS]  # type: ignore[arg-type]
    assert not shares[0] & shares[1]
    assert shares[0] | shares[1] == {i.nodeid.split("::")[0] for i in once}


def test_the_longest_modules_are_dealt_first_to_the_run_with_less_to_do() -> None:
    weights = {"head_start": {"postgresql": 20},
               "modules": {"tests/law/test_interest.py": 30,  # two tests, 30 s
                           "tests/documents/test_letters.py": 25,
                           "tests/security/test_paper_requests.py": 12}}
    # not in the weights: a second a test (papers_any_script, ocr_accuracy, calendar, backup)
    sqlite, postgresql = (ci_share.dealt(ITEMS, run, weights)  # type: ignore[arg-type]
                          for run in ci_share.RUNS)
    # SQLite 0 → interest 30; PostgreSQL 20 → letters 45; SQLite 30 → paper requests 42;
    # then the one-second modules, by name, to the lighter run (SQLite on a tie): 43, 44, 45, 46
    assert sqlite == {"tests/law/test_interest.py", "tests/security/test_paper_requests.py",
                      "tests/documents/test_papers_any_script.py",
                      "tests/evidence/test_ocr_accuracy.py", "tests/law/test_calendar.py",
                      "tests/ops/test_backup.py"}
    assert postgresql == {"tests/documents/test_letters.py"}


def test_the_weights_cover_every_module_that_runs_once_and_are_read_from_ci_output() -> None:
    sqlite_log = ("1.50s call     tests/law/test_interest.py::test_a\n"
                  "0.50s setup    tests/law/test_interest.py::test_a\n"
                  "2.00s call     tests/web/test_access.py::test_f\n")
    postgresql_log = ("3.00s call     tests/law/test_interest.py::test_b\n"
                      "5.00s call     tests/web/test_access.py::test_f\n")
    weights = ci_share.weights_from_logs(sqlite_log, postgresql_log,
                                         ["tests/law/test_interest.py::test_a",
                                          "tests/law/test_interest.py::test_b"])
    assert weights == {"head_start": {"postgresql": 3.0},
                       "modules": {"tests/law/test_interest.py": 5.0}}
    kept = ci_share.load_weights()
    assert kept["head_start"]["postgresql"] >= 0 and kept["modules"]


def test_a_test_of_a_database_or_that_may_skip_runs_in_both() -> None:
    for name in ("test_f", "test_g", "test_h", "test_l"):
        item = next(i for i in ITEMS if i.nodeid.endswith(name))
        assert not ci_share.runs_once(item)  # type: ignore[arg-type]
