"""Words of a PDF with their boxes as displayed (pdftotext -bbox), to check where stamps sit."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                   r'yMax="([\d.-]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page as displayed
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    def text(self) -> str:
        return " ".join(word.text for word in self.words)


def pages(path: Path) -> list[Page]:
    """The pages as displayed (pdftotext gives the unrotated size: turned here by /Rotate)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    with pikepdf.open(path) as pdf:
        turns = [int(page.obj.get("/Rotate", 0)) % 180 for page in pdf.pages]
    found = []
    for (width, height, body), turn in zip(_PAGE.findall(out), turns, strict=True):
        words = [Word(html.unescape(text), float(a), float(b), float(c), float(d))
                 for a, b, c, d, text in _WORD.findall(body)]
        w, h = (float(height), float(width)) if turn else (float(width), float(height))
        found.append(Page(w, h, words))
    return found
