"""The bordereau des pièces, drawn with the embedded Unicode font straight into content streams.

Drawing it ourselves (not through WeasyPrint) costs milliseconds for 200 lines and tells us
exactly where each line sits, so each line carries a link to the exhibit's first page. Its
pagination depends only on the titles, never on the page numbers it prints: the page count is
known before the page map, which is what lets the map be computed in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.documents.claimfile import typeface
from app.documents.claimfile.canvas import Canvas
from app.documents.claimfile.fonts import EmbeddedFont
from app.formatting import date_fr, date_long_fr
from app.vocabulary import EVIDENCE_KINDS

PAGE_W, PAGE_H = 595.276, 841.89
LEFT, RIGHT, TOP, BOTTOM = 45.0, 45.0, 56.0, 48.0
SIZE, LEADING, PAD = 8.5, 10.5, 3.0
FIRST_PAGE_HEADER, OTHER_PAGE_HEADER, TABLE_HEADER = 70.0, 28.0, 16.0
SUBTITLE_LINES, SUBTITLE_LEADING = 3, 11.0  # the legend's line goes down with them
FOOTER_Y, FOOTER_SIZE, FOOTER_NUMBER_ROOM = 26.0, 7.5, 70.0  # as the front's running footer

LEGEND = ("Page : première page de la pièce dans le dossier (numérotation continue). "
          "SHA-256 : début de l'empreinte du fichier original, détaillée dans le manifeste.")

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Row:
    number: int
    title: str
    kind: str
    date_text: str
    pages: int
    sha256: str
    volume: int  # 1-based
    first_page: int  # bundle page number (1-based)


@dataclass(frozen=True)
class Link:
    page: int  # index of the bordereau page holding the line
    rect: Rect
    number: int  # the exhibit the line stands for


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    align: str = "left"


def row(exhibit_number: int, title: str, kind: str, day: object, pages: int, sha256: str,
        volume: int = 1, first_page: int = 0) -> Row:
    label = EVIDENCE_KINDS.get(kind, kind)
    return Row(exhibit_number, title, label, date_fr(day) if day else "", pages, sha256, volume,
               first_page)


def _columns(volumes: bool) -> list[Column]:
    fixed = [Column("N°", 24, "right"), Column("Pièce", 0), Column("Nature", 92),
             Column("Date", 48), Column("Nb p.", 28, "right")]
    if volumes:
        fixed.append(Column("Tome", 28, "right"))
    fixed += [Column("Page", 34, "right"), Column("SHA-256", 62)]
    title_width = PAGE_W - LEFT - RIGHT - sum(c.width for c in fixed) - 4 * len(fixed)
    fixed[1] = Column("Pièce", title_width)
    return fixed


def _cells(r: Row, volumes: bool) -> list[str]:
    cells = [str(r.number), r.title, r.kind, r.date_text, str(r.pages)]
    if volumes:
        cells.append(str(r.volume))
    return cells + [str(r.first_page), r.sha256[:12]]


def paginate(rows: Sequence[Row], volumes: bool) -> list[list[tuple[Row, list[list[str]]]]]:
    """Rows per page, each with its wrapped cell lines; the same for any page numbers."""
    columns = _columns(volumes)
    pages: list[list[tuple[Row, list[list[str]]]]] = [[]]
    room = PAGE_H - TOP - BOTTOM - FIRST_PAGE_HEADER - TABLE_HEADER
    for r in rows:
        lines = [typeface.wrap(text, SIZE, column.width) for text, column in
                 zip(_cells(r, volumes), columns, strict=True)]
        height = max(len(cell) for cell in lines) * LEADING + PAD * 2
        if height > room and pages[-1]:
            pages.append([])
            room = PAGE_H - TOP - BOTTOM - OTHER_PAGE_HEADER - TABLE_HEADER
        pages[-1].append((r, lines))
        room -= height
    return pages


def page_count(rows: Sequence[Row], volumes: bool) -> int:
    return len(paginate(rows, volumes))


def draw(rows: Sequence[Row], volumes: bool, heading: str, subtitle: str, font: EmbeddedFont,
         footer: str = "") -> tuple[list[bytes], list[Link]]:
    """Content streams of the bordereau's pages and the links over its lines; `footer`, the
    creditor's identity, at the foot of each page as on the front's."""
    columns = _columns(volumes)
    streams, links = [], []
    for index, page_rows in enumerate(paginate(rows, volumes)):
        canvas = Canvas()
        y = PAGE_H - TOP
        if index == 0:
            canvas.text(LEFT, y - 14, heading, 15, bold=True)
            lines = subtitle_lines(subtitle)
            for n, line in enumerate(lines):
                canvas.text(LEFT, y - 32 - n * SUBTITLE_LEADING, line, 9)
            canvas.text(LEFT, y - 46 - (len(lines) - 1) * SUBTITLE_LEADING, LEGEND, 7, gray=0.35)
            y -= FIRST_PAGE_HEADER
        else:
            canvas.text(LEFT, y - 12, f"{heading} (suite)", 10, bold=True)
            y -= OTHER_PAGE_HEADER
        y = _header_row(canvas, columns, y)
        for r, cell_lines in page_rows:
            height = max(len(cell) for cell in cell_lines) * LEADING + PAD * 2
            _row(canvas, columns, cell_lines, y, height)
            links.append(Link(index, (LEFT, y - height, PAGE_W - RIGHT, y), r.number))
            y -= height
        if footer:
            _footer(canvas, footer)
        streams.append(canvas.data(font))
    return streams, links


def _footer(canvas: Canvas, footer: str) -> None:
    """Where the front's running footer sits, left of the page number the stamp puts on the
    right; smaller rather than over it."""
    room = PAGE_W - LEFT - RIGHT - FOOTER_NUMBER_ROOM
    size = FOOTER_SIZE
    while size > 5 and typeface.width(footer, size) > room:
        size -= 0.5
    canvas.text(LEFT, FOOTER_Y, footer, size, gray=0.33)


def _header_row(canvas: Canvas, columns: list[Column], y: float) -> float:
    canvas.rect(LEFT, y - TABLE_HEADER, PAGE_W - LEFT - RIGHT, TABLE_HEADER, gray=0.88)
    x = LEFT
    for column in columns:
        _cell_text(canvas, column, x, y - 11, column.header, bold=True)
        x += column.width + 4
    return y - TABLE_HEADER


def _row(canvas: Canvas, columns: list[Column], cell_lines: list[list[str]], y: float,
         height: float) -> None:
    x = LEFT
    for column, lines in zip(columns, cell_lines, strict=True):
        for n, line in enumerate(lines):
            size = SIZE - 1 if column.header == "SHA-256" else SIZE
            _cell_text(canvas, column, x, y - PAD - 7.5 - n * LEADING, line, size=size)
        x += column.width + 4
    canvas.line(LEFT, y - height, PAGE_W - RIGHT, y - height, gray=0.7, width=0.3)


def _cell_text(canvas: Canvas, column: Column, x: float, y: float, data: str, *,
               bold: bool = False, size: float = SIZE) -> None:
    if column.align == "right":
        canvas.text(x + column.width, y, data, size, bold=bold, align="right")
    else:
        canvas.text(x, y, data, size, bold=bold)


def subtitle_lines(subtitle: str) -> list[str]:
    """The subtitle over the page's width, on up to three lines (the names as entered, never
    cut off at the margin: LAW.md §11), which the first page's header has room for."""
    lines = typeface.wrap(subtitle, 9, PAGE_W - LEFT - RIGHT)
    if len(lines) > SUBTITLE_LINES:
        last = " ".join(lines[SUBTITLE_LINES - 1:])
        lines = [*lines[:SUBTITLE_LINES - 1],
                 typeface.truncate(last, 9, PAGE_W - LEFT - RIGHT)]
    return lines


def subtitle_for(title: str, file_date: object, numbers: Sequence[int]) -> str:
    count = len(numbers)
    noun = "pièce" if count == 1 else "pièces"
    text = f"{title} — dossier du {date_long_fr(file_date)} — {count} {noun}"  # type: ignore[arg-type]
    unused = unused_numbers(numbers)
    if len(unused) == 1:
        return f"{text} (n° {unused[0]} : pièce retirée, numéro non réattribué)"
    if unused:
        listed = ", ".join(map(str, unused[:-1])) + f" et {unused[-1]}"
        return f"{text} (n° {listed} : pièces retirées, numéros non réattribués)"
    return text


def unused_numbers(numbers: Sequence[int]) -> list[int]:
    """Numbers below the highest that no pièce carries: pièces withdrawn once produced, whose
    numbers are never given again (LAW.md §5)."""
    present = set(numbers)
    return [n for n in range(1, max(present, default=0) + 1) if n not in present]

