"""Pages the engine draws itself: appending a drawn A4 page, and the volume covers ("Tome 2/3")."""

from __future__ import annotations

from datetime import date

import pikepdf

from app.documents.claimfile import typeface
from app.documents.claimfile.canvas import Canvas
from app.documents.claimfile.fonts import EmbeddedFont
from app.formatting import date_long_fr

PAGE_W, PAGE_H = 595.276, 841.89


def append_page(pdf: pikepdf.Pdf, content: bytes, fonts: pikepdf.Dictionary) -> None:
    """Append an A4 page drawn with the shared fonts to `pdf`."""
    page = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([0, 0, PAGE_W, PAGE_H]),
        Resources=pikepdf.Dictionary(Font=fonts),
        Contents=pdf.make_stream(content),
    ))
    pdf.pages.append(pikepdf.Page(page))


def volume_cover(title: str, file_date: date, volume: int, volumes: int,
                 exhibits: tuple[int, int] | None, pages: tuple[int, int],
                 font: EmbeddedFont) -> bytes:
    """The first page of each volume when the file is split: which volume, what it holds."""
    canvas = Canvas()
    middle = PAGE_W / 2
    lines = typeface.wrap(title, 15, PAGE_W - 140, bold=True)
    for n, line in enumerate(lines):
        canvas.text(middle, 610 + 19 * (len(lines) - 1 - n), line, 15, bold=True, align="center")
    canvas.text(middle, 588, f"Dossier du {date_long_fr(file_date)}", 10, align="center")
    canvas.line(middle - 90, 560, middle + 90, 560, gray=0.4, width=0.8)
    canvas.text(middle, 500, f"Tome {volume}/{volumes}", 34, bold=True, align="center")
    if exhibits:
        first, last = exhibits
        held = f"Pièce n° {first}" if first == last else f"Pièces n° {first} à {last}"
        canvas.text(middle, 450, held, 13, align="center")
    canvas.text(middle, 430, f"Pages {pages[0]} à {pages[1]} du dossier", 11, align="center",
                gray=0.25)
    return canvas.data(font)
