"""The claim file's resampling (app/documents/claimfile/resample.py) of an image whose size is
spelled as poppler also reads it (/W and /H, real numbers): left as it is, never a crash of the
whole build (`xobject.Width` raised AttributeError on an image giving only /W)."""

from __future__ import annotations

import pikepdf
import pytest

from app.documents.claimfile.resample import downsample_pdf

SIDE = 1000  # on a 1-inch page: 1000 dpi, well above the 200 asked


def _pdf(**size: object) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    image = pdf.make_stream(b"\x80" * SIDE * SIDE, Type=pikepdf.Name.XObject,
                            Subtype=pikepdf.Name.Image, ColorSpace=pikepdf.Name.DeviceGray,
                            BitsPerComponent=8, **size)
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 72, 72],
                              Contents=pdf.make_stream(b"q 72 0 0 72 0 0 cm /X0 Do Q"),
                              Resources=pikepdf.Dictionary(
                                  XObject=pikepdf.Dictionary(X0=image)))
    pdf.pages.append(pikepdf.Page(page))
    return pdf


def test_control_an_image_of_integer_width_and_height_is_resampled() -> None:
    assert downsample_pdf(_pdf(Width=SIDE, Height=SIDE), 200)


@pytest.mark.parametrize("size", [
    {"W": SIDE, "H": SIDE},
    {"Width": pikepdf.Object.parse(b"1000.0"), "Height": pikepdf.Object.parse(b"1000.0")},
], ids=["abbreviated-keys", "real-numbers"])
def test_an_image_whose_size_is_spelled_otherwise_is_left_as_it_is(size: dict[str, object]
                                                                     ) -> None:
    pdf = _pdf(**size)
    image = pdf.pages[0].Resources.XObject.X0
    before = image.read_raw_bytes()

    assert not downsample_pdf(pdf, 200)
    assert image.read_raw_bytes() == before


def test_an_image_whose_depth_is_a_name_is_left_as_it_is() -> None:
    pdf = _pdf(Width=SIDE, Height=SIDE)
    pdf.pages[0].Resources.XObject.X0.BitsPerComponent = pikepdf.Name.Eight
    assert not downsample_pdf(pdf, 200)
