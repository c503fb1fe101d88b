"""Programs run on an uploaded file (poppler's pdftoppm, OCRmyPDF) under a memory ceiling.

What a file makes a decoder allocate is not bounded by the file's size: a 1.5 MB PDF drawing
one 16000 × 16000 progressive JPEG made pdftoppm take 500 MB for one thumbnail. Uploads
refuse such images (app/evidence/pdfimages.py); the ceiling holds for whatever that check
did not reach. The child's address space is capped (RLIMIT_AS): an allocation past it fails
in the child, which then draws the page without the image or exits with an error, and the
server never grows by more than the ceiling.
"""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Callable

from app.evidence.pillow import MEMORY_CEILING

MB = 1024 * 1024
DRAW_MEMORY = MEMORY_CEILING  # pdftoppm: a 600 dpi A4 scan takes about 110 MB
# OCRmyPDF reads each page at its full resolution with Ghostscript and Tesseract: a 600 dpi
# A4 colour scan took 408 MB, a 48-megapixel photo takes about 600 MB
OCR_MEMORY = 1024 * MB


def memory_capped(limit: int) -> Callable[[], None]:
    """A `preexec_fn` capping the child's address space at `limit` bytes (or at a lower cap
    the server already runs under). It runs in the child between fork and exec: two system
    calls, no import, no logging, nothing that waits on a lock another thread of the server
    held when it forked."""

    def cap() -> None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        ceiling = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))

    return cap


def run_capped(command: list[str], timeout: float, limit: int = DRAW_MEMORY
               ) -> subprocess.CompletedProcess[bytes]:
    """`command`'s output (stdout, stderr captured); OSError or SubprocessError (a timeout
    among them) when it cannot run to its end."""
    return subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                          preexec_fn=memory_capped(limit))
