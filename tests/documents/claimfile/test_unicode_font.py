"""The stamps, the bordereau and the volume covers use one embedded Unicode font (not Helvetica
in WinAnsi): titles in any script print as typed (Latin with every diacritic, Greek, Cyrillic,
Arabic joined and right to left, Hebrew, CJK); a colour-only emoji prints as its code."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pikepdf

from app.documents.claimfile import BuildOptions, Exhibit, build_claim_file
from tests.documents.claimfile.conftest import text_pdf

TITLES = [
    "Œuvre d'Ærøskøbing — ẞ Straße",
    "Ḁ ự ñ ç ł ő ț ǰ",
    "Συμβόλαιο Ελληνικά",
    "Договор Кириллица",
    "عقد مرحبا بالعالم",
    "חוזה שלום עולם",
    "合同 请付款 日本語 한국어",
    "Relance 🎉",
]


def _text(path: Path, first: int, last: int) -> str:
    out = subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", out)


def test_titles_in_every_script_print_in_the_bordereau_and_covers(samples, out, info):
    exhibits = [Exhibit(n, title, "other", date(2026, 4, 3),
                        text_pdf(samples / f"{n}.pdf", 20, f"Piece {n}"), "application/pdf",
                        f"{n}.pdf") for n, title in enumerate(TITLES, start=1)]
    info = info.__class__("Dossier — Société Ærø c/ 王小明 & Кирилл", info.version, info.author,
                          info.file_date)

    result = build_claim_file([], exhibits, out / "d.pdf", info,
                              BuildOptions(max_volume_bytes=60_000))

    assert len(result.volumes) > 1  # volume covers are drawn too
    first = result.volumes[0]
    bordereau = "".join(_text(first, 1, 3).split())  # poppler joins one-letter words
    for title in TITLES[:-1]:
        assert "".join(unicodedata.normalize("NFKC", title).split()) in bordereau, title
    assert "Relance[U+1F389]" in bordereau and "?" not in bordereau
    cover = " ".join(_text(result.volumes[1], 1, 1).split())
    assert "Société Ærø c/ 王小明 & Кирилл" in cover


def test_drawn_pages_and_stamps_use_only_the_embedded_unicode_font(out, info, exhibits):
    build_claim_file([], exhibits, out / "d.pdf", info)

    with pikepdf.open(out / "d.pdf") as pdf:
        bordereau_fonts = dict(pdf.pages[0].obj.Resources.Font)
        assert list(bordereau_fonts) == ["/CfU"]
        font = bordereau_fonts["/CfU"]
        assert font.Subtype == "/Type0" and font.Encoding == "/Identity-H"
        (descendant,) = font.DescendantFonts
        assert "/FontFile2" in descendant.FontDescriptor and "/ToUnicode" in font
        for page in pdf.pages[1:]:  # every exhibit page's stamp: the same font object
            assert page.obj.Resources.Font["/CfU"].objgen == font.objgen
    stamps = _text(out / "d.pdf", 2, 2)
    assert "Pièce n° 1 — p. 1/3" in stamps
