"""Charts drawn on the server as SVG: no JavaScript, readable on a phone, printable.

Each chart is an `<svg role="img">` with a title and a description for screen readers;
the page shows the same figures in a table beside it. Bars and points carry `data-value`
(the figure, a plain decimal) so a test can compare a chart with its table. Every text is
escaped here, the only place that writes SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

from app.formatting import eur, number_fr

WIDTH = 400  # viewBox units: about one CSS pixel on a phone, scaled up on a desktop
PALETTE = ("#2f9e44", "#f1c40f", "#f08c00", "#e8590c", "#c92a2a", "#862e9c", "#1c7ed6",
           "#364fc7", "#495057", "#0b7285", "#a61e4d")


@dataclass(frozen=True)
class Part:
    label: str
    value: Decimal
    href: str = ""


def _svg(chart_id: str, title: str, desc: str, height: int, body: str) -> Markup:
    return Markup(
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'preserveAspectRatio="xMidYMid meet">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>{body}</svg>')


def _describe(parts: Sequence[Part], money: bool = True) -> str:
    return " ; ".join(f"{p.label} : {eur(p.value) if money else number_fr(p.value, 1)}"
                      for p in parts)


def _link(href: str, inner: str, label: str) -> str:
    if not href:
        return inner
    return f'<a href="{escape(href)}" aria-label="{escape(label)}">{inner}</a>'


def stacked_bar(chart_id: str, title: str, parts: Sequence[Part]) -> Markup:
    """One horizontal bar split by parts (each a link), with a legend under it."""
    total = sum((p.value for p in parts), Decimal(0))
    x, body = Decimal(0), []
    for k, part in enumerate(parts):
        width = (part.value / total * WIDTH) if total > 0 else Decimal(0)
        rect = (f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="44" '
                f'fill="{PALETTE[k % len(PALETTE)]}" data-value="{part.value}">'
                f'<title>{escape(part.label)} : {escape(eur(part.value))}</title></rect>')
        body.append(_link(part.href, rect, f"{part.label} : {eur(part.value)}"))
        x += width
    for k, part in enumerate(parts):  # the legend, one line per part
        ly = 70 + k * 24
        swatch = f'<rect x="0" y="{ly - 13}" width="15" height="15" fill="{PALETTE[k]}"/>'
        text = (f'<text x="22" y="{ly}" font-size="15">{escape(part.label)} — '
                f'{escape(eur(part.value))}</text>')
        body.append(_link(part.href, swatch + text, part.label))
    height = 60 + len(parts) * 24
    return _svg(chart_id, title, _describe(parts), height, "".join(body))


def bars(chart_id: str, title: str, parts: Sequence[Part], *, money: bool = True) -> Markup:
    """Horizontal bars, one per part, longest = the largest value."""
    top = max((p.value for p in parts), default=Decimal(0))
    label_width, row, body = 186, 28, []
    for k, part in enumerate(parts):
        y = k * row
        width = (part.value / top * (WIDTH - label_width - 90)) if top > 0 else Decimal(0)
        shown = eur(part.value) if money else number_fr(part.value, 1)
        bar = (f'<text x="{label_width - 6}" y="{y + 19}" font-size="13" text-anchor="end">'
               f'{escape(part.label)}</text>'
               f'<rect x="{label_width}" y="{y + 5}" width="{width:.1f}" height="19" '
               f'fill="{PALETTE[6]}" data-value="{part.value}"/>'
               f'<text x="{label_width + float(width) + 4:.1f}" y="{y + 19}" font-size="13">'
               f'{escape(shown)}</text>')
        body.append(_link(part.href, bar, f"{part.label} : {shown}"))
    return _svg(chart_id, title, _describe(parts, money), max(len(parts) * row, row),
                "".join(body))


def line(chart_id: str, title: str, parts: Sequence[Part], unit: str = "jours") -> Markup:
    """A line through the parts' values, labels under the axis, values above the points."""
    top = max((p.value for p in parts), default=Decimal(0)) or Decimal(1)
    left, bottom, height = 20, 175, 205
    step = (WIDTH - 2 * left) / max(len(parts) - 1, 1)
    points = [(left + k * step, bottom - float(p.value / top) * 135) for k, p in enumerate(parts)]
    body = [f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" stroke="#adb5bd"/>',
            '<polyline fill="none" stroke="#1c7ed6" stroke-width="3" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>']
    for k, ((x, y), part) in enumerate(zip(points, parts, strict=True)):
        # Every other label, the last one included: a phone has room for six.
        axis = part.label if (len(parts) - 1 - k) % 2 == 0 else ""
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#1c7ed6" '
                    f'data-value="{part.value}"><title>{escape(part.label)} : '
                    f'{escape(number_fr(part.value, 1))} {unit}</title></circle>'
                    f'<text x="{x:.1f}" y="{y - 9:.1f}" font-size="12" text-anchor="middle">'
                    f'{escape(number_fr(part.value, 0))}</text>'
                    f'<text x="{x:.1f}" y="{bottom + 20}" font-size="14" text-anchor="middle">'
                    f'{escape(axis)}</text>')
    return _svg(chart_id, title, _describe(parts, money=False) + f" ({unit})", height,
                "".join(body))
