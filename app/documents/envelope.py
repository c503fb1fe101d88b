"""The recipient's block in the window of a DL envelope: whole, or the post cannot deliver.

The window (print.css `.window`) is 85 × 33 mm and hides what overflows it. A long company
name, or a contact with a long title, wrapped below its bottom edge and cut off the postcode
and the town. The block is measured here with the bundled font's own advance widths
(fontTools, which WeasyPrint ships with), and set in the largest size that fits; when even the
smallest does not, the contact line, then the name's tail, are shortened with "…" (the
letter's body names the parties in full). The country is the last line, in capitals, in
French, without accents (La Poste, NF Z10-011).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from fontTools.ttLib import TTFont

from app.documents.fetcher import STATIC_DIR

WIDTH_MM, HEIGHT_MM = 85.0, 33.0
MM_PER_POINT = 25.4 / 72
# (font size in points, line height) from the usual size down to the smallest still read
SIZES = ((10.0, 1.22), (9.0, 1.2), (8.5, 1.16), (8.0, 1.14), (7.5, 1.12))
SLACK = 0.96  # WeasyPrint's kerning and rounding: never count on the last millimetres
ELLIPSIS = "…"


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    # when nothing else fits, the order lines give up their tail in (0: never, the town and
    # the country, which the post reads first)
    give_up: int = 0


@dataclass(frozen=True)
class Window:
    lines: tuple[Line, ...]
    size: float  # points
    leading: float  # line height, a multiple of the size


def country_line(code: str) -> str:
    """'BE' → 'BELGIQUE': the country as the French post reads it (empty for France)."""
    if not code or code.upper() == "FR":
        return ""
    name = Locale("fr").territories.get(code.upper(), code)
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).upper()


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, int], int, int]:
    """The font's advance width per code point, its units per em and a wide glyph's width
    (for what it lacks: the page falls back on a CJK font, about one em wide)."""
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    font = TTFont(STATIC_DIR / "fonts" / name, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    em = font["head"].unitsPerEm
    return widths, em, em


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` in millimetres, set in the documents' font at `size` points."""
    widths, em, missing = _advances(bold)
    units = sum(widths.get(ord(c), missing) for c in text)
    return units / em * size * MM_PER_POINT


def wrapped(text: str, size: float, bold: bool, width: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width` mm; a word wider than a line
    is broken anywhere, as the window's `overflow-wrap: anywhere` does."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:
            if current and text_width(current + char, size, bold) > width:
                lines.append(current)
                current = ""
            current += char
    if current:
        lines.append(current)
    return lines


def _height(count: int, size: float, leading: float) -> float:
    return count * size * leading * MM_PER_POINT


def fit(lines: list[Line]) -> Window:
    """The block in the largest size whose wrapped lines fit the window, else shortened."""
    width = WIDTH_MM * SLACK
    for size, leading in SIZES:
        count = sum(len(wrapped(line.text, size, line.bold, width)) for line in lines)
        if _height(count, size, leading) <= HEIGHT_MM * SLACK:
            return Window(tuple(lines), size, leading)
    size, leading = SIZES[-1]
    room = int(HEIGHT_MM * SLACK // (size * leading * MM_PER_POINT))
    return Window(_shortened(lines, size, width, room), size, leading)


def _shortened(lines: list[Line], size: float, width: float, room: int) -> tuple[Line, ...]:
    """Each line on as many lines as `room` leaves it, giving up their tails in their order
    (`Line.give_up`); the town and the country are never shortened."""
    counts = [len(wrapped(line.text, size, line.bold, width)) for line in lines]
    for index in sorted((i for i, line in enumerate(lines) if line.give_up),
                        key=lambda i: lines[i].give_up):
        line, over = lines[index], sum(counts) - room
        keep = max(1, counts[index] - over)
        if over > 0 and keep < counts[index]:
            lines[index] = Line(_cut(line, size, width, keep), line.bold, line.give_up)
            counts[index] = keep
    return tuple(lines)


def _cut(line: Line, size: float, width: float, keep: int) -> str:
    """The longest start of the line that, with "…", wraps on `keep` lines."""
    low, high = 0, len(line.text)
    while low < high:  # the longest prefix that fits: wrapping grows with the prefix
        middle = (low + high + 1) // 2
        text = line.text[:middle].rstrip(" ,") + ELLIPSIS
        if len(wrapped(text, size, line.bold, width)) <= keep:
            low = middle
        else:
            high = middle - 1
    return line.text[:low].rstrip(" ,") + ELLIPSIS


def recipient(name: str, contact: str, street: str, town: tuple[str, ...]) -> Window:
    """The window of a letter to `name` (bold), for the attention of `contact` (may be
    empty), at `street` then `town` (postcode and town, country): when nothing fits, the
    contact gives up its tail first, then the name, then the street (one of 300 characters
    is a typing error; the town is what the post reads)."""
    lines = [Line(name, bold=True, give_up=2)]
    if contact:
        lines.append(Line(f"À l'attention de {contact}", give_up=1))
    if street:
        lines.append(Line(street, give_up=3))
    lines.extend(Line(line) for line in town)
    return fit(lines)
