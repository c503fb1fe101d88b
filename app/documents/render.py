"""HTML → PDF with WeasyPrint: bundled fonts, metadata, reproducible bytes, no silent warnings.

Templates live in `templates/documents/` and use the same French filters as the pages. The
creation date written in the PDF is the document's own date (`dcterms.created`), and the file
identifier is derived from the HTML, so the same input always gives the same bytes.
WeasyPrint returns a PDF even when an image or a CSS rule is broken and only logs it:
`capture_warnings()` collects those messages so tests (and callers) can refuse them.

User text only ever reaches the HTML, escaped, never a stylesheet (the footer is a running
element), and WeasyPrint loads nothing but the app's own assets (`app.documents.fetcher`).
Control characters in user text print as a space: they have no glyph.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from pypdf import PdfReader

from app.documents.fetcher import STATIC_DIR, html_document
from app.documents.french import amount_in_words, function_fr, typeset, typeset_html
from app.jinja import strict_environment

FONTS_DIR = STATIC_DIR / "fonts"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PdfMeta:
    title: str
    author: str
    created: date  # the document's date, not the clock: same input, same bytes


@lru_cache(maxsize=1)
def document_env() -> Environment:
    """Jinja environment for print templates (no web globals, strict, autoescaped)."""
    env = strict_environment()
    env.filters["in_words"] = amount_in_words
    env.filters["typeset"] = typeset
    env.filters["function_fr"] = function_fr
    env.finalize = printable
    env.globals["fonts_dir"] = "fonts"  # relative to STATIC_DIR, the base URL
    return env


def printable(value: Any) -> Any:
    """Every `{{ value }}` of a print template: control characters (no glyph) become spaces."""
    if isinstance(value, str) and not isinstance(value, Markup) and _CONTROL.search(value):
        return _CONTROL.sub(" ", value)
    return value


def render_html(template: str, context: dict[str, Any]) -> str:
    """The document's HTML, with French no-break spaces in its text."""
    html = document_env().get_template(template).render(**context)
    return typeset_html(html)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def capture_warnings() -> Iterator[list[str]]:
    """Collect every WeasyPrint warning logged inside the block (tests fail on any)."""
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    warnings: tuple[str, ...]  # what WeasyPrint logged (empty for a sound template)


def _with_created(html: str, created: date) -> str:
    tag = f'<meta name="dcterms.created" content="{created.isoformat()}T00:00:00Z">'
    return html.replace("</head>", tag + "</head>", 1)


def render_pdf(template: str, context: dict[str, Any], meta: PdfMeta) -> RenderedPdf:
    """Render a print template; "page x / y" is added when the document runs past one page.

    The PDF's /ID is a hash of the final HTML and its creation date the document's date,
    so the same input gives the same bytes.
    """
    from weasyprint.text.fonts import FontConfiguration

    base = {**context, "meta": meta}
    with capture_warnings() as warnings:
        html = _with_created(render_html(template, {**base, "numbered": True}), meta.created)
        document = html_document(html).render(font_config=FontConfiguration())
        if len(document.pages) == 1:
            # margin boxes do not change the layout: one page is the same page unnumbered
            html = _with_created(render_html(template, {**base, "numbered": False}),
                                 meta.created)
            if not _without_page_number(document):
                document = html_document(html).render(font_config=FontConfiguration())
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        data = document.write_pdf(pdf_identifier=identifier)
    for message in warnings:
        log.warning("WeasyPrint: %s", message)
    return RenderedPdf(bytes(data), len(document.pages), tuple(warnings))


def _without_page_number(document: Any) -> bool:
    """Take the "page x / y" margin box off a laid-out one-page document, instead of laying it
    out again without it (a second layout doubled the cost of every paper). False, changing
    nothing, when WeasyPrint's page boxes are not as expected (they are not public API)."""
    page_box = getattr(document.pages[0], "_page_box", None)
    children = getattr(page_box, "children", None)
    if not isinstance(children, list):
        return False
    kept = [box for box in children if getattr(box, "at_keyword", None) != "@bottom-right"]
    if len(kept) != len(children) - 1:
        return False
    page_box.children = kept  # type: ignore[union-attr]
    return True


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
