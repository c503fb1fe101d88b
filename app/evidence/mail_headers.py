"""An e-mail's header block, read as mail clients read it, and bounded before it is parsed.

Python's parser ends the headers at the first line that is no field (a folded line that lost
its indentation, a name with spaces in it, as real mailers write them) and reads the rest, the
MIME structure with it, as the body. `cleaned_headers` reads the block up to the blank line
that ends it (RFC 5322 §2.1), repairing a few such lines where the block is plausibly
headers. `oversized_header` refuses a block Python's header parser would take too much memory
for, measured as it will be read after that repair.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.evidence.sniff import UTF8_BOM

# A field name (RFC 5322 §2.2: printable US-ASCII but ":"), blanks before the colon allowed
# by the obsolete syntax (§4.5.3)
_FIELD = re.compile(rb"([\x21-\x39\x3b-\x7e]+)[ \t]*:")
# A line end, then a line empty or of blanks alone, the end of the headers (RFC 5322 §2.1; a
# folded line of blanks alone is no header line, §3.2.2); line ends as Python's parser splits
_BLANK_LINE = re.compile(rb"(\r\n|\r(?!\n)|\n)[ \t]*(?=\r\n|\r|\n)")
_MBOX_LINE = re.compile(rb"From [^\r\n]*(?:\r\n|\r|\n)?")  # an mbox separator, first
# A line Python's parser takes for a header line (email.feedparser.headerRE)
_PARSER_HEADER = re.compile(rb"From |[\x21-\x39\x3b-\x7e]*:|[ \t]")
# A real message's headers (Received, DKIM, ARC) stay far below: Python's header parser takes
# memory in the square of an encoded-word subject's length (152 KB: 607 MB; 1.9 MB: 21 GB)
MAX_HEADER_BYTES, MAX_FIELD_BYTES = 64 * 1024, 16 * 1024
MAX_REPAIRED_LINES = 4  # malformed lines repaired in one header block: a few, never a body
MAX_LINE_BYTES = 998  # RFC 5322 §2.1.1


def cleaned_headers(data: bytes) -> bytes:
    """The message with its header block read up to the blank line that ends it (RFC 5322
    §2.1), as mail clients read it: Python's parser ends the headers at the first line that is
    no field (a folded line that lost its indentation, a name with spaces in it) and reads the
    rest of them, and the MIME structure with them, as the body. A line of blanks alone is
    that blank line. With no blank line, the message is left as Python's parser reads it: its
    body then follows the headers at once."""
    mbox = _MBOX_LINE.match(data)
    start = mbox.end() if mbox else 0
    found = _blank_line(data, start)
    if found is None:
        return data
    block = data[start:found.end(1)]
    return data[:start] + _header_lines(block) + data[found.end():]


def _blank_line(data: bytes, start: int) -> re.Match[bytes] | None:
    """The blank line that ends the header block starting at `start`, within the first
    MAX_HEADER_BYTES; None if the block is empty (no headers) or has no such line."""
    if data[start:start + 1] in (b"\r", b"\n"):
        return None
    return _BLANK_LINE.search(data, start, MAX_HEADER_BYTES)


def _header_lines(block: bytes) -> bytes:
    """The header lines, each a field or the continuation of one: a line with no colon is
    folded into the field above; one whose name is no field name is dropped, with its
    continuations. Only where the block is plausibly headers: else as Python reads it."""
    lines = block.splitlines(keepends=True)
    if not _FIELD.match(lines[0]) or not _plausibly_headers(lines):
        return block
    kept: list[bytes] = []
    dropping = False
    for line in lines:
        if line[:1] not in (b" ", b"\t") and b":" not in line:
            line = b" " + line  # a folded line that lost its indentation (RFC 5322 §2.2.3)
        if line[:1] in (b" ", b"\t"):
            kept += [] if dropping else [line]
            continue
        field = _FIELD.match(line)
        dropping = field is None  # a name with spaces in it: dropped with its lines
        if field:
            kept.append(field.group(1) + b":" + line[field.end():])
    return b"".join(kept)


def _plausibly_headers(lines: list[bytes]) -> bool:
    """Whether the malformed lines are headers gone wrong, not a body that follows the
    headers without its blank line: a few of them, each shaped like a header line, and a
    well-formed header line after the last (a body's paragraph ends with its own line)."""
    malformed = [line for line in lines if _malformed(line)]
    return len(malformed) <= MAX_REPAIRED_LINES and not _malformed(lines[-1]) \
        and all(map(_shaped_like_header, malformed))


def _malformed(line: bytes) -> bool:
    """A line that is neither a field nor a continuation (RFC 5322 §2.2, §2.2.3)."""
    return line[:1] not in (b" ", b"\t") and not _FIELD.match(line)


def _shaped_like_header(line: bytes) -> bool:
    """A malformed line as a header's, no sentence: short (RFC 5322 §2.1.1), and either a
    continuation of one token (base64, a diagnostic) or a US-ASCII name with a blank or two."""
    text = line.rstrip(b"\r\n")
    name, colon, _ = text.partition(b":")
    if len(text) > MAX_LINE_BYTES:
        return False
    if not colon:
        return len(text.split()) == 1
    return name.isascii() and len(name.split()) <= 2


def oversized_header(path: Path) -> str:
    """Why the message's own header block is too large to be read, or ""."""
    with path.open("rb") as handle:
        sizes = field_sizes(handle.read(len(UTF8_BOM) + MAX_HEADER_BYTES + 1))
    if sum(sizes) > MAX_HEADER_BYTES:
        return "ses en-têtes dépassent 64 Ko"
    if max(sizes, default=0) > MAX_FIELD_BYTES:
        return "un de ses en-têtes dépasse 16 Ko"
    return ""


def field_sizes(data: bytes) -> list[int]:
    """The size of each header field at the start of `data`, as large as Python's parser may
    read it after `cleaned_headers`: up to the blank line, a line with no colon counts in the
    field above whether it is folded into it or not (a header made of many short lines is one
    long header); with no blank line, the lines Python's parser takes for header lines."""
    data = data.removeprefix(UTF8_BOM)  # as parse_bytes reads it
    mbox = _MBOX_LINE.match(data)
    found = _blank_line(data, mbox.end() if mbox else 0)
    lines = data[:found.end(1)].splitlines(keepends=True) if found else _parser_lines(data)
    sizes: list[int] = []
    for line in lines:
        if sizes and (line[:1] in (b" ", b"\t") or b":" not in line):
            sizes[-1] += len(line)  # a continuation, or a line that may be folded
        else:
            sizes.append(len(line))
    return sizes


def _parser_lines(data: bytes) -> list[bytes]:
    """The lines Python's parser reads as the headers: up to the first that is no header line."""
    lines = data.splitlines(keepends=True)
    ends = (i for i, line in enumerate(lines) if not _PARSER_HEADER.match(line))
    return lines[:next(ends, len(lines))]
