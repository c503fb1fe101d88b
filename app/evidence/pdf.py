"""PDF checks with pypdf: opens (strict, then tolerant), password, page count, first-page text.

The file is read through an open handle, never loaded whole: pypdf seeks in it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.errors import (
    DependencyError,
    FileNotDecryptedError,
    PdfReadError,
    PdfStreamError,
    PyPdfError,
)

from app.evidence.einvoice import facturx_of
from app.evidence.pdfimages import PDF_PIXEL_BUDGET, oversized_image
from app.evidence.refusals import Refusal

TEXT_SAMPLE = 4000
MAX_PAGES = 5000  # default of the CONTENTIEUX_MAX_PDF_PAGES setting
# pypdf's own limits (LimitReachedError: a self-referencing object, a declared size) and a
# filter it does not implement were a 500 at upload, the rest of the batch lost
READ_ERRORS = (PdfReadError, PdfStreamError, PyPdfError, ValueError, KeyError, TypeError,
               IndexError, AttributeError, AssertionError, OSError, RecursionError,
               ZeroDivisionError, NotImplementedError)


@dataclass
class PdfFacts:
    pages: int
    text: str  # the first page's text, for suggesting a kind (empty for a scan)
    note: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


def inspect_pdf(path: Path, filename: str, max_pages: int = MAX_PAGES) -> PdfFacts:
    with path.open("rb") as handle:
        logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf reports what it mends by logging
        try:
            reader, pages = _open(handle, filename, max_pages, strict=True)
            note = ""
        except Refusal:
            raise
        except READ_ERRORS:
            handle.seek(0)
            try:
                reader, pages = _open(handle, filename, max_pages, strict=False)
            except Refusal:
                raise
            except READ_ERRORS as exc:
                raise Refusal(filename, "ce PDF est endommagé ou incomplet et ne peut pas être "
                              "lu ; déposez une copie saine du document.", "damaged") from exc
            note = "PDF endommagé : lu en mode tolérant, vérifiez qu'il s'affiche correctement."
        _check_images(reader, filename)
        text = _first_text(reader)
        meta: dict[str, Any] = {"pdf_encrypted": reader.is_encrypted, "has_text": bool(text)}
        if not text:
            meta["scanned"] = True
        invoice = facturx_of(reader)
        if invoice:
            meta["facturx"] = invoice
        return PdfFacts(pages=pages, text=text, note=note, meta=meta)


def _open(handle: BinaryIO, filename: str, max_pages: int, *, strict: bool,
          ) -> tuple[PdfReader, int]:
    reader = PdfReader(handle, strict=strict)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as exc:
            raise Refusal(filename, "ce PDF est chiffré d'une manière que l'application ne sait "
                          "pas ouvrir ; déposez une copie non protégée.", "password") from exc
        if not opened:
            raise Refusal(filename, "ce PDF est protégé par un mot de passe ; déposez une copie "
                          "déverrouillée (imprimez-le en PDF ou retirez la protection).",
                          "password")
    _check_count(reader, filename, max_pages)  # before the page tree is walked
    try:
        pages = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise Refusal(filename, "ce PDF est protégé par un mot de passe ; déposez une copie "
                      "déverrouillée.", "password") from exc
    if pages < 1:
        raise PdfReadError("no page")
    if pages > max_pages:
        raise _too_many(filename, pages, max_pages)
    reader.pages[0].get("/MediaBox")
    return reader, pages


def _check_count(reader: PdfReader, filename: str, max_pages: int) -> None:
    """The page count the file declares (/Count of its page tree), read without walking it."""
    try:
        declared = int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except READ_ERRORS:
        return  # a broken tree is counted (or refused) by walking it
    if declared > max_pages:
        raise _too_many(filename, declared, max_pages)


def _too_many(filename: str, pages: int, max_pages: int) -> Refusal:
    return Refusal(filename, f"ce PDF compte {pages:,} pages ; l'application en accepte au plus "
                   f"{max_pages:,} par fichier. Découpez-le et déposez les pages utiles."
                   .replace(",", "\u202f"), "too_large")


def _check_images(reader: PdfReader, filename: str) -> None:
    """Refused when a page draws an image too large to decode within the pixel budget: its
    thumbnail and preview would make pdftoppm decode it whole (app/evidence/pdfimages.py).
    A structure too broken to walk is left to the renderers' memory ceiling."""
    try:
        size = oversized_image(reader.pages)
    except READ_ERRORS:
        return
    if size is not None:
        raise _too_many_pixels(filename, *size)


def _too_many_pixels(filename: str, width: int, height: int) -> Refusal:
    millions = width * height / 1_000_000
    budget = PDF_PIXEL_BUDGET / 1_000_000
    return Refusal(filename, f"ce PDF contient une image de {width} × {height} pixels "
                   f"({millions:.0f} millions), au-delà des {budget:.0f} millions que "
                   "l'application peut afficher sans risque ; enregistrez-le avec des images "
                   "de moindre résolution (300 dpi suffisent) et déposez-le de nouveau.",
                   "too_large")


def _first_text(reader: PdfReader) -> str:
    try:
        return (reader.pages[0].extract_text() or "").strip()[:TEXT_SAMPLE]
    except READ_ERRORS:
        return ""
