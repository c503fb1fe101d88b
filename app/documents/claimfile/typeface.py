"""Text for the pages the engine draws (stamps, bordereau, covers): which font has each glyph.

Each character is taken from the first face of a chain that has it: Liberation Sans (bundled,
Helvetica's metrics), DejaVu Sans (bundled: Greek, Cyrillic, Hebrew, Arabic presentation
forms, symbols), then Debian's Noto fonts when installed (fonts-noto-core: Arabic, Hebrew,
symbols; fonts-noto-cjk: Chinese, Japanese, Korean). A character no face has (a colour-only
emoji, a script no installed font covers) is written as its code, "[U+1F389]", never as a box.
Right-to-left runs are put in visual order and Arabic letters take their joined forms
(`bidi.visual`), since these pages are drawn without a shaping engine.

`glyphs(text, bold)` gives (face, glyph name, advance in 1/1000 em, character) per glyph; widths,
wrapping and truncation are computed from it, the same before and after a PDF exists.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from app.documents.claimfile.bidi import visual

STATIC_FONTS = Path(__file__).resolve().parents[3] / "static" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")

REGULAR_CHAIN = (
    STATIC_FONTS / "LiberationSans-Regular.ttf", STATIC_FONTS / "DejaVuSans.ttf",
    NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSansArabic-Regular.ttf",
    NOTO / "NotoSansHebrew-Regular.ttf", NOTO_CJK / "NotoSansCJK-Regular.ttc",
    NOTO / "NotoSansSymbols2-Regular.ttf", NOTO / "NotoSansSymbols-Regular.ttf",
    NOTO / "NotoSansMath-Regular.ttf",
)
BOLD_CHAIN = (
    STATIC_FONTS / "LiberationSans-Bold.ttf", STATIC_FONTS / "DejaVuSans-Bold.ttf",
    NOTO / "NotoSans-Bold.ttf", NOTO / "NotoSansArabic-Bold.ttf",
    NOTO / "NotoSansHebrew-Bold.ttf", NOTO_CJK / "NotoSansCJK-Bold.ttc",
    *REGULAR_CHAIN[6:],
)

_SPACES = {"\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2002": " ", "\u2003": " ",
           "\xa0": " ", "\t": " "}
_TRANSLATE = str.maketrans({**_SPACES, "\u2011": "-", "\u2212": "-"})


@dataclass(frozen=True, eq=False)
class Face:
    path: Path
    font: TTFont
    cmap: dict[int, str]
    scale: float  # 1000 / unitsPerEm
    outlines: str  # "glyf" or "CFF "

    def advance(self, glyph: str) -> float:
        return self.font["hmtx"][glyph][0] * self.scale


Glyph = tuple[Face, str, float, str]  # face, glyph name, advance (1/1000 em), character


@cache
def face(path: Path) -> Face | None:
    """The font at `path` (the first of a collection), or None when it is not installed."""
    if not path.is_file():
        return None
    font = TTFont(path, fontNumber=0, lazy=True)
    outlines = "glyf" if "glyf" in font else "CFF "
    return Face(path, font, font.getBestCmap() or {}, 1000 / font["head"].unitsPerEm, outlines)


def _faces(bold: bool) -> Iterator[Face]:
    """The chain's installed faces, each loaded only when an earlier one lacked a glyph."""
    for path in BOLD_CHAIN if bold else REGULAR_CHAIN:
        found = face(path)
        if found is not None:
            yield found


def clean(text: str) -> str:
    """NFC, spaces made plain, control, format and variation characters dropped."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs")
                   and not 0xFE00 <= ord(c) <= 0xFE0F and not 0x1F3FB <= ord(c) <= 0x1F3FF)


@lru_cache(maxsize=4096)
def glyphs(text: str, bold: bool = False) -> tuple[Glyph, ...]:
    """The glyphs that draw `text` (already in visual order), one face per character."""
    found: list[Glyph] = []
    for char in text:
        hit = _lookup(bold, char)
        if hit is None:
            found.extend(_lookup(bold, c) or _lookup(bold, " ") for c in f"[U+{ord(char):04X}]")
        else:
            found.append(hit)
    return tuple(found)  # type: ignore[arg-type]


def _lookup(bold: bool, char: str) -> Glyph | None:
    for candidate in _faces(bold):
        name = candidate.cmap.get(ord(char))
        if name is not None:
            return candidate, name, candidate.advance(name), char
    return None


def shown(text: str, bold: bool = False) -> tuple[Glyph, ...]:
    """The glyphs of a logical string as drawn: cleaned, in visual order."""
    return glyphs(visual(clean(text)), bold)


def width(text: str, size: float, *, bold: bool = False) -> float:
    """Advance width in points of `text` set at `size`."""
    return sum(g[2] for g in shown(text, bold)) * size / 1000


def wrap(text: str, size: float, max_width: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap to `max_width` points; a word longer than a line is cut."""
    lines: list[str] = []
    line = ""
    for word in clean(text).split():
        candidate = f"{line} {word}" if line else word
        if width(candidate, size, bold=bold) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and width(word, size, bold=bold) > max_width:
            cut = _fitting_prefix(word, size, max_width, bold)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def _fitting_prefix(word: str, size: float, max_width: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and width(word[: cut + 1], size, bold=bold) <= max_width:
        cut += 1
    return cut


def truncate(text: str, size: float, max_width: float, *, bold: bool = False) -> str:
    """One line: the text, cut with "…" if it does not fit."""
    text = clean(text)
    if width(text, size, bold=bold) <= max_width:
        return text
    while text and width(text + "…", size, bold=bold) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"
