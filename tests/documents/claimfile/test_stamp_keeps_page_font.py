"""A page drawn by this engine (the demo's quotes and delivery notes, a claim file filed again)
has its own font under the stamp's resource name: stamping it must not put the stamp's font in
its place, or its text prints as the stamp's glyphs (seen in the demo: "Bordeaoueo sopièuo")."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf

from app.documents.claimfile import fonts
from app.documents.claimfile.canvas import Canvas
from app.documents.claimfile.drawn import append_page
from app.documents.claimfile.stamp import Stamper


def drawn_pdf(text: str) -> bytes:
    pdf = pikepdf.new()
    font = fonts.EmbeddedFont(pdf)
    canvas = Canvas()
    canvas.text(56, 700, text, 14)
    append_page(pdf, canvas.data(font), font.resources)
    font.finish()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_page_drawn_with_our_font_keeps_its_text_once_stamped(tmp_path: Path) -> None:
    source = tmp_path / "bon.pdf"
    source.write_bytes(drawn_pdf("Bon de livraison BL-2026-77 reçu conforme"))
    stamped = tmp_path / "stamped.pdf"
    with pikepdf.open(source) as pdf:
        stamper = Stamper(pdf)
        for page in list(pdf.pages):
            stamper.stamp(page, "Pièce n° 3 — p. 1/1", "12 / 40", shrink=True)
        stamper.finish()
        pdf.save(stamped)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(stamped), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "Bon de livraison BL-2026-77 reçu conforme" in text
    assert "Pièce n° 3 — p. 1/1" in text and "12 / 40" in text
