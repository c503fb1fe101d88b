"""Photos come out upright for every EXIF orientation (1–8, mirrored ones included), and CMYK,
16-bit, palette and transparent images stay legible (checked on the rendered page)."""

from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.documents.claimfile import Exhibit, build_claim_file
from tests.documents.claimfile.raster import centroid, page_image

RED, BLUE = (220, 20, 20), (20, 20, 220)
# What Pillow's exif_transpose applies for each orientation; the stored image is the inverse.
TO_STORED = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
             4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
             6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_270}


def upright() -> Image.Image:
    """A portrait picture: a red square top left, a blue one top right."""
    image = Image.new("RGB", (400, 600), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 140, 140), fill=RED)
    draw.rectangle((260, 20, 380, 140), fill=BLUE)
    return image


def photo(number: int, path: Path, media_type: str) -> Exhibit:
    return Exhibit(number, f"Photo {number}", "other", date(2026, 4, 3), path, media_type,
                   path.name)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_photo_is_upright_for_every_exif_orientation(samples, out, info, orientation):
    stored = upright()
    if orientation in TO_STORED:
        stored = stored.transpose(TO_STORED[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = samples / f"o{orientation}.jpg"
    stored.save(path, "JPEG", exif=exif.tobytes(), quality=92)

    build_claim_file([], [photo(1, path, "image/jpeg")], out / "d.pdf", info)

    page = page_image(out / "d.pdf", 2)
    assert page.height > page.width  # portrait as shown
    red, blue = centroid(page, RED), centroid(page, BLUE)
    assert red is not None and blue is not None
    assert red[0] < 0.5 < blue[0], (red, blue)  # red on the left, blue on the right
    assert red[1] < 0.5 and blue[1] < 0.5 and abs(red[1] - blue[1]) < 0.05  # both at the top


def _two_tones(mode: str) -> Image.Image:
    """Left half dark ink, right half pale, in the given mode."""
    if mode == "I;16":  # 16-bit greyscale: 6000 and 60000 out of 65535
        row = struct.pack(">150H", *[6000] * 150) + struct.pack(">150H", *[60000] * 150)
        return Image.frombytes("I;16B", (300, 200), row * 200)
    base = Image.new("RGB", (300, 200), (235, 235, 235))
    base.paste((30, 30, 30), (0, 0, 150, 200))
    if mode == "CMYK":
        return base.convert("CMYK")
    if mode == "P":
        return base.convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    if mode == "RGBA":  # ink on a transparent background
        ink = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
        ink.paste((30, 30, 30, 255), (0, 0, 150, 200))
        return ink
    if mode == "LA":
        return base.convert("LA")
    return base


@pytest.mark.parametrize(("mode", "fmt"), [("CMYK", "JPEG"), ("I;16", "PNG"), ("P", "PNG"),
                                           ("RGBA", "PNG"), ("LA", "PNG"), ("RGB", "PNG")])
def test_unusual_image_modes_stay_legible(samples, out, info, mode, fmt):
    path = samples / f"image-{mode.replace(';', '')}.{fmt.lower()}"
    _two_tones(mode).save(path, fmt)
    media_type = "image/jpeg" if fmt == "JPEG" else "image/png"

    build_claim_file([], [photo(1, path, media_type)], out / "d.pdf", info)

    page = page_image(out / "d.pdf", 2, dpi=30).convert("L")
    width, height = page.size
    # the image is centred: sample the middle row, left and right of the centre
    dark = page.getpixel((width // 2 - width // 8, height // 2))
    pale = page.getpixel((width // 2 + width // 8, height // 2))
    assert dark < 90 and pale > 180, (dark, pale)
