"""`contentieux backup FILE`: a consistent archive of the database and the file store.

Safe while the app runs. The database is copied first — SQLite through its online backup API
(one read transaction: a consistent snapshot, writers are not blocked in WAL mode), PostgreSQL
through `pg_dump` (one repeatable-read snapshot). Stored files are then added: they are never
modified and a row is committed only after its file is in place, so every file the snapshot
references is already there. Each file is hashed while it is archived; `manifest.json`, written
last, lists the SHA-256 and size of every member. The archive is written under a temporary name
and renamed when complete: a half-written backup never carries the final name.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from app.ops.inventory import (
    OpsError,
    count_rows,
    database_kind,
    libpq_url,
    list_store,
    referenced_files,
    row_counts,
    store_relative,
)
from app.storage import CHUNK

FORMAT = "contentieux-backup"
FORMAT_VERSION = 1
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.dump"
MANIFEST = "manifest.json"
FORMS_PREFIX = "forms/"  # official Cerfa PDFs uploaded into the data folder


@dataclass
class BackupSummary:
    path: Path
    database: str
    files: int = 0
    bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    corrupted: list[str] = field(default_factory=list)  # stored files whose hash is wrong


def write_backup(engine: Engine, files_dir: Path, target: Path,
                 forms_dir: Path | None = None) -> BackupSummary:
    """Archive the database, the file store and the uploaded official forms (`forms_dir`)."""
    target = target.expanduser().resolve()
    if target.exists():
        raise OpsError(f"Le fichier {target} existe déjà : choisissez un autre nom.")
    if not target.parent.is_dir():
        raise OpsError(f"Le dossier {target.parent} n'existe pas.")
    kind = database_kind(engine.url.render_as_string(hide_password=False))
    summary = BackupSummary(path=target, database=kind)
    fd, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                        dir=target.parent)
    os.close(fd)
    partial = Path(partial_name)
    try:
        _write_archive(engine, files_dir, forms_dir, partial, target, summary)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _write_archive(engine: Engine, files_dir: Path, forms_dir: Path | None, partial: Path,
                   target: Path, summary: BackupSummary) -> None:
    members: dict[str, dict[str, object]] = {}
    mode = "w:gz" if target.name.endswith((".gz", ".tgz")) else "w"
    with tempfile.TemporaryDirectory(prefix="contentieux-backup-") as work, \
            tarfile.open(partial, mode) as archive:  # type: ignore[call-overload]
        database_file, summary.counts = _dump_database(engine, summary.database, Path(work))
        name = SQLITE_MEMBER if summary.database == "sqlite" else PG_MEMBER
        members[name] = _add_file(archive, database_file, name)
        database_file.unlink()
        listing = list_store(files_dir)  # after the snapshot: every referenced file is there
        for sha, path in listing.files.items():
            entry = _add_file(archive, path, f"files/{store_relative(sha)}")
            members[f"files/{store_relative(sha)}"] = entry
            if entry["sha256"] != sha:
                summary.corrupted.append(store_relative(sha))
            summary.files += 1
            summary.bytes += int(entry["size"])  # type: ignore[call-overload]
        for path in _forms(forms_dir):
            name = f"{FORMS_PREFIX}{path.relative_to(forms_dir).as_posix()}"  # type: ignore[arg-type]
            members[name] = _add_file(archive, path, name)
        manifest = _manifest(engine, summary, members)
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())


def _manifest(engine: Engine, summary: BackupSummary,
              members: dict[str, dict[str, object]]) -> dict[str, object]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": _app_version(),
        "database": summary.database,
        "alembic_revision": _alembic_revision(engine),
        "counts": summary.counts,
        "referenced_files": len(referenced_files(engine)),
        "members": members,
    }


def _app_version() -> str:
    try:
        return version("contentieux")
    except PackageNotFoundError:
        return "unknown"


def _alembic_revision(engine: Engine) -> str:
    if "alembic_version" not in inspect(engine).get_table_names():
        return ""
    with engine.connect() as connection:
        return str(connection.execute(text("SELECT version_num FROM alembic_version"))
                   .scalar() or "")


def _forms(forms_dir: Path | None) -> list[Path]:
    if forms_dir is None or not forms_dir.is_dir():
        return []
    return sorted(p for p in forms_dir.rglob("*") if p.is_file() and not p.is_symlink())


# ------------------------------------------------------------------------------ database


def _dump_database(engine: Engine, kind: str, work: Path) -> tuple[Path, dict[str, int]]:
    """The dump and its row counts, both of one snapshot: `contentieux restore` checks the
    restored database against these counts, so they must describe the dump itself."""
    if kind == "sqlite":
        path = _sqlite_snapshot(engine, work / SQLITE_MEMBER)
        snapshot = create_engine(f"sqlite:///{path}")  # plain: no pragma changes the file
        try:
            return path, row_counts(snapshot)
        finally:
            snapshot.dispose()
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():  # held open while pg_dump reads the exported snapshot
            exported = str(connection.execute(text("SELECT pg_export_snapshot()")).scalar())
            counts = count_rows(connection)
            return _pg_dump(engine, work / PG_MEMBER, exported), counts


def _sqlite_snapshot(engine: Engine, destination: Path) -> Path:
    """SQLite's online backup API, all pages in one step: one consistent snapshot."""
    target = sqlite3.connect(destination)
    source = engine.raw_connection()
    try:
        source.driver_connection.backup(target)  # type: ignore[union-attr]
    finally:
        source.close()
        target.close()
    return destination


def pg_tool(name: str) -> str:
    """The newest installed PostgreSQL client tool (Debian keeps them per major version)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if found is None:
        raise OpsError(f"{name} est introuvable : installez le paquet postgresql-client.")
    return found


def _pg_dump(engine: Engine, destination: Path, snapshot: str) -> Path:
    url, env = libpq_url(engine.url.render_as_string(hide_password=False))
    command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
               f"--snapshot={snapshot}", f"--file={destination}", f"--dbname={url}"]
    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise OpsError(f"pg_dump a échoué : {result.stderr.strip()}")
    return destination


# ------------------------------------------------------------------------------ archive


class _HashingReader:
    """Hands the bytes to tarfile while hashing them: each file is read once."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size if size and size > 0 else CHUNK)
        self.digest.update(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, object]:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)  # type: ignore[arg-type]
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))
