"""Right-to-left text for pages drawn without a shaping engine: visual order, Arabic forms.

A simplified form of the Unicode bidirectional algorithm, enough for a name or a title on one
line: characters are strong left-to-right (L), strong right-to-left (R: Hebrew, Arabic…) or
neutral; a run of neutrals between two R characters is R, digits read left to right. Each R
run is reversed; when the line starts (first strong character) right to left, the order of
the runs is reversed too. Arabic letters first take their initial, medial, final or isolated
presentation form from their neighbours (lam-alef becomes its ligature), as a shaper would.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_RTL = {"R", "AL"}
_LTR_NUMBERS = {"EN", "AN"}
_LAM = "\u0644"
_LAM_ALEF = {"\u0627": "\ufefb", "\u0622": "\ufef5", "\u0623": "\ufef7", "\u0625": "\ufef9"}


def visual(text: str) -> str:
    """`text` (logical order) as it is drawn left to right."""
    if not any(unicodedata.bidirectional(c) in _RTL for c in text):
        return text
    text = arabic_forms(text)
    runs = _runs(text)
    ordered = [run[::-1] if rtl else run for rtl, run in runs]
    first = next((rtl for rtl, run in runs if run.strip()), False)
    if first:
        ordered.reverse()
    return "".join(ordered)


def _runs(text: str) -> list[tuple[bool, str]]:
    kinds = [_kind(c) for c in text]
    for i, kind in enumerate(kinds):  # neutrals between two R characters are R
        if kind is None:
            before = next((k for k in reversed(kinds[:i]) if k is not None), False)
            after = next((k for k in kinds[i + 1:] if k is not None), False)
            kinds[i] = bool(before and after)
    runs: list[tuple[bool, str]] = []
    for char, rtl in zip(text, kinds, strict=True):
        if runs and runs[-1][0] == rtl:
            runs[-1] = (rtl, runs[-1][1] + char)
        else:
            runs.append((bool(rtl), char))
    return runs


def _kind(char: str) -> bool | None:
    """True for right to left, False for left to right, None for a neutral."""
    direction = unicodedata.bidirectional(char)
    if direction in _RTL:
        return True
    if direction == "L" or direction in _LTR_NUMBERS:
        return False
    return None


@lru_cache(maxsize=512)
def _form(char: str, form: str) -> str | None:
    name = unicodedata.name(char, "")
    if not name.startswith("ARABIC LETTER"):
        return None
    try:
        return unicodedata.lookup(f"{name} {form} FORM")
    except KeyError:
        return None


def _joins_forward(char: str | None) -> bool:
    """The letter connects to the one after it (it has an initial form)."""
    return char is not None and _form(char, "INITIAL") is not None


def _joins_back(char: str | None) -> bool:
    return char is not None and _form(char, "FINAL") is not None


def arabic_forms(text: str) -> str:
    """Arabic letters replaced by their contextual presentation forms (logical order)."""
    letters = [c for c in text]
    out: list[str] = []
    i = 0
    while i < len(letters):
        char = letters[i]
        before = _neighbour(letters, i, -1)
        after = _neighbour(letters, i, +1)
        linked_before = _joins_forward(before) and _joins_back(char)
        if char == _LAM and after in _LAM_ALEF and letters[i + 1] == after:
            ligature = _LAM_ALEF[after]
            out.append(chr(ord(ligature) + 1) if linked_before else ligature)
            i += 2
            continue
        linked_after = _joins_forward(char) and _joins_back(after)
        form = {(True, True): "MEDIAL", (True, False): "FINAL",
                (False, True): "INITIAL"}.get((linked_before, linked_after), "ISOLATED")
        out.append(_form(char, form) or char)
        i += 1
    return "".join(out)


def _neighbour(letters: list[str], i: int, step: int) -> str | None:
    """The nearest letter before or after position i, skipping vowel marks."""
    j = i + step
    while 0 <= j < len(letters) and unicodedata.category(letters[j]) == "Mn":
        j += step
    if 0 <= j < len(letters) and _form(letters[j], "ISOLATED") is not None:
        return letters[j]
    return None
