"""Stamping a page: "Pièce n° N — p. i/n" and "x / total" in a strip at the page's visual bottom.

The stamp is a small content stream appended after the page's own content, which is wrapped
in `q … Q` so nothing it leaves in the graphics state leaks into the stamp; the fonts are one
resource shared by every page. Overlays (merge_page, form XObjects) are 3–4× slower on 2,000
pages. When the page has no known margin, its content is first shrunk (a `cm` transform
anchored at the top centre) so the strip is blank and the stamp never covers anything; its
annotations move with it. /Rotate is honoured: "bottom" is the bottom of the page as displayed.
The page's boxes are made sound first (`boxes.normalize`): a page too small for a legible
stamp is enlarged with a blank band instead of being shrunk; on a page larger than A4 (or with
a /UserUnit) the stamp grows with the page, so it prints at the same size once fitted to A4.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf

from app.documents.claimfile import boxes, fonts, typeface
from app.documents.claimfile.canvas import Canvas, Matrix, apply, cm, invert, multiply

STRIP = 20.0  # points kept blank at the visual bottom for the stamp (~7 mm)
SIDE = 28.0  # distance of the stamp's text from the left and right edges
BASELINE = 7.0
SIZE = 8.0


@dataclass(frozen=True)
class Frame:
    """The page as displayed: its size, and the matrix from displayed to user coordinates."""

    width: float
    height: float
    to_user: Matrix
    scale: float = 1.0  # user units per point of stamp: the stamp's size on this page


def frame(page: pikepdf.Page) -> Frame:
    x0, y0, x1, y1 = boxes.visible_box(page)
    rotate = boxes.rotation(page)
    w, h = x1 - x0, y1 - y0
    scale = _scale(w, h, boxes.user_unit(page))  # 1 once `boxes.normalize` baked it
    if rotate == 90:
        return Frame(h, w, (0.0, 1.0, -1.0, 0.0, x1, y0), scale)
    if rotate == 180:
        return Frame(w, h, (-1.0, 0.0, 0.0, -1.0, x1, y1), scale)
    if rotate == 270:
        return Frame(h, w, (0.0, -1.0, 1.0, 0.0, x0, y1), scale)
    return Frame(w, h, (1.0, 0.0, 0.0, 1.0, x0, y0), scale)


def _scale(width: float, height: float, unit: float) -> float:
    """A page larger than A4 is printed reduced to A4: its stamp is drawn larger by as much."""
    short, long = sorted((width * unit, height * unit))
    fit = max(1.0, short / boxes.A4[2], long / boxes.A4[3])
    return fit / unit


def shrink_matrix(f: Frame) -> Matrix:
    """User-space `cm` that scales the content so the bottom STRIP of the display is free."""
    s = max(f.height - STRIP * f.scale, f.height / 2) / f.height
    visual = (s, 0.0, 0.0, s, f.width * (1 - s) / 2, f.height * (1 - s))
    return multiply(multiply(invert(f.to_user), visual), f.to_user)


class Stamper:
    """Stamps the pages of one output PDF; holds the objects they all share."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.font = fonts.EmbeddedFont(pdf)
        self.fonts = self.font.resources
        self._open = pdf.make_stream(b"q\n")
        self._open_with: dict[Matrix, pikepdf.Stream] = {}

    def stamp(self, page: pikepdf.Page, left: str, right: str, *, shrink: bool) -> None:
        enlarged, unit = boxes.normalize(page, STRIP)
        f = frame(page)
        opening = self._open
        matrix = (unit, 0.0, 0.0, unit, 0.0, 0.0)  # a /UserUnit baked into the content
        if shrink and not enlarged:
            matrix = multiply(matrix, shrink_matrix(f))
        if matrix != (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
            opening = self._opening(matrix)
            _move_annotations(page, matrix)
        name = self._add_font(page)
        page.contents_add(opening, prepend=True)
        page.contents_add(self.pdf.make_stream(b"\nQ\n" + _label(f, left, right, self.font, name)))

    def finish(self) -> None:
        """Complete the shared font once every page is stamped (before saving)."""
        self.font.finish()

    def _opening(self, matrix: Matrix) -> pikepdf.Stream:
        stream = self._open_with.get(matrix)
        if stream is None:
            stream = self.pdf.make_stream(f"q {cm(matrix)}\n".encode("ascii"))
            self._open_with[matrix] = stream
        return stream

    def _add_font(self, page: pikepdf.Page) -> str:
        """Put the stamp's font in the page's resources under a name the page does not already
        use for another font (a page drawn by this engine, or a claim file filed again, has its
        own /CfU), and return that name."""
        resources = page.obj.get("/Resources")
        if resources is None:
            resources = page.obj.Resources = pikepdf.Dictionary()
        font = resources.get("/Font")
        if font is None:
            resources.Font = self.fonts
            return fonts.FONT
        name, n = fonts.FONT, 0
        while name in font and font[name].objgen != self.font.font.objgen:
            n += 1
            name = f"{fonts.FONT}{n}"
        font[name] = self.font.font
        return name


def _label(f: Frame, left: str, right: str, font: fonts.EmbeddedFont, name: str) -> bytes:
    width = f.width / f.scale  # in stamp points
    side = min(SIDE, width * 0.05)
    room = width - 2 * side - 12
    needed = typeface.width(left, SIZE, bold=True) + typeface.width(right, SIZE)
    size = SIZE if needed <= room else max(SIZE * room / needed, 4.0)
    canvas = Canvas()
    canvas.transform(multiply((f.scale, 0.0, 0.0, f.scale, 0.0, 0.0), f.to_user))
    if left:
        canvas.text(side, BASELINE, left, size, bold=True)
    canvas.text(width - side, BASELINE, right, size, align="right", gray=0.2)
    return canvas.data(font, name)


def _move_annotations(page: pikepdf.Page, matrix: Matrix) -> None:
    for annot in page.obj.get("/Annots", ()):
        rect = annot.get("/Rect") if isinstance(annot, pikepdf.Dictionary) else None
        if rect is None or len(rect) != 4:
            continue
        xa, ya = apply(matrix, float(rect[0]), float(rect[1]))
        xb, yb = apply(matrix, float(rect[2]), float(rect[3]))
        annot.Rect = pikepdf.Array([min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)])
