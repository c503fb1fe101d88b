"""`contentieux restore FILE`: an archive of `contentieux backup` into an empty data folder.

It gives back the database, the file store (`files/`) and the uploaded official forms (`forms/`).

Nothing is written over existing data: the data folder must hold no file, and the target
database must be empty (SQLite: no file yet; PostgreSQL: no table). Every member is extracted
into a staging folder inside the data folder and checked against the manifest (SHA-256 and
size) before anything is put in place; on any refusal the data folder is left as it was.
The row counts it reports are read from the restored database, and must match the manifest's.
The schema is brought up to date by the next `contentieux serve` (migrations run at start).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Engine

from app import db
from app.config import Settings
from app.ops.backup import FORMAT, FORMS_PREFIX, MANIFEST, PG_MEMBER, SQLITE_MEMBER, pg_tool
from app.ops.inventory import OpsError, database_kind, libpq_url, row_counts, sqlite_file
from app.storage import CHUNK

FILE_MEMBER_RE = re.compile(r"files/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})")
FORM_MEMBER_RE = re.compile(r"forms/[\w.-]+(/[\w.-]+)*")


@dataclass
class RestoreSummary:
    database: str
    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def restore_backup(archive_path: Path, settings: Settings) -> RestoreSummary:
    archive_path = archive_path.expanduser().resolve()
    if not archive_path.is_file():
        raise OpsError(f"Archive introuvable : {archive_path}")
    kind = database_kind(settings.db_url)
    _require_empty_target(settings, kind)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=settings.data_dir))
    try:
        manifest, extracted = _extract(archive_path, staging)
        if manifest.get("database") != kind:
            raise OpsError(f"Cette sauvegarde contient une base {manifest.get('database')} ; "
                           f"la base cible est {kind}. Restaurez vers le même type de base.")
        _restore_database(settings, kind, staging)
        summary = RestoreSummary(database=kind, counts=_checked_counts(settings, manifest))
        summary.files = _place_files(settings.files_dir, extracted)
        _place_forms(settings.data_dir, extracted)
    except BaseException:
        _undo(settings, kind)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


# ------------------------------------------------------------------------------ refusals


def _require_empty_target(settings: Settings, kind: str) -> None:
    data_dir = settings.data_dir
    if data_dir.exists() and not data_dir.is_dir():
        raise OpsError(f"{data_dir} n'est pas un dossier.")
    if data_dir.is_dir() and any(p.is_file() or p.is_symlink() for p in data_dir.rglob("*")):
        raise OpsError(f"Le dossier de données {data_dir} n'est pas vide : la restauration "
                       "n'écrase jamais des données existantes. Choisissez un dossier vide "
                       "(CONTENTIEUX_DATA_DIR) ou déplacez son contenu.")
    if kind == "sqlite":
        path = sqlite_file(settings.db_url)
        if path is None:
            raise OpsError("Impossible de restaurer dans une base SQLite en mémoire.")
        if path.exists():
            raise OpsError(f"La base {path} existe déjà : la restauration n'écrase jamais "
                           "une base existante.")
        return
    engine = db.make_engine(settings.db_url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise OpsError("La base PostgreSQL cible n'est pas vide "
                       f"({len(tables)} tables) : créez une base vide pour la restauration.")


# ------------------------------------------------------------------------------ extraction


def _extract(archive_path: Path, staging: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Every member into `staging`, hashed on the way; then checked against the manifest."""
    found: dict[str, tuple[str, int]] = {}
    extracted: dict[str, Path] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            for member in archive:
                if not member.isfile():
                    raise OpsError(f"Archive invalide : élément inattendu « {member.name} ».")
                source = archive.extractfile(member)
                assert source is not None
                if member.name == MANIFEST:
                    manifest = _read_manifest(source.read())
                    continue
                destination = _staging_path(staging, member.name)
                found[member.name] = _copy_hashing(source, destination)
                extracted[member.name] = destination
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise OpsError(f"Archive illisible ou tronquée : {archive_path} ({exc}).") from exc
    if manifest is None:
        raise OpsError("Archive invalide : manifest.json manquant.")
    _verify(manifest, found)
    return manifest, extracted


