"""Bounds on reading an import, so that no file costs more than its share.

- An `.xlsx` is a zip: before openpyxl opens it, every member's inflated size (from the zip's
  central directory, which the reader cannot exceed: Python's zipfile stops at the declared
  size and checks the CRC) must stay under `max_inflated_bytes`, and so must their sum. A
  3.2 MB workbook inflating to 824 MB is refused at once, instead of minutes of parsing.
- At most `max_rows` data rows are read; past them the file is refused.
- A `deadline` (monotonic seconds) stops reading that must stay short, such as what runs
  inside a request (the headers and preview: `REQUEST_SECONDS`), and `cancelled()` stops
  work nobody waits for any more (a background job's runner may pass its own test). Both are
  checked at every read of the file, so even one long call inside openpyxl is interrupted.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from app.imports.report import FileRefused

MB = 1024 * 1024
REQUEST_SECONDS = 5.0  # reading done while a person waits for the page


@dataclass(frozen=True)
class ReadLimits:
    max_rows: int = 1_000_000
    max_inflated_bytes: int = 200 * MB
    deadline: float | None = None
    cancelled: Callable[[], bool] | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> ReadLimits:
        return cls(max_rows=settings.import_max_rows,
                   max_inflated_bytes=settings.import_max_inflated_mb * MB)

    def within(self, seconds: float) -> ReadLimits:
        """The same limits, with reading stopped `seconds` from now."""
        return replace(self, deadline=time.monotonic() + seconds)

    def check_time(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise FileRefused("Lecture du fichier interrompue : plus personne ne l'attend.")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise FileRefused("Ce fichier est trop long à lire pendant l'affichage de la page "
                              "(plus de quelques secondes) : enregistrez-le en CSV, ou "
                              "retirez les feuilles et colonnes inutiles.")

    def check_row(self, rows_read: int) -> None:
        if rows_read > self.max_rows:
            limit = f"{self.max_rows:,}".replace(",", "\u202f")  # 1 000 000
            raise FileRefused(f"Le fichier compte plus de {limit} lignes, le maximum pour un "
                              "import : découpez-le.")


def check_xlsx(path: Path, limits: ReadLimits) -> int:
    """The workbook's total inflated size; FileRefused past the limit, or if not a zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRefused("Ce classeur .xlsx est illisible (fichier abîmé ou protégé).") from exc
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.max_inflated_bytes or total > limits.max_inflated_bytes:
            raise FileRefused(
                f"Ce classeur .xlsx se décompresse en plus de {limits.max_inflated_bytes // MB} "
                f"Mo (« {member.filename[:80]} » : {member.file_size // MB} Mo) : trop gros "
                "pour un import. Enregistrez-le en CSV, ou découpez-le.")
    return total


class GuardedFile:
    """A binary file whose every read first checks the deadline and the cancellation."""

    def __init__(self, handle: BinaryIO, limits: ReadLimits) -> None:
        self._handle = handle
        self._limits = limits

    def read(self, size: int = -1) -> bytes:
        self._limits.check_time()
        return self._handle.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._handle.close()
