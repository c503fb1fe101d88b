"""The claim file's own work on one file, tried at upload: accepted means it fits the claim file.

`trial()` prepares the file exactly as a build does (PDF opened by qpdf, photo laid out, e-mail
rendered with its fonts and attachments), stamps every page of the result with the real
stamper and writes it to nowhere, so whatever could fail at build time fails now, at upload,
with a French reason. It returns the pages the exhibit will take in the claim file (an
e-mail takes one page or more, plus its reproduced attachments) and a note, if any.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from app.documents.claimfile.errors import ClaimFileError
from app.documents.claimfile.exhibits import prepare_exhibit
from app.documents.claimfile.model import Exhibit
from app.documents.claimfile.stamp import Stamper

log = logging.getLogger(__name__)

UNEXPECTED = ("ce fichier ne peut pas être mis en page dans le dossier de créance (erreur "
              "inattendue) ; déposez-en une impression en PDF.")


class DoesNotFit(Exception):
    """The file cannot go into a claim file; `reason` is French."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Fit:
    pages: int  # pages the exhibit takes in the claim file
    note: str = ""
    # an e-mail's own pages, then each reproduced attachment's (index in the e-mail, pages);
    # the index is None for a part only the claim file lists (it cannot be added on its own)
    body_pages: int = 0
    attachments: tuple[tuple[int | None, int], ...] = ()


def trial(path: Path, media_type: str, name: str, max_pages: int | None = None) -> Fit:
    """Prepare, stamp and write the file as a build would; DoesNotFit with the reason if not.
    `max_pages`: what an e-mail's attachments may take in all (a PDF's own is checked before)."""
    exhibit = Exhibit(1, name, "other", None, path, media_type, name)
    with tempfile.TemporaryDirectory(prefix="trial-") as scratch:
        try:
            prepared = prepare_exhibit(exhibit, Path(scratch), max_pages=max_pages)
            for section in prepared.sections:
                _stamp_and_write(section.path, section.margin, prepared.pages)
        except ClaimFileError as error:
            raise DoesNotFit(error.reason) from error
        except pikepdf.PdfError as error:
            raise DoesNotFit("le PDF est illisible ou endommagé ; déposez une copie saine.") \
                from error
        except Exception as error:
            log.exception("trial of %s failed", name)
            raise DoesNotFit(UNEXPECTED) from error
    body, *attached = prepared.sections
    return Fit(prepared.pages, prepared.note, body.pages,
               tuple((section.attachment, section.pages) for section in attached))


def _stamp_and_write(path: Path, margin: bool, total: int) -> None:
    """Stamp the pages where they are (copying them into a new PDF would load every stream)."""
    with pikepdf.open(path) as pdf:
        stamper = Stamper(pdf)
        for index, page in enumerate(list(pdf.pages), start=1):
            stamper.stamp(page, f"Pièce n° 1 — p. {index}/{total}", f"{index} / {total}",
                          shrink=not margin)
        stamper.finish()
        # qpdf reads every stream it would copy, as raw bytes, one at a time; nothing is kept
        pdf.save(os.devnull, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none)
