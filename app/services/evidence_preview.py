"""Previews of a pièce, whatever its kind: PDF pages as small PNGs, photos as they are, an
e-mail's headers, text and list of attachments. Originals are never modified."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import DomainError
from app.evidence.mail import (
    SHOWN_HEADERS,
    attachment_name,
    attachment_parts,
    parse_message,
    readable_text,
    shown_header,
)
from app.evidence.programs import run_capped

PREVIEW_PAGES = 12  # pages shown on the preview page; the whole PDF is one click away
PAGE_PX = 702  # longest side of a page's PNG: an A4 page at 60 dpi (841.89 pt / 72 × 60)
RENDER_SECONDS = 20
MAX_TEXT = 20_000  # characters of an e-mail's text shown


class PreviewUnavailable(DomainError):
    pass


def pdf_page_png(path: Path, page: int, pages: int) -> bytes:
    """Page `page` (1-based) of a stored PDF as a PNG, with poppler's pdftoppm.

    Every page is scaled to fit PAGE_PX × PAGE_PX rather than drawn at a fixed resolution: a
    PDF may declare a page of 200 inches square (14,400 pt), which at 60 dpi would be a
    144-megapixel image, seconds of work and half a gigabyte of memory for pdftoppm.
    """
    if not 1 <= page <= pages:
        raise PreviewUnavailable(f"La pièce n'a pas de page {page}.")
    # With no output root, pdftoppm writes the PNG to stdout: no file to clean up.
    command = ["pdftoppm", "-png", "-scale-to", str(PAGE_PX), "-f", str(page), "-l", str(page),
               str(path)]
    try:
        done = run_capped(command, RENDER_SECONDS)  # an image that slipped in: drawn without
    except (OSError, subprocess.SubprocessError) as exc:
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
    headers = [(label, value) for name, label in SHOWN_HEADERS  # as the claim file prints them
               if (value := shown_header(message, name))]
    attachments = []
    for index, part in enumerate(attachment_parts(message)):
        payload = part.get_payload(decode=True)
        attachments.append({"filename": attachment_name(part, index),
                            "media_type": part.get_content_type(),
                            "size": len(payload) if isinstance(payload, bytes) else 0})
    # the text the claim file prints: same charsets, same HTML reading, forwarded messages
    return MailPreview(headers, readable_text(message)[:MAX_TEXT], attachments)
