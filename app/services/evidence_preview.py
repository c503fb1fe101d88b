"""Previews of a pièce, whatever its kind: PDF pages as small PNGs, photos as they are, an
e-mail's headers, text and list of attachments. Originals are never modified."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from app.errors import DomainError
from app.evidence.mail import attachment_name, attachment_parts, parse_message

PREVIEW_PAGES = 12  # pages shown on the preview page; the whole PDF is one click away
PAGE_DPI = 60
RENDER_SECONDS = 20
MAX_TEXT = 20_000  # characters of an e-mail's text shown


class PreviewUnavailable(DomainError):
    pass


def pdf_page_png(path: Path, page: int, pages: int) -> bytes:
    """Page `page` (1-based) of a stored PDF as a PNG, with poppler's pdftoppm."""
    if not 1 <= page <= pages:
        raise PreviewUnavailable(f"La pièce n'a pas de page {page}.")
    # With no output root, pdftoppm writes the PNG to stdout: no file to clean up.
    command = ["pdftoppm", "-png", "-r", str(PAGE_DPI), "-f", str(page), "-l", str(page),
               str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=RENDER_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PreviewUnavailable("Aperçu indisponible : la page n'a pas pu être dessinée.") from exc
    if done.returncode != 0 or not done.stdout:
        raise PreviewUnavailable("Aperçu indisponible : la page n'a pas pu être dessinée.")
    return done.stdout


@dataclass(frozen=True)
class MailPreview:
    headers: list[tuple[str, str]]
    text: str
    attachments: list[dict[str, Any]]


def mail_preview(path: Path) -> MailPreview:
    """What a reader of the e-mail sees: who, when, about what, the text, the attachments."""
    message = parse_message(path)
    headers = [(label, " ".join(str(message.get(name, "")).split()))
               for name, label in (("from", "De"), ("to", "À"), ("cc", "Cc"), ("date", "Date"),
                                   ("subject", "Objet")) if message.get(name)]
    attachments = []
    for index, part in enumerate(attachment_parts(message)):
        payload = part.get_payload(decode=True)
        attachments.append({"filename": attachment_name(part, index),
                            "media_type": part.get_content_type(),
                            "size": len(payload) if isinstance(payload, bytes) else 0})
    return MailPreview(headers, _body_text(message)[:MAX_TEXT], attachments)


def _body_text(message: Any) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError):
        return ""
    if body.get_content_subtype() == "html":
        return _TextOf.of(str(content))
    return str(content).strip()


class _TextOf(HTMLParser):
    """The visible text of an HTML e-mail body (scripts and styles dropped)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        lines = "".join(parser.parts).splitlines()
        return "\n".join(line.strip() for line in lines if line.strip())

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
