"""The embedded font is the same bytes whenever it is built: the claim file is reproducible.

fontTools stamps a font's `head` table with the time it was built (created and modified, to the
second). Two builds of the same claim file a second apart differed, which made
`test_same_input_gives_the_same_bytes` fail now and then (2 runs in about 12).
"""

from __future__ import annotations

import pikepdf
import pytest

from app.documents.claimfile.fonts import EmbeddedFont


def font_program(text: str) -> bytes:
    pdf = pikepdf.new()
    font = EmbeddedFont(pdf)
    font.encode(text)
    font.finish()
    return font.font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()


def test_two_builds_at_different_times_give_the_same_font(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("time.time", lambda: 1_800_000_000.0)
    first = font_program("Pièce n° 12 — Société Générale")
    monkeypatch.setattr("time.time", lambda: 1_800_000_007.0)
    second = font_program("Pièce n° 12 — Société Générale")

    assert first == second
