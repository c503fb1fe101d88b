"""Text files of unknown origin: detect the encoding (UTF-8 with or without BOM, CP1252, Latin-1)
and the line of headers, then stream the lines without holding the file in memory.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import IO

SAMPLE_BYTES = 1 << 20  # 1 MiB is enough to see accents in any real ledger
# Bytes 0x80-0x9F are control codes in Latin-1 but letters in CP1252 (€ ’ œ …): their presence
# means CP1252; without them the two encodings read the same text.
CP1252_ONLY = bytes(range(0x80, 0xA0))


def detect_encoding(sample: bytes) -> str:
    """'utf-8-sig', 'utf-8', 'cp1252' or 'latin-1', from the first bytes of a file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if any(byte in CP1252_ONLY for byte in sample):
        return "cp1252"
    return "latin-1"


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def open_text(path: Path, encoding: str) -> tuple[IO[bytes], io.TextIOWrapper]:
    """The raw file (for progress: `raw.tell()`) and a text stream over it."""
    raw = path.open("rb")
    return raw, io.TextIOWrapper(raw, encoding=encoding, newline="")


ENCODING_LABELS = {
    "utf-8-sig": "UTF-8 (avec BOM)",
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1 (Latin-1)",
}
