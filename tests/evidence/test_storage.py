"""The content-addressed store: ab/cd/<sha256>, atomic writes, nothing left by a refusal."""

from __future__ import annotations

import hashlib

import pytest

from app.storage import FileStore, TooLarge


def test_a_file_is_stored_under_its_hash_in_two_levels_of_folders(store: FileStore) -> None:
    data = b"%PDF-1.4 devis"
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.path_for(sha) == store.root / sha[:2] / sha[2:4] / sha
    assert store.read(sha) == data
    with store.open(sha) as handle:
        assert handle.read() == data
    assert store.temp_files() == []


def test_the_same_content_twice_is_kept_once(store: FileStore) -> None:
    first = store.put(b"same bytes")
    second = store.put(b"same bytes")
    assert first == second
    assert len([p for p in store.root.rglob(first)]) == 1
    assert store.temp_files() == []


def test_a_staged_file_is_hashed_while_written_and_invisible_until_committed(
        store: FileStore) -> None:
    staged = store.stage()
    for chunk in (b"a" * 1000, b"b" * 1000):
        staged.write(chunk)
    sha = staged.finish()
    assert sha == hashlib.sha256(b"a" * 1000 + b"b" * 1000).hexdigest()
    assert not store.exists(sha)
    assert staged.path.parent == store.temp_dir
    staged.commit()
    assert store.exists(sha)
    assert store.temp_files() == []


def test_writing_past_the_limit_discards_the_temporary_file(store: FileStore) -> None:
    staged = store.stage(limit=10)
    staged.write(b"12345")
    with pytest.raises(TooLarge):
        staged.write(b"678901")
    assert store.temp_files() == []


def test_a_discarded_file_leaves_nothing(store: FileStore) -> None:
    with store.stage() as staged:
        staged.write(b"refused content")
    assert store.temp_files() == []
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_only_hex_digests_name_a_stored_file(store: FileStore) -> None:
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")


def test_leftover_temporary_files_of_a_crash_are_swept(store: FileStore) -> None:
    staged = store.stage()
    staged.write(b"half a file")
    staged._file.close()  # type: ignore[union-attr]  # the process died here
    assert store.sweep_temp(older_than_seconds=-1) == 1
    assert store.temp_files() == []
