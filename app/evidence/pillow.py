"""Pillow with its settings stated at each call, and a pixel budget from a memory ceiling.

Pillow keeps two process-wide switches that libraries flip behind our back: WeasyPrint sets
`ImageFile.LOAD_TRUNCATED_IMAGES = True` when it is imported, others lower or lift
`Image.MAX_IMAGE_PIXELS`. A verdict on an uploaded image must never depend on what ran
before in the process, so every decode of ours happens inside `strict()`, which sets both
for the duration of the call (under a lock: they are globals) and puts them back after.

The size check is ours, not Pillow's: one upload may never grow the server by more than
MEMORY_CEILING. Decoding holds the bitmap (4 bytes a pixel once converted to RGBA) and, at
worst, two more copies of it (transposed for its EXIF orientation, flattened onto white), so
PIXEL_BUDGET = MEMORY_CEILING / (4 × 3). A JPEG above the budget is decoded reduced (JPEG
"draft" mode: the decoder scales by 1/2, 1/4 or 1/8 without building the full bitmap); any
other image above it is refused with the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, ImageFile

MB = 1024 * 1024
MEMORY_CEILING = 300 * MB  # what one upload may add to the server's memory
BYTES_PER_PIXEL = 4  # RGBA
COPIES = 3  # the decoded bitmap, its upright copy, its flattened copy
PIXEL_BUDGET = MEMORY_CEILING // (BYTES_PER_PIXEL * COPIES)  # 26.2 million pixels
DRAFT_SCALES = (2, 4, 8)  # what a JPEG decoder can reduce by while decoding

_LOCK = threading.RLock()


class TooManyPixels(Exception):
    """The image cannot be decoded within the pixel budget."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width}x{height}")
        self.width, self.height = width, height

    @property
    def reason(self) -> str:
        millions = self.width * self.height / 1_000_000
        budget = PIXEL_BUDGET / 1_000_000
        return (f"l'image compte {self.width} × {self.height} pixels "
                f"({millions:.0f} millions), au-delà des {budget:.0f} millions que l'application "
                f"peut traiter sans risque ; réduisez sa résolution ou déposez-la en JPEG.")


@contextmanager
def strict() -> Iterator[None]:
    """Decode with Pillow's switches set for us: truncated files fail, no size cap of its own."""
    with _LOCK:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        Image.MAX_IMAGE_PIXELS = None  # the budget below is checked by `within_budget`
        try:
            yield  # no DecompressionBombWarning either: Pillow checks no size when the cap is None
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS = saved


def within_budget(image: Image.Image) -> Image.Image:
    """The opened (not yet decoded) image, set to decode within the budget; or TooManyPixels.

    Call inside `strict()`, before `load()`. A JPEG too large is put in draft mode, so its
    `size` becomes the reduced size it will decode to.
    """
    width, height = image.size
    if width * height <= PIXEL_BUDGET:
        return image
    if image.format == "JPEG":
        for scale in DRAFT_SCALES:
            if (width // scale) * (height // scale) <= PIXEL_BUDGET:
                image.draft(image.mode, (width // scale, height // scale))
                return image
    raise TooManyPixels(width, height)


def printable(image: Image.Image) -> Image.Image:
    """RGB or greyscale on white paper: transparency, palettes, CMYK and 16 bits made printable."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        image = image.convert("I")
    if image.mode == "I":  # 16-bit greyscale: scale to 8 bits rather than clip to white
        return image.point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "F":
        return image.convert("L")
    if image.mode in ("RGB", "L"):
        return image
    if "A" in image.getbands() or "transparency" in image.info or image.mode == "P":
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return image.convert("RGB")
