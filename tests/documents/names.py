"""Names the papers' tests write in every text field: one word in each script, and one with
the characters a paper's markup could mangle (`&`, `<`, `>`, quotes, apostrophe)."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

SCRIPTS = {
    "latin": [(0x00C0, 0x024F), (0x1E00, 0x1EFF)],
    "greek": [(0x0386, 0x03CE)],
    "cyrillic": [(0x0410, 0x045F)],
    "arabic": [(0x0621, 0x063A), (0x0641, 0x064A)],
    "hebrew": [(0x05D0, 0x05EA)],
    "cjk": [(0x4E00, 0x9FA5), (0x3041, 0x3096), (0x30A1, 0x30FA)],
    "hangul": [(0xAC00, 0xD7A3)],
    "emoji": [(0x1F600, 0x1F64F), (0x1F680, 0x1F6C5)],
}
TYPED = "Rousseau & Fils <SARL> \"L'Étoile\""


def letters(ranges: list[tuple[int, int]]) -> st.SearchStrategy[str]:
    chars = [chr(c) for low, high in ranges for c in range(low, high + 1)
             if unicodedata.category(chr(c)) in ("Lu", "Ll", "Lo", "So")]
    return st.text(st.sampled_from(chars), min_size=1, max_size=6)


NAMES = st.tuples(*(letters(ranges) for ranges in SCRIPTS.values())).map(" ".join)
