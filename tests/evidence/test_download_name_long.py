"""A long file name downloads cut in its stem: the extension stays, and no character, accent or
emoji is cut in half (the limit is in UTF-8 bytes, what a disk counts)."""

from __future__ import annotations

import unicodedata

import pytest

from app.models import Evidence
from app.services.evidence_names import DOWNLOAD_NAME_BYTES, clean_filename, download_name


def named(name: str, media_type: str = "application/pdf") -> Evidence:
    return Evidence(creditor_id=1, debtor_id=1, sha256="0" * 64, size=1, media_type=media_type,
                    original_name=name)


def test_a_404_character_name_keeps_its_pdf_extension() -> None:
    name = download_name(named("A" * 400 + ".pdf"))
    assert name == "A" * (DOWNLOAD_NAME_BYTES - 4) + ".pdf"


def test_the_real_extension_is_kept_when_it_was_added() -> None:
    name = download_name(named("B" * 300 + ".pdf", "image/jpeg"))
    assert name.endswith(".jpg") and len(name.encode()) <= DOWNLOAD_NAME_BYTES


@pytest.mark.parametrize("unit", [
    "é",  # two bytes
    "e\u0301",  # e and a combining acute accent
    "\u0915\u094d\u0937",  # Devanagari: a conjunct of three code points
    "\U0001F44D\U0001F3FD",  # thumbs up, medium skin tone
    "\U0001F1EB\U0001F1F7",  # the French flag: two regional indicators
    "\u1100\u1161\u11a8",  # Hangul in conjoining jamo
])
def test_a_long_name_is_cut_between_whole_characters(unit: str) -> None:
    for lead in range(4):  # the cut falls at each place inside the sequence
        stem = "x" * lead + unit * 120
        name = download_name(named(stem + ".pdf"))
        assert name.endswith(".pdf") and len(name.encode()) <= DOWNLOAD_NAME_BYTES
        kept = name.removesuffix(".pdf")
        assert stem.startswith(kept) and kept.removeprefix("x" * lead) == \
            unit * ((len(kept) - lead) // len(unit)), (lead, kept[-4:])
        assert unicodedata.is_normalized("NFC", kept) == unicodedata.is_normalized("NFC", stem)


def test_a_short_name_is_unchanged() -> None:
    assert download_name(named("Facture F-2026-014 été.pdf")) == \
        "Facture F-2026-014 été.pdf"


def test_an_uploaded_name_is_cut_between_whole_characters_too() -> None:
    name = clean_filename("x" + "e\u0301" * 200 + ".pdf")  # 255 bytes at most
    assert name.endswith("e\u0301.pdf") and len(name.encode()) <= 255
