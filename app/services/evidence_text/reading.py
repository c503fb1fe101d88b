"""How a stored pièce is read: a PDF's text layer directly, an e-mail's subject and body, a
Factur-X invoice's data with its PDF text, and scans and photos through OCR.

No database here: a file (by its path and media type) in, a `Reading` out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.evidence import ocr
from app.evidence.pdftext import has_text_layer, pdf_text
from app.formatting import date_fr
from app.services.evidence_preview import mail_preview

PDF = "application/pdf"
EML = "message/rfc822"


@dataclass(frozen=True)
class Reading:
    text: str
    source: str  # pdf | ocr | email | facturx
    pages: int
    ocr_pdf: Path | None = None  # the searchable copy OCR made, in the work folder


class NeedsOcr(Exception):
    """The file is a scan or a photo, and OCR is off on this server."""


def read(path: Path, media_type: str, pages: int, meta: dict[str, Any], workdir: Path,
         ocr_on: bool) -> Reading:
    """The text of the file; OCR only when it has no text of its own."""
    if media_type == EML:
        return Reading(mail_text(path), "email", 1)
    if media_type == PDF:
        text = pdf_text(path)
        invoice = meta.get("facturx")
        if invoice:
            return Reading(facturx_text(invoice) + "\n\n" + text, "facturx", pages)
        if has_text_layer(text, pages):
            return Reading(text, "pdf", pages)
    if media_type not in (PDF, *ocr.IMAGE_TYPES):
        return Reading("", "pdf", pages)
    if not ocr_on:
        raise NeedsOcr
    done = ocr.ocr_file(path, media_type, workdir, pages)
    return Reading(ocr.text_of(done, pdf_text), "ocr", pages, done.pdf)


def mail_text(path: Path) -> str:
    preview = mail_preview(path)
    headers = "\n".join(f"{label} : {value}" for label, value in preview.headers)
    return f"{headers}\n\n{preview.text}"


def facturx_text(invoice: dict[str, Any]) -> str:
    """The embedded invoice's own data as a few French lines, read before the PDF's text."""
    lines = [f"Facture n° {invoice.get('number') or ''}".strip()]
    if invoice.get("issue_date"):
        lines.append(f"Date : {date_fr(_day(invoice['issue_date']))}")
    for key, label in (("total_ht", "Total HT"), ("total_tva", "TVA"), ("total_ttc", "Total TTC")):
        if invoice.get(key) is not None:
            lines.append(f"{label} : {_euros(invoice[key])}")
    return "\n".join(lines)


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _euros(value: str) -> str:
    amount = Decimal(value).quantize(Decimal("0.01"))
    return f"{amount:,.2f} €".replace(",", " ").replace(".", ",")
