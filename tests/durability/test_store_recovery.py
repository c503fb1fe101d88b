"""The file store after a writer died: its half files and uncommitted files are swept, a live
writer's files are not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.storage import FileStore

DIE_WRITING = """
import os, sys
from app.storage import FileStore
store = FileStore(sys.argv[1])
if sys.argv[2] == "scratch":  # a claim-file build's working folder, killed mid-build
    with store.scratch() as folder:
        (folder / "volume-1.pdf").write_bytes(b"half of a volume")
        os._exit(0)
staged = store.stage()
staged.write(b"half of a file")
if sys.argv[2] == "placed":
    staged.commit()  # placed in the store, then the process dies before its row is committed
os._exit(0)
"""


def die(store: FileStore, stage: str) -> None:
    subprocess.run([sys.executable, "-c", DIE_WRITING, str(store.root), stage], check=True,
                   cwd=Path(__file__).resolve().parents[2])


def test_a_half_written_upload_of_a_dead_process_is_swept(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    die(store, "half")
    assert len(store.temp_files()) == 1 and store.placed_markers() == []
    assert store.sweep_abandoned(set) == 1
    assert store.temp_files() == []


def test_a_file_placed_by_a_dead_process_without_its_row_is_removed(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    die(store, "placed")
    [marker] = store.placed_markers()
    sha = marker.name.removeprefix("placed-").split("-")[0]
    assert store.exists(sha)
    store.sweep_abandoned(set)
    assert not store.exists(sha) and store.placed_markers() == []


def test_a_file_placed_by_a_dead_process_whose_row_was_committed_stays(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    die(store, "placed")
    sha = store.placed_markers()[0].name.removeprefix("placed-").split("-")[0]
    store.sweep_abandoned(lambda: {sha})
    assert store.exists(sha) and store.placed_markers() == []


def test_the_files_of_a_live_writer_are_left_alone(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    writing = store.stage()
    writing.write(b"still arriving")
    placed = store.stage_bytes(b"placed, row not committed yet")
    sha = placed.commit()
    assert store.sweep_abandoned(set) == 0
    assert store.exists(sha) and writing.path.exists()
    writing.write(b" and done")
    assert writing.commit() and store.exists(writing.sha256)
    assert len(store.placed_markers()) == 2
    del placed, writing  # the callers committed their rows: the markers go
    assert store.placed_markers() == [] and store.temp_files() == []


def test_the_scratch_folder_of_a_dead_build_is_swept_a_live_one_is_not(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    die(store, "scratch")
    [left] = store.temp_files()
    assert left.is_dir() and (left / "volume-1.pdf").exists()
    with store.scratch() as live:
        (live / "summary.pdf").write_bytes(b"being written")
        assert store.sweep_abandoned(set) == 1
        assert store.temp_files() == [live] and (live / "summary.pdf").exists()
    assert store.temp_files() == []
