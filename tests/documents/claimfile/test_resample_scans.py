"""The claim file's resampling (app/documents/claimfile/resample.py) of real and odd scans: a
copier's 600 dpi page, decoded reduced, is resampled; an image whose size is spelled as poppler
also reads it (/W and /H, real numbers) or whose depth is a name is left as it is, never a
crash of the whole build (`xobject.Width` raised AttributeError on an image giving only /W)."""

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


def test_a_page_scanned_at_600_dpi_is_resampled_decoded_reduced() -> None:
    """An A4 page scanned at 600 dpi (4960 × 7016, 35 million pixels: over the pixel budget)
    was left at full size, so "Réduire les scans" did nothing for a copier's scans. Its JPEG
    decoder now reduces it while decoding (1/2: 2480 × 3508), then it is resampled to 200 dpi."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (4960, 7016), 200).save(buffer, "JPEG", quality=30)
    pdf = pikepdf.new()
    image = pdf.make_stream(buffer.getvalue(), Type=pikepdf.Name.XObject,
                            Subtype=pikepdf.Name.Image, ColorSpace=pikepdf.Name.DeviceGray,
                            BitsPerComponent=8, Width=4960, Height=7016,
                            Filter=pikepdf.Name.DCTDecode)
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 595.28, 841.89],
                              Contents=pdf.make_stream(b"q 595.28 0 0 841.89 0 0 cm /X0 Do Q"),
                              Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=image)))
    pdf.pages.append(pikepdf.Page(page))
    assert downsample_pdf(pdf, 200)
    resampled = pdf.pages[0].Resources.XObject.X0
    assert (int(resampled.Width), int(resampled.Height)) == (1653, 2339)  # 200 dpi on A4
