"""Stamp geometry: whatever the page's /Rotate, the shrunk content leaves the displayed
bottom strip free, and the stamp is written along the displayed bottom edge."""

from __future__ import annotations

import pikepdf
import pytest

from app.documents.claimfile.canvas import apply, invert
from app.documents.claimfile.stamp import STRIP, Frame, frame, shrink_matrix

CORNERS = [(x, y) for x in (10, 410) for y in (20, 620)]  # the media box below


def _frame(rotate: int) -> Frame:
    with pikepdf.new() as pdf:
        page = pdf.add_blank_page(page_size=(400, 600))
        page.obj.MediaBox = pikepdf.Array([10, 20, 410, 620])
        page.obj.Rotate = rotate
        return frame(page)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270, -90, 450])
def test_shrunk_content_keeps_out_of_the_displayed_bottom_strip(rotate):
    f = _frame(rotate)
    to_shown = invert(f.to_user)
    shown = [apply(to_shown, *apply(shrink_matrix(f), x, y)) for x, y in CORNERS]

    assert min(v for _, v in shown) == pytest.approx(STRIP)
    assert max(v for _, v in shown) == pytest.approx(f.height)  # anchored at the top
    assert min(u for u, _ in shown) > 0 and max(u for u, _ in shown) < f.width


@pytest.mark.parametrize(("rotate", "size"), [(0, (400, 600)), (90, (600, 400)),
                                              (180, (400, 600)), (270, (600, 400))])
def test_displayed_page_maps_onto_the_media_box(rotate, size):
    f = _frame(rotate)
    shown_corners = [apply(f.to_user, u, v) for u in (0, f.width) for v in (0, f.height)]

    assert (f.width, f.height) == size
    assert sorted(shown_corners) == sorted((float(x), float(y)) for x, y in CORNERS)


@pytest.mark.parametrize(("rotate", "shown_corner"), [(0, "bottom-left"), (90, "top-left"),
                                                      (180, "top-right"),
                                                      (270, "bottom-right")])
def test_rotation_turns_the_page_clockwise_as_viewers_do(rotate, shown_corner):
    f = _frame(rotate)
    u = 0.0 if shown_corner.endswith("left") else f.width
    v = 0.0 if shown_corner.startswith("bottom") else f.height

    assert apply(f.to_user, u, v) == (10, 20)  # where the media box's origin is shown
