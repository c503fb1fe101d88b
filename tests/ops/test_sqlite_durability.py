"""SQLite runs in WAL mode with a busy timeout: readers never wait, a second writer waits its turn."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import text

from app import db


def test_every_connection_uses_wal_a_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'contentieux.sqlite3'}")
    try:
        with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):
                assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
                assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_a_reader_is_not_blocked_and_a_second_writer_waits_instead_of_failing(
        tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'contentieux.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    holding = threading.Event()
    release = threading.Event()

    def long_writer() -> None:
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
            raw.driver_connection.execute("UPDATE counter SET n = n + 1")  # type: ignore[union-attr]
            holding.set()
            release.wait(timeout=10)
            time.sleep(0.3)
            raw.driver_connection.execute("COMMIT")  # type: ignore[union-attr]
        finally:
            raw.close()

    thread = threading.Thread(target=long_writer)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        with engine.connect() as reader:  # WAL: reads the last committed state at once
            started = time.monotonic()
            assert reader.execute(text("SELECT n FROM counter")).scalar() == 0
            assert time.monotonic() - started < 0.2
        release.set()
        with engine.begin() as second_writer:  # waits for the lock (busy timeout), no error
            second_writer.execute(text("UPDATE counter SET n = n + 10"))
    finally:
        release.set()
        thread.join(timeout=10)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar() == 11
    engine.dispose()
