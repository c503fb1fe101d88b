"""Optional downsampling of scanned images above a resolution, to fit e-filing size limits.

Only the copy going into the claim file is resampled (Pillow, Lanczos, JPEG quality 85 for
photos and greyscale scans); the original stays untouched in the ZIP. Images already at or
below the resolution, masks, 1-bit scans and exotic colour spaces are left as they are.
"""

from __future__ import annotations

import io

import pikepdf
from PIL import Image, ImageOps

from app.evidence import pillow

JPEG_QUALITY = 85


def downsample_image(image: Image.Image, max_dpi: int, shown_width_pt: float) -> bytes | None:
    """The image resampled to `max_dpi` at the width it is shown, as JPEG; None if not needed."""
    upright = ImageOps.exif_transpose(image)
    shown_inches = shown_width_pt / 72
    if upright.width / shown_inches <= max_dpi * 1.05:
        return None
    scale = max_dpi * shown_inches / upright.width
    size = (max(1, round(upright.width * scale)), max(1, round(upright.height * scale)))
    smaller = pillow.printable(upright).resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    smaller.save(buffer, "JPEG", quality=JPEG_QUALITY, dpi=(max_dpi, max_dpi), optimize=True)
    return buffer.getvalue()


def downsample_pdf(pdf: pikepdf.Pdf, max_dpi: int) -> bool:
    """Resample, in place, the page images drawn above `max_dpi`; True if any was changed."""
    changed = False
    for page in pdf.pages:
        width_in = float(page.mediabox[2] - page.mediabox[0]) / 72
        height_in = float(page.mediabox[3] - page.mediabox[1]) / 72
        for image in _page_images(page):
            changed |= _downsample_xobject(image, max_dpi, width_in, height_in)
    return changed


def _page_images(page: pikepdf.Page) -> list[pikepdf.Stream]:
    xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
    return [x for x in xobjects.values()
            if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == "/Image"]


def _pixel_size(xobject: pikepdf.Stream) -> tuple[int, int] | None:
    """(width, height) where the image gives them as positive integers under their full names,
    as pikepdf's PdfImage reads them; None for one spelled otherwise (/W, a real number, which
    poppler draws and app/evidence/pdfimages.py measures), left as it is."""
    width, height = xobject.get("/Width"), xobject.get("/Height")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (width, height)):
        return None
    return width, height


def _decoded(xobject: pikepdf.Stream, target: tuple[int, int]) -> Image.Image | None:
    """The image decoded no larger than it must be to give `target`: a JPEG (a copier's scan,
    an A4 page at 600 dpi is 35 million pixels) reduced by its decoder (draft mode) to the
    smallest scale at least that size, within the pixel budget; None for one the budget does
    not allow (left as it is rather than decoded beyond the memory ceiling) or unreadable."""
    try:
        with pillow.strict():
            image = pikepdf.PdfImage(xobject).as_pil_image()
            if image.format == "JPEG":
                image.draft(image.mode, target)
            image = pillow.within_budget(image)
            image.load()
    except (pillow.TooManyPixels, pikepdf.PdfError, NotImplementedError, ValueError, OSError):
        return None
    return image


def _downsample_xobject(xobject: pikepdf.Stream, max_dpi: int, width_in: float,
                        height_in: float) -> bool:
    """A scan covers its page, so its resolution is its pixels over the page's size."""
    if "/SMask" in xobject or "/Mask" in xobject or xobject.get("/ImageMask", False):
        return False
    if xobject.get("/BitsPerComponent", 8) != 8:  # a name there, as a hostile file has it
        return False
    size = _pixel_size(xobject)
    if size is None:
        return False
    dpi = max(size) / max(width_in, height_in)
    if dpi <= max_dpi * 1.05:
        return False
    scale = max_dpi / dpi
    target = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
    image = _decoded(xobject, target)
    if image is None or image.mode not in ("RGB", "L"):
        return False
    buffer = io.BytesIO()
    image.resize(target, Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=JPEG_QUALITY)
    xobject.write(buffer.getvalue(), filter=pikepdf.Name.DCTDecode)
    xobject.Width, xobject.Height = target
    xobject.ColorSpace = pikepdf.Name.DeviceRGB if image.mode == "RGB" else pikepdf.Name.DeviceGray
    for key in ("/DecodeParms", "/Decode"):
        if key in xobject:
            del xobject[key]
    return True
