"""What the file store holds and what the database references: shared by backup, restore, check.

The store keeps every file at `ab/cd/<sha256>` under `settings.files_dir` (see app/storage.py).
Every table column named `sha256` (evidence, generated documents, imports…) references a file
of the store, so a new table is covered without changing this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import SQLModel

from app.storage import CHUNK, SHA256_RE, TEMP_DIR

TABLE_LABELS = {
    "evidence": "pièce",
    "generateddocument": "document généré",
    "importbatch": "fichier importé",
}
COUNTED_TABLES = ("creditor", "user", "debtor", "invoice", "payment", "step", "evidence",
                  "generateddocument", "auditevent")


class OpsError(Exception):
    """A refusal with a French message for the operator (exit code 2, no traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class StoreListing:
    files: dict[str, Path] = field(default_factory=dict)  # sha256 → path
    unexpected: list[Path] = field(default_factory=list)  # not at ab/cd/<sha256>
    temporary: list[Path] = field(default_factory=list)   # left in .tmp (upload in progress)


def list_store(files_dir: Path) -> StoreListing:
    """Every file under the store, sorted by its place (does not read contents)."""
    listing = StoreListing()
    if not files_dir.is_dir():
        return listing
    for path in sorted(_walk(files_dir)):
        parts = path.relative_to(files_dir).parts
        if parts[0] == TEMP_DIR:
            listing.temporary.append(path)
        elif _well_placed(parts):
            listing.files[parts[2]] = path
        else:
            listing.unexpected.append(path)
    return listing


def _walk(root: Path) -> Iterator[Path]:
    for path in root.rglob("*"):
        if path.is_file() or path.is_symlink():
            yield path


def _well_placed(parts: tuple[str, ...]) -> bool:
    if len(parts) != 3 or not SHA256_RE.fullmatch(parts[2]):
        return False
    return parts[0] == parts[2][:2] and parts[1] == parts[2][2:4]


def store_relative(sha: str) -> str:
    return f"{sha[:2]}/{sha[2:4]}/{sha}"


@dataclass(frozen=True)
class Reference:
    table: str
    row_id: object

    def label(self) -> str:
        return f"{TABLE_LABELS.get(self.table, self.table)} n° {self.row_id}"


def referenced_files(engine: Engine) -> dict[str, list[Reference]]:
    """sha256 → the rows that reference it, over every table's `sha256` column and its
    `…_sha256` ones (a pièce's OCR'd copy: `ocr_sha256`)."""
    present = set(inspect(engine).get_table_names())
    references: dict[str, list[Reference]] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            columns = [c for c in table.c if c.name == "sha256" or c.name.endswith("_sha256")]
            if not columns or table.name not in present:
                continue
            key = next(iter(table.primary_key.columns))
            for column in columns:
                for row_id, sha in connection.execute(select(key, column).order_by(key)):
                    if sha:
                        references.setdefault(sha, []).append(Reference(table.name, row_id))
    return references


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return count_rows(connection)


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows of the counted tables, as this connection's transaction sees them."""
    present = set(inspect(connection).get_table_names())
    tables = SQLModel.metadata.tables
    return {name: int(connection.execute(select(func.count()).select_from(tables[name]))
                      .scalar_one())
            for name in COUNTED_TABLES if name in present and name in tables}


def database_kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend in ("sqlite", "postgresql"):
        return backend
    raise OpsError(f"Base de données non prise en charge pour la sauvegarde : {backend}.")


def sqlite_file(url: str) -> Path | None:
    """The SQLite file of a URL; None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def libpq_url(url: str) -> tuple[str, dict[str, str]]:
    """A SQLAlchemy PostgreSQL URL as a libpq URI for pg_dump/pg_restore; password in env."""
    parsed = make_url(url)
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = parsed._replace(password=None).set(drivername="postgresql")
    return plain.render_as_string(hide_password=False), env
