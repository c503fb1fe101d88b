"""Names of pièces: as the user knows them (uploads), and safe to download (any disk, any
browser): no folder part, no control or bidi character, a byte limit that keeps the extension
and never splits a character, an accent from its letter or a flag from its pair."""

from __future__ import annotations

import re
import unicodedata

from app.evidence.sniff import extension_for
from app.models import Evidence

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


MAX_NAME_BYTES = 255  # what most file systems allow for one name


def clean_filename(name: str) -> str:
    """The name as the user knows it, without any folder part, control or bidi-format
    character (NUL, right-to-left override…), at most 255 bytes, its extension kept."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    base = base.strip().lstrip(".")
    return _within_bytes(base, MAX_NAME_BYTES) or "fichier"


def _within_bytes(name: str, limit: int) -> str:
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension.encode("utf-8")) > 16:
        stem, extension = name, ""
    room = limit - len(extension.encode("utf-8")) - (1 if extension else 0)
    stem = _whole_characters(stem, room).rstrip()
    return f"{stem}.{extension}" if extension else stem


def _whole_characters(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` UTF-8 bytes that splits neither a character
    nor a character from the accents, joiners or modifiers that follow it ("e" + U+0301)."""
    cut = len(text.encode("utf-8")[:limit].decode("utf-8", "ignore"))
    boundary = cut
    while 0 < boundary < len(text) and _continues(text, boundary):
        boundary -= 1
    return text[:boundary or cut]  # one endless sequence: cut it rather than lose it all


_ZWJ = "\u200d"
_JAMO_L = range(0x1100, 0x1160)  # Hangul leading consonants, then vowels and trailing ones
_JAMO_VT = (range(0x1160, 0x1200), range(0xD7B0, 0xD800))


def _continues(text: str, index: int) -> bool:
    """True if text[index] belongs to the same user-perceived character as text[index - 1]."""
    previous, current = text[index - 1], text[index]
    code = ord(current)
    if unicodedata.category(current) in ("Mn", "Mc", "Me") or _ZWJ in (previous, current):
        return True
    if unicodedata.combining(previous) == 9 and unicodedata.category(current) == "Lo":
        return True  # a virama joins two consonants into one conjunct (क्ष)
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:  # skin tones, flag tags
        return True
    if any(code in block for block in _JAMO_VT) or (ord(previous) in _JAMO_L and (
            code in _JAMO_L or 0xAC00 <= code <= 0xD7A3)):
        return True
    if _regional(previous) and _regional(current):  # flags are pairs of regional indicators
        run = 0
        while index - run > 0 and _regional(text[index - run - 1]):
            run += 1
        return run % 2 == 1
    return False


def _regional(character: str) -> bool:
    return 0x1F1E6 <= ord(character) <= 0x1F1FF


DOWNLOAD_NAME_BYTES = 200  # below the disks' 255, with room for a browser's " (1)"


def download_name(evidence: Evidence) -> str:
    """A file name safe in a Content-Disposition header and on any disk, right extension.

    A long name loses the end of its stem, never its extension, nor half a character."""
    name = _UNSAFE.sub("_", evidence.original_name).strip(" ._") or "piece"
    extension = extension_for(evidence.media_type, name)  # the content's, as the ZIP's
    if extension and not name.lower().endswith(extension):
        name += extension
    return _within_bytes(name, DOWNLOAD_NAME_BYTES)