def _read_manifest(raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise OpsError("Archive invalide : manifest.json illisible.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise OpsError("Ce fichier n'est pas une sauvegarde Contentieux.")
    return manifest


def _staging_path(staging: Path, name: str) -> Path:
    match = FILE_MEMBER_RE.fullmatch(name)
    if name in (SQLITE_MEMBER, PG_MEMBER):
        return staging / name
    if match and match[1] == match[3][:2] and match[2] == match[3][2:4]:
        (staging / "files").mkdir(exist_ok=True)
        return staging / "files" / match[3]
    if FORM_MEMBER_RE.fullmatch(name) and ".." not in name.split("/"):
        destination = staging / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        return destination
    raise OpsError(f"Archive invalide : élément inattendu « {name} ».")


def _copy_hashing(source: Any, destination: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with destination.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size


def _verify(manifest: dict[str, Any], found: dict[str, tuple[str, int]]) -> None:
    expected = manifest.get("members", {})
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    if missing or extra:
        raise OpsError("Archive incomplète : " + ", ".join(
            [f"manque {name}" for name in missing[:5]] +
            [f"en trop {name}" for name in extra[:5]]))
    for name, (sha, size) in found.items():
        entry = expected[name]
        if entry.get("sha256") != sha or entry.get("size") != size:
            raise OpsError(f"Archive corrompue : {name} ne correspond pas à son empreinte "
                           "SHA-256 du manifeste. Rien n'a été restauré.")


# ------------------------------------------------------------------------------ placing


def _restore_database(settings: Settings, kind: str, staging: Path) -> None:
    if kind == "sqlite":
        source = staging / SQLITE_MEMBER
        _check_sqlite(source)
        destination = sqlite_file(settings.db_url)
        assert destination is not None
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, destination)
        return
    url, env = libpq_url(settings.db_url)
    command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={url}", str(staging / PG_MEMBER)]
    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise OpsError(f"pg_restore a échoué : {result.stderr.strip()}")


def _checked_counts(settings: Settings, manifest: dict[str, Any]) -> dict[str, int]:
    """The row counts of the restored database, which must be those the manifest states: a
    manifest that lies about them is refused (and what was restored is removed)."""
    engine = db.make_engine(settings.db_url)
    try:
        actual = row_counts(engine)
    finally:
        engine.dispose()
    stated = manifest.get("counts")
    if not isinstance(stated, dict) or not stated:
        raise OpsError("Archive invalide : le manifeste ne donne pas le nombre de lignes de "
                       "la base. Rien n'a été restauré.")
    wrong = [f"{table} : {stated.get(table)} annoncé(s), {actual.get(table, 0)} dans la base"
             for table in sorted(set(stated) | set(actual))
             if stated.get(table) != actual.get(table, 0)]
    if wrong:
        raise OpsError("Archive incohérente : le manifeste ne décrit pas la base qu'elle "
                       "contient (" + " ; ".join(wrong[:5]) + "). Rien n'a été restauré.")
    return actual


def _check_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if verdict != "ok":
        raise OpsError(f"La base SQLite de l'archive est endommagée : {verdict}")


def _place_files(files_dir: Path, extracted: dict[str, Path]) -> int:
    placed = 0
    for name, path in extracted.items():
        match = FILE_MEMBER_RE.fullmatch(name)
        if match is None:
            continue
        target = files_dir / match[1] / match[2] / match[3]
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        placed += 1
    return placed


def _place_forms(data_dir: Path, extracted: dict[str, Path]) -> None:
    for name, path in extracted.items():
        if name.startswith(FORMS_PREFIX):
            target = data_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)


# The functions of the schema (the search index's triggers), not those of an extension.
RESTORED_FUNCTIONS = text(
    "SELECT p.oid::regprocedure::text FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')")


def _drop_functions(engine: Engine) -> None:
    """Functions outlive drop_all: left there, the next restore would meet them again."""
    with engine.begin() as connection:
        for (signature,) in connection.execute(RESTORED_FUNCTIONS).all():
            connection.execute(text(f"DROP FUNCTION IF EXISTS {signature} CASCADE"))


def _undo(settings: Settings, kind: str) -> None:
    """The target was empty before: remove what this restore put there."""
    shutil.rmtree(settings.files_dir, ignore_errors=True)
    shutil.rmtree(settings.data_dir / FORMS_PREFIX, ignore_errors=True)
    if kind == "postgresql":
        engine = db.make_engine(settings.db_url)
        try:
            restored = MetaData()
            restored.reflect(engine)  # only this restore's tables: the base was empty
            restored.drop_all(engine)
            _drop_functions(engine)
        finally:
            engine.dispose()
    if kind == "sqlite":
        path = sqlite_file(settings.db_url)
        if path is not None:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
