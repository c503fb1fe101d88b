"""Small pictures of the pièces for the debtor page's list, so that a pièce can be told apart
and classified without downloading it: a PDF's first page, a photo reduced and set upright
(its EXIF orientation applied). Originals are never modified; e-mails show their headers in
the list and their text on the preview page (services/evidence_preview.py).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image, ImageOps

from app.evidence import pillow
from app.evidence.programs import run_capped
from app.services.evidence_preview import RENDER_SECONDS, PreviewUnavailable

THUMB_PX = 240  # the longest side; shown at 72 CSS px, sharp on a 3x screen
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
THUMB_TYPES = IMAGE_TYPES | {"application/pdf"}
UNAVAILABLE = "Vignette indisponible : le fichier n'a pas pu être dessiné."


def thumbnail(path: Path, media_type: str) -> bytes:
    """A PNG at most THUMB_PX on its longest side."""
    if media_type == "application/pdf":
        return pdf_thumbnail(path)
    if media_type in IMAGE_TYPES:
        return image_thumbnail(path)
    raise PreviewUnavailable("Pas de vignette pour ce type de pièce.")


def pdf_thumbnail(path: Path) -> bytes:
    """The first page, drawn by poppler's pdftoppm straight at the thumbnail's size."""
    command = ["pdftoppm", "-png", "-f", "1", "-l", "1", "-scale-to", str(THUMB_PX), str(path)]
    try:
        done = run_capped(command, RENDER_SECONDS)  # an image that slipped in: drawn without
    except (OSError, subprocess.SubprocessError) as exc:
        raise PreviewUnavailable(UNAVAILABLE) from exc
    if done.returncode != 0 or not done.stdout:
        raise PreviewUnavailable(UNAVAILABLE)
    return done.stdout


def image_thumbnail(path: Path) -> bytes:
    """The photo reduced, upright, on white; a JPEG is decoded reduced (draft mode)."""
    try:
        with pillow.strict(), Image.open(path) as image:
            if image.format == "JPEG":
                image.draft("RGB", (THUMB_PX * 2, THUMB_PX * 2))
            pillow.within_budget(image).load()
            upright = ImageOps.exif_transpose(image)
            small = pillow.printable(upright)
            small.thumbnail((THUMB_PX, THUMB_PX))
            out = io.BytesIO()
            small.save(out, format="PNG", optimize=True)
    except (OSError, ValueError, pillow.TooManyPixels) as exc:
        raise PreviewUnavailable(UNAVAILABLE) from exc
    return out.getvalue()
