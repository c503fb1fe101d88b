"""A tiny content-stream writer: text in the embedded Unicode font, rectangles, lines, transforms.

Used for the stamps, the bordereau and the volume covers. Coordinates are PDF points from the
bottom-left corner of whatever frame the caller set up; numbers are written with fixed
precision so the same drawing always gives the same bytes. Text is kept as text until
`data(font)` encodes it with the font of the PDF the drawing goes into.
"""

from __future__ import annotations

from app.documents.claimfile import typeface
from app.documents.claimfile.fonts import FONT, EmbeddedFont

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying `first`, then `then` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2, a * b2 + b * d2,
        c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )


def invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def cm(m: Matrix) -> str:
    return " ".join(num(v) for v in m) + " cm"


class Canvas:
    def __init__(self) -> None:
        self._ops: list[str | tuple[str, bool, str]] = []

    def transform(self, m: Matrix) -> None:
        if m != IDENTITY:
            self._ops.append(cm(m))

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False,
             align: str = "left", gray: float = 0.0) -> None:
        if align != "left":
            shift = typeface.width(text, size, bold=bold)
            x -= shift if align == "right" else shift / 2
        self._ops.append((f"BT {FONT} {num(size)} Tf {num(gray)} g {num(x)} {num(y)} Td <",
                          bold, text))

    def rect(self, x: float, y: float, w: float, h: float, *, gray: float) -> None:
        self._ops.append(f"{num(gray)} g {num(x)} {num(y)} {num(w)} {num(h)} re f")

    def line(self, x0: float, y0: float, x1: float, y1: float, *, gray: float = 0.0,
             width: float = 0.5) -> None:
        self._ops.append(
            f"{num(gray)} G {num(width)} w {num(x0)} {num(y0)} m {num(x1)} {num(y1)} l S"
        )

    def data(self, font: EmbeddedFont, name: str = FONT) -> bytes:
        """The drawing, isolated in its own graphics state, its text encoded with `font`, which
        the page's resources call `name`."""
        ops = [op if isinstance(op, str) else
               f"{op[0].replace(FONT, name, 1)}{font.encode(op[2], bold=op[1]).hex()}> Tj ET"
               for op in self._ops]
        return ("q\n" + "\n".join(ops) + "\nQ\n").encode("ascii")
