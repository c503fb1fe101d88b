"""Review of app/evidence/pdfimages.py: an image's size as poppler reads it.

pdftoppm takes an image XObject's size from /Width (else the abbreviation /W) and accepts a
real number there (poppler Gfx::doImage). `_image_size` reads /Width and /Height as integers
only: the same 8000 × 8000 image (64 million pixels, over the 52-million budget) declared as
`/Width 8000.0` or `/W 8000` is accepted, and pdftoppm then decodes it at full size for every
thumbnail (135 MB measured for one greyscale page; the 300 MB RLIMIT is the only bound left).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from app.evidence.pdf import inspect_pdf
from app.evidence.refusals import Refusal

SIDE = 8000


def _pdf(path: Path, **size: object) -> Path:
    pdf = pikepdf.new()
    image = pdf.make_stream(b"\x00", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                            ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8, **size)
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 200],
                              Contents=pdf.make_stream(b"q 200 0 0 200 0 0 cm /X0 Do Q"),
                              Resources=pikepdf.Dictionary(
                                  XObject=pikepdf.Dictionary(X0=image)))
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path


def test_control_integer_width_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Refusal):
        inspect_pdf(_pdf(tmp_path / "int.pdf", Width=SIDE, Height=SIDE), "int.pdf")


@pytest.mark.parametrize("size", [
    {"Width": pikepdf.Object.parse(b"8000.0"), "Height": pikepdf.Object.parse(b"8000.0")},
    {"W": SIDE, "H": SIDE},
], ids=["real-numbers", "abbreviated-keys"])
def test_the_same_image_spelled_otherwise_is_refused_too(tmp_path: Path,
                                                         size: dict[str, object]) -> None:
    with pytest.raises(Refusal):
        inspect_pdf(_pdf(tmp_path / "bomb.pdf", **size), "bomb.pdf")
