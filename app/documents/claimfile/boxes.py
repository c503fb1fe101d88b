"""A page's boxes as a viewer shows them, made sound before the page is stamped.

Real files carry boxes of every kind: zero-size, negative or inverted rectangles, a crop box
outside the media box, entries that are not four numbers, `/Rotate` values that are not a
multiple of 90 or are inherited, pages a few points wide or several metres tall, `/UserUnit`.
`normalize()` leaves every page with a media box (and crop box) of positive size, a `/Rotate`
in {0, 90, 180, 270}, no `/UserUnit` (poppler ignores it while Acrobat and pdf.js honour it:
the unit is baked into the boxes and a scaling of the content, so every viewer agrees), and
— for a page too small to carry a legible stamp — a box enlarged
around the content (a blank band added at the displayed bottom, the sides widened), so the
content is never shrunk into illegibility and the stamp never overlaps it.
"""

from __future__ import annotations

import math

import pikepdf

Box = tuple[float, float, float, float]

A4: Box = (0.0, 0.0, 595.276, 841.89)
MIN_SIDE = 1.0  # a box thinner than this (in points) is not a box
MIN_WIDTH = 240.0  # points, as displayed: room for both halves of the stamp
MIN_HEIGHT = 120.0
MAX_USER_UNIT = 75000.0  # PDF's own limit on a page side, in points


def rectangle(value: object) -> Box | None:
    """Four finite numbers, normalized (x0 < x1, y0 < y1); None for anything else."""
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    try:
        xa, ya, xb, yb = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (xa, ya, xb, yb)):
        return None
    return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)


def _sound(box: Box | None) -> bool:
    return box is not None and box[2] - box[0] >= MIN_SIDE and box[3] - box[1] >= MIN_SIDE


def visible_box(page: pikepdf.Page) -> Box:
    """The crop box within the media box, as a viewer shows it; A4 when neither is usable."""
    media = rectangle(page.obj.get("/MediaBox"))
    if not _sound(media):
        media = A4
    assert media is not None
    crop = rectangle(page.obj.get("/CropBox"))
    if crop is None:
        return media
    inside = (max(crop[0], media[0]), max(crop[1], media[1]),
              min(crop[2], media[2]), min(crop[3], media[3]))
    return inside if _sound(inside) else media


def rotation(page: pikepdf.Page) -> int:
    """/Rotate as a viewer applies it: the nearest quarter turn, in [0, 360)."""
    try:
        value = float(page.obj.get("/Rotate", 0))
    except (TypeError, ValueError):
        return 0
    if not math.isfinite(value):
        return 0
    return int(round(value / 90)) * 90 % 360


def user_unit(page: pikepdf.Page) -> float:
    """Points per user-space unit (/UserUnit, PDF 1.6; 1 when absent or unusable)."""
    try:
        value = float(page.obj.get("/UserUnit", 1))
    except (TypeError, ValueError):
        return 1.0
    return value if math.isfinite(value) and 0 < value <= MAX_USER_UNIT else 1.0


def normalize(page: pikepdf.Page, strip: float) -> tuple[bool, float]:
    """Write back sound boxes and rotation; enlarge a page too small for the stamp.

    `strip` is the height of the stamp band in points. A page narrower than MIN_WIDTH or
    lower than MIN_HEIGHT (as displayed, in points) gets a blank band of `strip` below its
    content and is widened and heightened around it to the minimum size.
    """
    box = visible_box(page)
    turn = rotation(page)
    unit = user_unit(page)
    if unit != 1.0:
        box = (box[0] * unit, box[1] * unit, box[2] * unit, box[3] * unit)
        del page.obj["/UserUnit"]
    width, height = box[2] - box[0], box[3] - box[1]
    shown_w, shown_h = (height, width) if turn in (90, 270) else (width, height)
    enlarged = shown_w < MIN_WIDTH or shown_h < MIN_HEIGHT
    if enlarged:
        box = _enlarged(box, turn, shown_w, shown_h, strip)
    page.obj.MediaBox = pikepdf.Array(list(box))
    if "/CropBox" in page.obj:
        page.obj.CropBox = pikepdf.Array(list(box))
    for name in ("/BleedBox", "/TrimBox", "/ArtBox"):
        if name in page.obj:
            del page.obj[name]  # would lie outside the new media box, or be meaningless
    if turn:
        page.obj.Rotate = turn
    elif "/Rotate" in page.obj:
        del page.obj["/Rotate"]
    return enlarged, unit


def _enlarged(box: Box, turn: int, shown_w: float, shown_h: float, band: float) -> Box:
    """The box grown, in displayed terms: `band` added at the bottom, then centred sideways
    and grown upwards to the minimum size (all in points)."""
    grow_x = max(MIN_WIDTH - shown_w, 0.0) / 2
    grow_top = max(MIN_HEIGHT - shown_h - band, 0.0)
    # displayed (left, bottom, right, top) margins mapped onto the unrotated box's sides
    left, bottom, right, top = grow_x, band, grow_x, grow_top
    x0, y0, x1, y1 = box
    if turn == 0:
        return x0 - left, y0 - bottom, x1 + right, y1 + top
    if turn == 90:  # turned clockwise: the displayed bottom is the box's right side
        return x0 - top, y0 - left, x1 + bottom, y1 + right
    if turn == 180:
        return x0 - right, y0 - top, x1 + left, y1 + bottom
    return x0 - bottom, y0 - right, x1 + top, y1 + left  # 270: the bottom is its left side
