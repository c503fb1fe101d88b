"""The ZIP export: the claim file PDF(s), every original exhibit under its number, a manifest.

`manifest.json` and `manifest.csv` list each exhibit (number, title, kind, date, original
name, media type, size, SHA-256, file in the ZIP); the CSV uses ";" and a UTF-8 BOM so a
French spreadsheet opens it as is. Originals are copied byte for byte, hashed on the way: a
stored file that no longer matches its recorded hash stops the export, naming the exhibit.
The same inputs give the same bytes: entries in a fixed order, dated at the file's date.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.csvsafe import csv_bytes
from app.documents.claimfile.errors import ClaimFileError
from app.documents.claimfile.model import ClaimFileInfo, Exhibit
from app.evidence.sniff import extension_for
from app.vocabulary import EVIDENCE_KINDS

CHUNK = 1024 * 1024
STORED_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".gif", ".zip", ".docx", ".xlsx"}
FIELDS = ("number", "title", "kind", "kind_label", "date", "original_name", "media_type",
          "size", "sha256", "file")


@dataclass(frozen=True)
class PackageResult:
    path: Path
    size: int
    sha256: str
    manifest: tuple[dict[str, object], ...]  # one entry per exhibit, as in manifest.json


def exhibit_filename(exhibit: Exhibit, width: int = 2) -> str:
    """"Piece-03-devis-signe.pdf": number, title made ASCII, the extension of its content
    (the original's own only when it is one of its type's: an e-mail uploaded as `.bat`, or
    a photo's OCR'd copy, a PDF, is named by what it is), as downloads are."""
    ascii_title = unicodedata.normalize("NFKD", exhibit.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")
    suffix = extension_for(exhibit.media_type, exhibit.original_name) or ".bin"
    name = f"Piece-{exhibit.number:0{width}d}" + (f"-{slug}" if slug else "")
    return name + suffix


def build_package(pdfs: Sequence[Path], exhibits: Sequence[Exhibit], destination: Path,
                  info: ClaimFileInfo) -> PackageResult:
    """Write the ZIP at `destination` (temporary file, then renamed)."""
    moment = (info.file_date.year, info.file_date.month, info.file_date.day, 0, 0, 0)
    width = max(2, len(str(max((e.number for e in exhibits), default=0))))
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part",
                                    dir=destination.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        with zipfile.ZipFile(temporary, "w", allowZip64=True) as archive:
            documents = [_document_entry(archive, path, moment) for path in pdfs]
            manifest = tuple(_exhibit_entry(archive, exhibit, width, moment)
                             for exhibit in exhibits)
            _write_bytes(archive, "manifest.json", _json(info, documents, manifest), moment)
            _write_bytes(archive, "manifest.csv", _csv(manifest), moment)
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return PackageResult(destination, destination.stat().st_size, _sha256(destination), manifest)


def _document_entry(archive: zipfile.ZipFile, path: Path, moment: tuple[int, ...],
                    ) -> dict[str, object]:
    size, digest = _copy(archive, path, path.name, moment)
    return {"file": path.name, "size": size, "sha256": digest}


def _exhibit_entry(archive: zipfile.ZipFile, exhibit: Exhibit, width: int,
                   moment: tuple[int, ...]) -> dict[str, object]:
    arcname = "pieces/" + exhibit_filename(exhibit, width)
    try:
        size, digest = _copy(archive, exhibit.path, arcname, moment)
    except FileNotFoundError as error:
        raise ClaimFileError(exhibit.number, exhibit.title, "le fichier est introuvable.") from error
    if exhibit.sha256 and exhibit.sha256 != digest:
        raise ClaimFileError(exhibit.number, exhibit.title, "le fichier stocké ne correspond "
                             "plus à son empreinte SHA-256 : il a été altéré.")
    return {
        "number": exhibit.number, "title": exhibit.title, "kind": exhibit.kind,
        "kind_label": EVIDENCE_KINDS.get(exhibit.kind, exhibit.kind),
        "date": exhibit.date.isoformat() if exhibit.date else "",
        "original_name": exhibit.original_name or exhibit.path.name,
        "media_type": exhibit.media_type, "size": size, "sha256": digest, "file": arcname,
    }


def _info(arcname: str, moment: tuple[int, ...], size: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(arcname, date_time=moment)  # type: ignore[arg-type]
    entry.create_system = 3  # Unix, wherever it is built: same bytes
    entry.external_attr = 0o100644 << 16
    stored = Path(arcname).suffix.lower() in STORED_SUFFIXES  # already compressed
    entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    entry.file_size = size
    return entry


def _copy(archive: zipfile.ZipFile, path: Path, arcname: str, moment: tuple[int, ...],
          ) -> tuple[int, str]:
    """Stream the file into the archive; its size and SHA-256 as read."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    entry = _info(arcname, moment, size)
    with path.open("rb") as source, archive.open(entry, "w", force_zip64=size > 2**31) as sink:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            sink.write(chunk)
    return size, digest.hexdigest()


def _write_bytes(archive: zipfile.ZipFile, arcname: str, data: bytes,
                 moment: tuple[int, ...]) -> None:
    archive.writestr(_info(arcname, moment, len(data)), data)


def _json(info: ClaimFileInfo, documents: list[dict[str, object]],
          exhibits: tuple[dict[str, object], ...]) -> bytes:
    manifest = {"title": info.title, "version": info.version, "author": info.author,
                "date": info.file_date.isoformat(), "documents": documents,
                "exhibits": list(exhibits)}
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _csv(exhibits: tuple[dict[str, object], ...]) -> bytes:
    """Cells that a spreadsheet would run as formulas are escaped (app/csvsafe.py)."""
    return csv_bytes(FIELDS, ([exhibit.get(field, "") for field in FIELDS]
                              for exhibit in exhibits))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
