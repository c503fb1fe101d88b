"""A tiny content-stream writer: text in Helvetica, filled rectangles, lines, transforms.

Used for the stamps, the bordereau and the volume covers. Coordinates are PDF points from the
bottom-left corner of whatever frame the caller set up; numbers are written with fixed
precision so the same drawing always gives the same bytes.
"""

from __future__ import annotations

from app.documents.claimfile import fonts

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
        self._ops: list[str] = []

    def transform(self, m: Matrix) -> None:
        if m != IDENTITY:
            self._ops.append(cm(m))

    def text(self, x: float, y: float, text: str | bytes, size: float, *, bold: bool = False,
             align: str = "left", gray: float = 0.0) -> None:
        data = text if isinstance(text, bytes) else fonts.winansi(text)
        if align != "left":
            shift = fonts.width(data, size, bold=bold)
            x -= shift if align == "right" else shift / 2
        font = fonts.BOLD if bold else fonts.REGULAR
        self._ops.append(
            f"BT {font} {num(size)} Tf {num(gray)} g {num(x)} {num(y)} Td <{data.hex()}> Tj ET"
        )

    def rect(self, x: float, y: float, w: float, h: float, *, gray: float) -> None:
        self._ops.append(f"{num(gray)} g {num(x)} {num(y)} {num(w)} {num(h)} re f")

    def line(self, x0: float, y0: float, x1: float, y1: float, *, gray: float = 0.0,
             width: float = 0.5) -> None:
        self._ops.append(
            f"{num(gray)} G {num(width)} w {num(x0)} {num(y0)} m {num(x1)} {num(y1)} l S"
        )

    def data(self) -> bytes:
        """The drawing, isolated in its own graphics state."""
        return ("q\n" + "\n".join(self._ops) + "\nQ\n").encode("ascii")
