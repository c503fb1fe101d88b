"""The largest image a PDF draws, found without decoding any, against the pixel budget.

pdftoppm (thumbnails, previews) decodes every image a page draws at its full size before it
scales it down: a 1.5 MB PDF drawing one 16000 × 16000 progressive JPEG made it take 500 MB
for one thumbnail. The images are looked for where a renderer finds them: the XObjects of a
page's resources, and those of what the page draws in turn (form XObjects, tiling patterns,
Type 3 glyphs, soft masks, annotations' appearances). Each object is looked at once, and at
most MAX_OBJECTS of them per file: past that the rest is not walked, and the memory ceiling
of the programs that draw the file (app/evidence/programs.py) still holds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NullObject, StreamObject

from app.evidence.pillow import PIXEL_BUDGET

MAX_OBJECTS = 50_000
# Twice a bare image's budget: an A4 page scanned at 600 dpi (4960 × 7016, 35 million pixels,
# what office copiers make) is accepted, a bomb is not. The renderers decode it under their
# own memory ceiling (app/evidence/programs.py); the claim file's resampling holds one such
# image at a time, 3 bytes a pixel (about 160 MB at most).
PDF_PIXEL_BUDGET = 2 * PIXEL_BUDGET
MAPS = ("/XObject", "/Pattern", "/Font", "/ExtGState")  # name → object maps of resources
# links to something drawn: resources (of a page, form, pattern, Type 3 font), an image's
# masks, a soft mask's group
LINKS = ("/Resources", "/SMask", "/Mask", "/G")


def oversized_image(pages: Iterable[Any], budget: int = PDF_PIXEL_BUDGET
                    ) -> tuple[int, int] | None:
    """(width, height) of the first image over `budget` pixels that `pages` draw, or None."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = list(pages)
    visited = 0
    while stack and visited < MAX_OBJECTS:
        found = _object(stack.pop(), seen)
        if found is None:
            continue
        visited += 1
        size = _image_size(found)
        if size is not None and size[0] * size[1] > budget:
            return size
        stack.extend(_next(found))
    return None


def _object(value: Any, seen: set[tuple[int, int]]) -> DictionaryObject | None:
    """The dictionary (or stream) `value` points to, once per indirect object."""
    if isinstance(value, IndirectObject):
        key = (value.idnum, value.generation)
        if key in seen:
            return None
        seen.add(key)
        value = value.get_object()
    return value if isinstance(value, DictionaryObject) else None


def _image_size(obj: DictionaryObject) -> tuple[int, int] | None:
    if _resolved(obj.get("/Subtype")) != "/Image":
        return None
    width, height = _dimension(obj, "/Width", "/W"), _dimension(obj, "/Height", "/H")
    if width is None or height is None:
        return None
    return width, height


def _dimension(obj: DictionaryObject, key: str, abbreviation: str) -> int | None:
    """An image's width or height as poppler reads it (Gfx::doImage): the full key, else its
    inline-image abbreviation (PDF 32000-1 §8.9.7, accepted on any image), an integer or a real
    number's integer part; taken positive. None where poppler draws no image of it."""
    value = _resolved(obj.get(key))
    if value is None or isinstance(value, NullObject):  # poppler's lookup finds null either way
        value = _resolved(obj.get(abbreviation))
    if isinstance(value, float) and math.isfinite(value):
        value = int(value)
    return abs(value) if isinstance(value, int) else None


def _next(obj: DictionaryObject) -> Iterator[Any]:
    """What `obj` (a page, resources, XObject, pattern, font, graphics state or annotation)
    may draw in turn."""
    for key in MAPS:
        yield from _values(obj.get(key))
    for key in LINKS:
        if key in obj:
            yield obj.get(key)
    yield from _appearances(obj.get("/AP"))
    annotations = _resolved(obj.get("/Annots"))
    if isinstance(annotations, ArrayObject):
        yield from annotations


def _appearances(value: Any) -> Iterator[Any]:
    """An annotation's appearance streams: /N, /R, /D, each a stream or a map of its states
    to streams."""
    for entry in _values(value):
        if isinstance(_resolved(entry), StreamObject):
            yield entry
        else:
            yield from _values(entry)


def _values(value: Any) -> Iterable[Any]:
    value = _resolved(value)
    return value.values() if isinstance(value, DictionaryObject) else ()


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value
