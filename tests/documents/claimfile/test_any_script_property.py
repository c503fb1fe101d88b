"""Hypothesis: titles in any script go into the claim file's drawn pages. Every character is
drawn from the embedded font or written as its code (never "?" or a box), and reads back."""

from __future__ import annotations

import io
import re
import unicodedata

import pikepdf
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from app.documents.claimfile import typeface
from app.documents.claimfile.canvas import Canvas
from app.documents.claimfile.drawn import append_page
from app.documents.claimfile.fonts import EmbeddedFont

SCRIPTS = [(0x20, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF),
           (0x1E00, 0x1EFF), (0x3040, 0x30FF), (0x4E00, 0x4FFF), (0xAC00, 0xAD00),
           (0x1F300, 0x1F64F), (0x18B00, 0x18B10)]
letters = st.one_of(*[st.characters(min_codepoint=a, max_codepoint=b) for a, b in SCRIPTS])
texts = st.text(letters, min_size=1, max_size=40)


def _shown_or_coded(text: str) -> str:
    """What a reader should find: each drawable character, or [U+XXXX] for the others."""
    out = []
    for char in typeface.clean(text):
        covered = typeface._lookup(False, char) is not None
        out.append(char if covered else f"[U+{ord(char):04X}]")
    return "".join(out)


@settings(max_examples=40, deadline=None)
@given(texts)
def test_any_title_is_drawn_with_the_embedded_font(text):
    pdf = pikepdf.new()
    font = EmbeddedFont(pdf)
    canvas = Canvas()
    canvas.text(40, 400, text, 10)
    canvas.text(40, 380, text, 10, bold=True)
    append_page(pdf, canvas.data(font), font.resources)
    font.finish()
    buffer = io.BytesIO()
    pdf.save(buffer)
    read = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert "?" not in read or "?" in text
    expected = _shown_or_coded(text)
    if not any(0x590 <= ord(c) <= 0x8FF for c in expected):  # readers reorder those blocks
        flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", read))
        assert re.sub(r"\s+", "", unicodedata.normalize("NFKC", expected)) in flat
