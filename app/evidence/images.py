"""JPEG and PNG checks with Pillow (dimensions, EXIF orientation) and their PDF rendering.

The original is never modified: the EXIF orientation is recorded, and applied when the
image is turned into a PDF page (img2pdf keeps the JPEG bytes and rotates the page).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import img2pdf
from PIL import Image, UnidentifiedImageError

from app.evidence import pillow
from app.evidence.refusals import Refusal

ORIENTATION_TAG = 0x0112
# EXIF orientations that swap width and height once applied.
QUARTER_TURNS = {5, 6, 7, 8}


@dataclass
class ImageFacts:
    width: int  # as stored
    height: int
    orientation: int  # EXIF 1..8 (1 = as stored)
    format: str

    @property
    def display_size(self) -> tuple[int, int]:
        """Width and height as the image should be seen (EXIF orientation applied)."""
        if self.orientation in QUARTER_TURNS:
            return self.height, self.width
        return self.width, self.height


def inspect_image(path: Path, filename: str) -> ImageFacts:
    """Dimensions and orientation; the whole image is decoded (within the pixel budget)."""
    try:
        with pillow.strict():
            with Image.open(path) as image:
                image.verify()
            with Image.open(path) as image:
                width, height = image.size
                pillow.within_budget(image).load()  # before getexif(), which loads a PNG
                facts = ImageFacts(width=width, height=height,
                                   orientation=_orientation(image), format=image.format or "")
    except pillow.TooManyPixels as exc:
        raise Refusal(filename, exc.reason, "too_large") from exc
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError, RuntimeError, EOFError, MemoryError) as exc:
        raise Refusal(filename, "l'image est endommagée ou incomplète et ne peut pas être lue.",
                      "damaged") from exc
    return facts


def _orientation(image: Image.Image) -> int:
    try:
        value = int(image.getexif().get(ORIENTATION_TAG, 1))
    except (ValueError, TypeError, OSError):
        return 1
    return value if 1 <= value <= 8 else 1


def image_to_pdf(path: Path) -> bytes:
    """A one-page PDF of the image, upright (EXIF orientation applied), JPEG bytes kept."""
    data = path.read_bytes()
    try:
        return bytes(img2pdf.convert(data, rotation=img2pdf.Rotation.ifvalid))
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError):
        with pillow.strict(), Image.open(io.BytesIO(data)) as image:
            from PIL import ImageOps

            flattened = ImageOps.exif_transpose(image).convert("RGB")
            buffer = io.BytesIO()
            flattened.save(buffer, format="PNG")
        return bytes(img2pdf.convert(buffer.getvalue()))
