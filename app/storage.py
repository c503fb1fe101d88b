"""Content-addressed file store: every file lives at `ab/cd/<sha256>` under the files folder.

A file is first written to a temporary file in the store's `.tmp` folder (same file system),
hashed while it is written, fsynced, then renamed into place with `os.replace`, and the
folder is fsynced: a crash leaves either the whole file or no file, never half of one.
Stored files are never modified; writing the same content twice keeps one copy.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from app.errors import DiskFull

SHA256_RE = re.compile(r"[0-9a-f]{64}")
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
TEMP_DIR = ".tmp"
PLACED = "placed-"  # marker of a file placed in the store whose row is not committed yet
CHUNK = 1024 * 1024


class TooLarge(Exception):
    """More bytes were written to a staged file than its limit allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


class StagedFile:
    """A file being written: hashed on the fly, committed into the store or discarded."""

    def __init__(self, store: FileStore, limit: int | None = None) -> None:
        self.store = store
        self.limit = limit
        self.size = 0
        self._hash = hashlib.sha256()
        fd, name = tempfile.mkstemp(prefix="upload-", dir=store.temp_dir)
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until committed or discarded: see sweep_abandoned
        self._lock: int | None = os.dup(fd)
        self.path = Path(name)
        self._file: BinaryIO | None = os.fdopen(fd, "wb")
        self.sha256 = ""
        self.committed = False
        self._placed: tuple[int, Path] | None = None

    def write(self, data: bytes) -> None:
        """Append bytes; raises TooLarge (and discards the file) beyond the limit."""
        assert self._file is not None, "staged file already closed"
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            self.discard()
            raise TooLarge(self.limit)
        try:
            self._file.write(data)
        except OSError as exc:
            self._full_disk_or_raise(exc)
        self._hash.update(data)

    def finish(self) -> str:
        """Flush and fsync the temporary file; returns its SHA-256 (hex)."""
        if self._file is not None:
            try:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
            except OSError as exc:
                self._full_disk_or_raise(exc)
            self._file = None
            self.sha256 = self._hash.hexdigest()
        return self.sha256

    def _full_disk_or_raise(self, exc: OSError) -> None:
        """A full disk: the partial temporary file is removed, and DiskFull says so."""
        self.discard()
        if exc.errno in DISK_FULL:
            raise DiskFull from exc
        raise exc

    def commit(self) -> str:
        """Move the finished file into the store under its hash; returns the hash."""
        sha = self.finish()
        target = self.store.path_for(sha)
        if target.exists():
            self.path.unlink(missing_ok=True)
        else:
            self._placed = self._mark_placed(sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.path, target)
            _fsync_dir(target.parent)
        self.committed = True
        self._unlock()
        return sha

    def discard(self) -> None:
        """Forget the file (refused, too large, or an error): nothing remains on disk."""
        if self._file is not None:
            file, self._file = self._file, None
            with contextlib.suppress(OSError):  # a full disk refuses the last flush:
                file.close()  # the file is removed anyway
        if not self.committed:
            self.path.unlink(missing_ok=True)
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _mark_placed(self, sha: str) -> tuple[int, Path]:
        """A locked marker naming the file placed in the store until this object is dropped
        (after the caller's database commit): a crash before that commit leaves the marker
        unlocked, and `sweep_abandoned` removes the file if no row names it."""
        fd, name = tempfile.mkstemp(prefix=f"{PLACED}{sha}-", dir=self.store.temp_dir)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd, Path(name)

    def __del__(self) -> None:
        if getattr(self, "_lock", None) is not None:
            self._unlock()
        if getattr(self, "_placed", None) is not None:
            fd, marker = self._placed
            self._placed = None
            marker.unlink(missing_ok=True)
            os.close(fd)

    def __enter__(self) -> StagedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.discard()


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.temp_dir = self.root / TEMP_DIR
        self.temp_dir.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha: str) -> Path:
        if not SHA256_RE.fullmatch(sha):
            raise ValueError(f"not a SHA-256 hex digest: {sha!r}")
        return self.root / sha[:2] / sha[2:4] / sha

    def exists(self, sha: str) -> bool:
        return self.path_for(sha).is_file()

    def open(self, sha: str) -> BinaryIO:
        return self.path_for(sha).open("rb")

    def read(self, sha: str) -> bytes:
        return self.path_for(sha).read_bytes()

    def stage(self, limit: int | None = None) -> StagedFile:
        return StagedFile(self, limit)

    def stage_bytes(self, data: bytes | Iterable[bytes], limit: int | None = None) -> StagedFile:
        """A finished staged file from bytes already in hand (e.g. an e-mail attachment)."""
        staged = self.stage(limit)
        try:
            for chunk in ([data] if isinstance(data, bytes) else data):
                staged.write(chunk)
            staged.finish()
        except BaseException:
            staged.discard()
            raise
        return staged

    @contextmanager
    def scratch(self, prefix: str = "scratch-") -> Iterator[Path]:
        """A private working folder in `.tmp` (big intermediate files: same disk as the store,
        not the system's /tmp), removed on exit; a writer that dies leaves it unlocked, and
        `sweep_abandoned` removes it at the next start."""
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=self.temp_dir))
        fd = os.open(folder, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            os.close(fd)

    def put(self, data: bytes) -> str:
        """Store bytes at once; returns the hash."""
        staged = self.stage_bytes(data)
        return staged.commit()

    def temp_files(self) -> list[Path]:
        """Files being written (markers of placed files are not counted)."""
        return sorted(p for p in self.temp_dir.iterdir() if not p.name.startswith(PLACED))

    def placed_markers(self) -> list[Path]:
        return sorted(self.temp_dir.glob(f"{PLACED}*"))

    def sweep_abandoned(self, referenced: Callable[[], set[str]]) -> int:
        """Remove the temporary files of writers that died (a crash, SIGKILL), and the files
        they had placed in the store for a row that was never committed (`referenced()`: the
        hashes rows name). A live writer holds a lock on its files, which the system releases
        when its process ends: safe while other processes, even other servers sharing the
        store, are uploading."""
        removed = 0
        names: set[str] | None = None
        for path in sorted(self.temp_dir.iterdir(), key=lambda p: p.name.startswith(PLACED)):
            try:
                fd = _lock_if_free(path, fcntl.LOCK_EX)
            except OSError:
                continue  # gone meanwhile
            if fd is None:
                continue  # being written right now
            try:
                if path.name.startswith(PLACED):
                    sha = path.name[len(PLACED):].split("-", 1)[0]
                    names = referenced() if names is None else names
                    if sha not in names and not self._placed_elsewhere(sha, path):
                        self.path_for(sha).unlink(missing_ok=True)
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)  # a dead writer's scratch folder
                else:
                    path.unlink(missing_ok=True)
                removed += 1
            finally:
                os.close(fd)
        return removed

    def _placed_elsewhere(self, sha: str, own: Path) -> bool:
        """Another live writer placed the same content and has not committed its row yet."""
        for other in self.temp_dir.glob(f"{PLACED}{sha}-*"):
            if other == own:
                continue
            try:
                fd = _lock_if_free(other, fcntl.LOCK_SH)
            except OSError:
                continue  # committed meanwhile: its marker is gone
            if fd is None:
                return True
            os.close(fd)
        return False

    def sweep_temp(self, older_than_seconds: float = 3600) -> int:
        """Remove temporary files left by a crash; returns how many were removed."""
        cutoff = time.time() - older_than_seconds
        removed = 0
        for path in self.temp_dir.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock_if_free(path: Path, mode: int) -> int | None:
    """An open descriptor of `path` holding the lock `mode`, or None while a live writer holds
    it; OSError when `path` cannot be opened."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd
