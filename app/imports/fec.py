"""The Fichier des Écritures Comptables (LPF art. A47 A-1), read as a stream.

18 columns (`JournalCode` … `Idevise`) separated by a tab or `|`, dates AAAAMMJJ, amounts with a
decimal comma, in UTF-8 (with or without BOM), Latin-1 or CP1252. Only the customer lines
(`CompteNum` 411…) are kept; each comes out as a `CustomerLine` once its entry (`JournalCode` +
`EcritureNum`) is complete, so the entry tells a sale (a class-7 or VAT line: invoice or credit
note) from a settlement (bank, cash). Lines are read one at a time: memory does not grow with
the file, only with the customer pieces aggregated downstream (`app.imports.lettrage`).

Lines are read a block at a time: a plain block column by column (`app.imports.fec_block`),
any other line by line with a French message for each bad line (`app.imports.fec_entry`).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.imports.fec_entry import CustomerLine, Entry, parse_cents, parse_fec_date
from app.imports.fec_fast import read_lines
from app.imports.limits import ReadLimits
from app.imports.report import FileRefused, ImportReport
from app.imports.text import ENCODING_LABELS, detect_encoding, open_text, read_sample

__all__ = ["FEC_COLUMNS", "CustomerLine", "FecFormat", "customer_lines", "parse_cents",
           "parse_fec_date", "preview_rows", "sniff"]

FEC_COLUMNS = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
)
# LPF art. A47 A-1 allows one signed amount and a direction instead of Debit and Credit.
MONTANT_SENS = ("Montant", "Sens")
PROGRESS_EVERY = 5000
BLOCK_CHARS = 1 << 16  # lines read at a time: about 500 of a usual FEC
Progress = Callable[[float], None]
NOT_FEC = ("Ce fichier n'est pas un FEC : sa première ligne doit nommer les 18 colonnes de "
           "l'article A47 A-1 du livre des procédures fiscales (JournalCode, JournalLib, "
           "EcritureNum, … Idevise), séparées par une tabulation ou « | ».")


@dataclass(frozen=True, slots=True)
class FecFormat:
    encoding: str
    separator: str
    columns: dict[str, int]  # FEC column name → position
    width: int

    @property
    def label(self) -> str:
        sep = "tabulation" if self.separator == "\t" else "« | »"
        return f"{ENCODING_LABELS[self.encoding]}, séparateur {sep}"


def sniff(path: Path) -> FecFormat:
    """Encoding, separator and column positions; FileRefused if it is not a FEC."""
    sample = read_sample(path)
    if not sample.strip():
        raise FileRefused("Le fichier est vide.")
    if sample.startswith((b"PK\x03\x04", b"%PDF")) or b"\x00" in sample[:4096]:
        raise FileRefused(NOT_FEC + " C'est un fichier binaire (classeur, PDF…) : pour un "
                          "tableur, choisissez l'import CSV / Excel.")
    encoding = detect_encoding(sample)
    header = sample.decode(encoding, errors="replace").splitlines()[0]
    separator = "\t" if "\t" in header else "|" if "|" in header else ""
    if not separator:
        raise FileRefused(NOT_FEC)
    names = [name.strip().strip('"') for name in header.split(separator)]
    known = {name.lower(): name for name in FEC_COLUMNS + MONTANT_SENS}
    columns = {known[n.lower()]: i for i, n in enumerate(names) if n.lower() in known}
    required = [c for c in FEC_COLUMNS if c not in ("Debit", "Credit")]
    if not all(c in columns for c in ("Debit", "Credit")):
        required += list(MONTANT_SENS)
    missing = [c for c in required if c not in columns]
    if len(missing) > len(FEC_COLUMNS) // 2:
        raise FileRefused(NOT_FEC)
    if missing:
        raise FileRefused("FEC incomplet : colonne" + ("s" if len(missing) > 1 else "")
                          + " absente" + ("s" if len(missing) > 1 else "") + " : "
                          + ", ".join(missing) + " (LPF art. A47 A-1).")
    return FecFormat(encoding, separator, columns, len(names))


def preview_rows(path: Path, fmt: FecFormat, count: int = 8) -> list[list[str]]:
    """The first data rows, for the upload preview."""
    rows: list[list[str]] = []
    raw, text = open_text(path, fmt.encoding)
    with raw, text:
        reader = csv.reader(text, delimiter=fmt.separator, quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if len(rows) >= count:
                break
            if any(cell.strip() for cell in row):
                rows.append([cell.strip() for cell in row])
    return rows


def customer_lines(path: Path, fmt: FecFormat, report: ImportReport,
                   progress: Progress | None = None, limits: ReadLimits | None = None, *,
                   fast: bool = True, block_chars: int = BLOCK_CHARS) -> Iterator[CustomerLine]:
    """Every customer line of the file, entry by entry; bad lines go to `report.refuse`.
    FileRefused past `limits.max_rows` lines, its deadline or its cancellation.

    Blocks of about `block_chars` characters are read at once; their plain lines by the fast
    path, the others (or all, if `fast` is False: they read alike, the switch is for the
    tests that prove it) by the careful one."""
    limits = limits or ReadLimits()
    last_line = limits.max_rows + 1  # the header is line 1
    size = max(path.stat().st_size, 1)
    entry = Entry(fmt, report)
    raw, text = open_text(path, fmt.encoding)
    with raw, text:
        line, checkpoint = 1, PROGRESS_EVERY  # the last line read, the next time check
        try:
            next(text, None)
            while lines := text.readlines(block_chars):
                first, line = line + 1, line + len(lines)
                if line > last_line:  # read up to the cap, then refused
                    lines = lines[:max(last_line - first + 1, 0)]
                if line >= checkpoint:
                    limits.check_time()
                    if progress:
                        progress(raw.tell() / size)
                    checkpoint = line - line % PROGRESS_EVERY + PROGRESS_EVERY
                yield from read_lines(entry, lines, first) if fast else entry.read_lines(
                    lines, first)
                if line > last_line:
                    limits.check_row(last_line)
        except UnicodeDecodeError as exc:
            raise FileRefused(f"Ligne {_undecodable_line(path, fmt.encoding)} : caractères "
                              f"illisibles en {ENCODING_LABELS[fmt.encoding]} ({exc.reason}). "
                              "Ré-exportez le FEC dans un seul encodage (UTF-8 de préférence)."
                              ) from exc
        yield from entry.flush()
        report.lines_read = max(line - 1, 0)


def _undecodable_line(path: Path, encoding: str) -> int:
    """The number of the first line that does not decode (text streams decode ahead of the
    line being read, so the line is found again, from the raw bytes)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    number = 0
    with path.open("rb") as handle:
        for number, content in enumerate(handle, start=1):  # noqa: B007
            try:
                decoder.decode(content)
            except UnicodeDecodeError:
                break
    return number
