"""Pages of a PDF as pictures (pdftoppm), to check what a reader would actually see."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image


def page_image(path: Path, page: int, dpi: int = 24) -> Image.Image:
    """The 1-based `page` of the PDF at `path`, rendered in RGB."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-png",
                        "-singlefile", str(path), f"{folder}/page"], check=True, timeout=60)
        with Image.open(f"{folder}/page.png") as image:
            return image.convert("RGB")


def centroid(image: Image.Image, wanted: tuple[int, int, int], tolerance: int = 60,
             ) -> tuple[float, float] | None:
    """Mean position, as fractions of the page, of the pixels close to the colour `wanted`."""
    xs, ys = [], []
    pixels = image.load()
    for y in range(image.height):
        for x in range(image.width):
            r, g, b = pixels[x, y]
            if abs(r - wanted[0]) + abs(g - wanted[1]) + abs(b - wanted[2]) <= tolerance:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return sum(xs) / len(xs) / image.width, sum(ys) / len(ys) / image.height
