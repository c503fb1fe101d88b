"""Helvetica (a PDF standard font, never embedded) in WinAnsiEncoding: encoding and metrics.

The stamps, the bordereau and the volume covers are drawn straight into content streams with
the two standard Helvetica faces, so they cost microseconds and their text positions are known
exactly (the bordereau's links sit over its lines). WinAnsi covers French; any other character
is written as "?".

The widths are those of Adobe's Core 14 AFM files (Helvetica.afm, Helvetica-Bold.afm), as
redistributed by pypdf (pypdf/_codecs/core_font_metrics.py), reduced here to the 224 WinAnsi
codes 32–255. Adobe's notice: "This file and the 14 PostScript(R) AFM files it accompanies may
be used, copied, and distributed for any purpose and without charge, with or without
modification, provided that all copyright notices are retained; that the AFM files are not
distributed without this file; that all modifications to this file or any of the AFM files are
prominently noted in the modified file(s); and that this paragraph is not modified. Adobe
Systems has no responsibility or obligation to support the use of the AFM files."
Modification: only the advance widths of the WinAnsi codes are kept. Copyright (c) 1985, 1987,
1989, 1990, 1997 Adobe Systems Incorporated. All Rights Reserved. Helvetica is a trademark of
Linotype-Hell AG and/or its subsidiaries.
"""

from __future__ import annotations

import unicodedata

import pikepdf

REGULAR = "/CfR"  # resource names shared by every page the engine draws on
BOLD = "/CfB"

_SPACES = {"\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2002": " ", "\u2003": " "}
_TRANSLATE = str.maketrans({**_SPACES, "\u2011": "-", "\u2212": "-", "\t": " "})

_REGULAR = (  # Helvetica, bytes 32–255
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
    722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
    500, 334, 260, 334, 584, 0, 556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333,
    1000, 0, 611, 0, 0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500,
    667, 278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400,
    584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667,
    667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778,
    778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889,
    500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556, 556, 556, 556, 556, 556, 584, 611,
    556, 556, 556, 556, 500, 556, 500,
)

_BOLD = (  # Helvetica-Bold, bytes 32–255
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
    722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
    611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
    500, 389, 280, 389, 584, 0, 556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333,
    1000, 0, 611, 0, 0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500,
    667, 278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400,
    584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722,
    722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778,
    778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889,
    556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611, 611, 611, 611, 611, 611, 584, 611,
    611, 611, 611, 611, 556, 611, 556,
)

def winansi(text: str) -> bytes:
    """The text as WinAnsi bytes; what WinAnsi lacks becomes "?", control characters go."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = "".join(char for char in text if char >= " ")
    return text.encode("cp1252", errors="replace")


def width(data: bytes, size: float, *, bold: bool = False) -> float:
    """Advance width in points of WinAnsi bytes set at `size`."""
    table = _BOLD if bold else _REGULAR
    return sum(table[byte - 32] for byte in data if byte >= 32) * size / 1000


def wrap(text: str, size: float, max_width: float, *, bold: bool = False) -> list[bytes]:
    """Greedy word wrap to `max_width` points; a word longer than a line is cut."""
    lines: list[bytes] = []
    line = b""
    for word in winansi(text).split():
        candidate = line + b" " + word if line else word
        if width(candidate, size, bold=bold) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while width(word, size, bold=bold) > max_width:
            cut = _fitting_prefix(word, size, max_width, bold)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def _fitting_prefix(word: bytes, size: float, max_width: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and width(word[: cut + 1], size, bold=bold) <= max_width:
        cut += 1
    return cut


def truncate(text: str, size: float, max_width: float, *, bold: bool = False) -> bytes:
    """One line: the text, cut with "…" if it does not fit."""
    data = winansi(text)
    if width(data, size, bold=bold) <= max_width:
        return data
    ellipsis = b"\x85"
    while data and width(data + ellipsis, size, bold=bold) > max_width:
        data = data[:-1]
    return data.rstrip() + ellipsis


def font_resources(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The two fonts as indirect objects of `pdf`, keyed by their resource names."""

    def font(base: str) -> pikepdf.Object:
        return pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/" + base), Encoding=pikepdf.Name.WinAnsiEncoding,
        ))

    return pikepdf.Dictionary({REGULAR: font("Helvetica"), BOLD: font("Helvetica-Bold")})
