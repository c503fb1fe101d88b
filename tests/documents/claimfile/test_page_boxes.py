"""Every exhibit page carries a legible stamp, whatever its boxes: zero, negative, inverted or
huge boxes, a crop box outside the media box, /UserUnit, every /Rotate value (inherited too),
and pages too small for the stamp (a few points wide, 100 × 100 pt), which are enlarged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pikepdf
import pytest

from app.documents.claimfile import Exhibit, build_claim_file
from tests.documents.claimfile.words import Page, pages

A4_LONG = 841.89


def odd_pdf(path: Path, **boxes: object) -> Path:
    """One page with a line of text, its dictionary entries set as given (raw values)."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 6 Tf 1 1 Td (Contenu) Tj ET")
    inherited = boxes.pop("inherited_rotate", None)
    for key, value in boxes.items():
        if value is None:
            del page.obj[f"/{key}"]
        else:
            page.obj[f"/{key}"] = pikepdf.Array(value) if isinstance(value, list) else value
    if inherited is not None:
        pdf.Root.Pages.Rotate = inherited
    pdf.save(path)
    return path


CASES = {
    "zero box": {"MediaBox": [0, 0, 0, 0]},
    "negative box": {"MediaBox": [0, 0, -595, -842]},
    "inverted box": {"MediaBox": [595, 842, 0, 0]},
    "huge box": {"MediaBox": [0, 0, 14400, 14400]},
    "crop box outside": {"CropBox": [2000, 2000, 2400, 2400]},
    "box not numbers": {"MediaBox": [0, 0, "/A4", 842]},
    "user unit 10": {"MediaBox": [0, 0, 59.5, 84.2], "UserUnit": 10},
    "few points wide": {"MediaBox": [0, 0, 3, 800]},
    "100 x 100": {"MediaBox": [0, 0, 100, 100]},
    "100 x 100 turned": {"MediaBox": [0, 0, 100, 100], "Rotate": 90},
    "rotate 90": {"Rotate": 90},
    "rotate 180": {"Rotate": 180},
    "rotate 270": {"Rotate": 270},
    "rotate -90": {"Rotate": -90},
    "rotate 450": {"Rotate": 450},
    "rotate 45": {"Rotate": 45},
    "rotate 360": {"Rotate": 360},
    "rotate inherited": {"inherited_rotate": 90},
}


def _stamp_words(page: Page, number: int) -> list:  # type: ignore[type-arg]
    text = page.text()
    assert f"Pièce n° {number} — p. 1/1" in text, text
    start = next(i for i, w in enumerate(page.words) if w.text == "Pièce"
                 and page.words[i + 2].text == f"{number}")
    return page.words[start:]


def test_every_odd_page_gets_a_legible_stamp(samples, out, info):
    exhibits = [Exhibit(n, name, "other", date(2026, 4, 3), odd_pdf(samples / f"{n}.pdf", **spec),
                        "application/pdf", f"{n}.pdf")
                for n, (name, spec) in enumerate(CASES.items(), start=1)]

    build_claim_file([], exhibits, out / "d.pdf", info)

    shown = pages(out / "d.pdf")[1:]  # after the bordereau
    assert len(shown) == len(CASES)
    for number, (name, page) in enumerate(zip(CASES, shown, strict=True), start=1):
        words = _stamp_words(page, number)
        # printed fitted onto A4, the stamp's letters are at least 5 pt high
        fit = max(1.0, max(page.width, page.height) / A4_LONG)
        heights = [(w.y1 - w.y0) / fit for w in words]
        assert min(heights) >= 5.0, (name, heights)
        # every word on the page, in the bottom band, left half apart from the right half
        for w in words:
            assert 0 <= w.x0 < w.x1 <= page.width and 0 <= w.y0 < w.y1 <= page.height, name
            assert w.y0 > page.height - 30 * fit, (name, w)
        left = [w for w in words if w.x1 <= page.width / 2]
        right = [w for w in words if w.x0 >= page.width / 2]
        assert left and right and len(left) + len(right) == len(words), name


@pytest.mark.parametrize("name", ["few points wide", "100 x 100"])
def test_tiny_page_is_enlarged_not_shrunk(samples, out, info, name):
    path = odd_pdf(samples / "tiny.pdf", **CASES[name])
    build_claim_file([], [Exhibit(1, name, "other", None, path, "application/pdf", "t.pdf")],
                     out / "d.pdf", info)
    with pikepdf.open(out / "d.pdf") as pdf:
        box = [float(v) for v in pdf.pages[1].mediabox]
        content = b"".join(s.read_bytes() for s in pdf.pages[1].obj.Contents) \
            if isinstance(pdf.pages[1].obj.Contents, pikepdf.Array) \
            else pdf.pages[1].obj.Contents.read_bytes()
    assert box[2] - box[0] >= 240 and box[3] - box[1] >= 120
    assert b" cm" not in content.split(b"Q")[0]  # the content is not scaled down
