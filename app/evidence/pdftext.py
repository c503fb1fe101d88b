"""The text layer of a PDF, read with poppler's pdftotext (pypdf when it is missing).

pdftotext is preferred: it is C, several times faster than pypdf on long PDFs, and it
rebuilds words and reading order better (pypdf often glues or splits words when fonts space
glyphs by hand). pypdf, already a dependency, reads the text when poppler is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

SECONDS = 120
# Fewer visible characters than this per page on average: a scan, with at most a few stray
# words (a stamp, a header) in a text layer; it needs OCR.
MIN_CHARACTERS_PER_PAGE = 40


def pdf_text(path: Path) -> str:
    """All the text of the PDF, pages separated by form feeds; "" when it has none."""
    if shutil.which("pdftotext"):
        try:
            done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                  capture_output=True, timeout=SECONDS, check=False)
        except subprocess.TimeoutExpired:
            return ""
        if done.returncode == 0:
            return done.stdout.decode("utf-8", "replace")
    return _pypdf_text(path)


def _pypdf_text(path: Path) -> str:
    try:
        reader = PdfReader(path)
        return "\f".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return ""


def has_text_layer(text: str, pages: int) -> bool:
    visible = sum(1 for c in text if not c.isspace())
    return visible >= MIN_CHARACTERS_PER_PAGE * max(pages, 1)
