"""OCR of scans and photos with OCRmyPDF and Tesseract (French and English), run as programs.

File-level only: a PDF (or an image, first turned into a PDF page with img2pdf, as the claim
file does) in, a searchable PDF out, the original never touched. Without the programs (a bare
laptop) `available()` is False and callers leave OCR off. OCRmyPDF runs as its command-line
program: the Debian package brings it with Tesseract, and a child process can be timed out. It
dies with the process that runs it (a worker killed mid-OCR), and its own temporary files go
into the caller's work folder, which the store sweeps when its writer died.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.evidence.images import image_to_pdf
from app.evidence.programs import OCR_MEMORY, memory_capped

LANGUAGES = "fra+eng"
SECONDS_PER_PAGE = 120  # a page Tesseract has not read in two minutes will not be read
BASE_SECONDS = 60  # OCRmyPDF's start and the PDF's assembly, whatever the pages
IMAGE_TYPES = ("image/jpeg", "image/png")
# Tesseract's confidence needed to turn a page (OCRmyPDF's default, 14, left upside-down
# scans of short papers unturned: they read 8 to 9 in the labelled set).
ROTATE_CONFIDENCE = 3
OFF_NOTICE = ("Lecture des scans et photos (OCR) désactivée : OCRmyPDF et Tesseract ne sont pas "
              "installés sur ce serveur (paquets ocrmypdf, tesseract-ocr, tesseract-ocr-fra). "
              "Le texte des PDF et des e-mails est lu quand même.")


class OcrFailed(Exception):
    """The file could not be OCR'd (a final outcome: trying again would not help)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def available() -> bool:
    """OCRmyPDF and Tesseract are installed."""
    return shutil.which("ocrmypdf") is not None and shutil.which("tesseract") is not None


# The pages' "OCR désactivée" notice asks at most this often: the two PATH searches cost
# 0.3 ms, on every render of a debtor's page. Packages installed on a running server show
# within the minute; the reading jobs ask `available()` each time.
NOTICE_SECONDS = 60.0
_asked: list[tuple[float, bool]] = []  # (when, answer): the last answer, monotonic seconds


def available_lately(now: float | None = None) -> bool:
    """`available()`, as it answered less than NOTICE_SECONDS ago."""
    now = time.monotonic() if now is None else now
    if not _asked or now - _asked[0][0] >= NOTICE_SECONDS or now < _asked[0][0]:
        _asked[:] = [(now, available())]
    return _asked[0][1]


@dataclass(frozen=True)
class OcrResult:
    pdf: Path  # the searchable copy
    sidecar: str  # Tesseract's own text, pages split by form feeds (see `text_of`)


def command(source: Path, output: Path, sidecar: Path | None = None) -> list[str]:
    """The OCRmyPDF call: pages already holding text are kept as they are (--skip-text), pages
    turned upright and straightened, no PDF/A conversion nor optimisation (speed)."""
    return ["ocrmypdf", "--language", LANGUAGES, "--skip-text", "--rotate-pages",
            "--rotate-pages-threshold", str(ROTATE_CONFIDENCE), "--deskew",
            "--output-type", "pdf", "--optimize", "0", "--jobs", "1", "--quiet",
            *(["--sidecar", str(sidecar)] if sidecar else []), str(source), str(output)]


def ocr_file(source: Path, media_type: str, workdir: Path, pages: int = 1) -> OcrResult:
    """A searchable PDF of `source` (a PDF, a JPEG or a PNG), written in `workdir`, and the
    text Tesseract read."""
    if media_type in IMAGE_TYPES:
        as_pdf = workdir / "image.pdf"
        as_pdf.write_bytes(image_to_pdf(source))
        source = as_pdf
    output, sidecar = workdir / "ocr.pdf", workdir / "ocr.txt"
    code, stderr = run_as_group(bound_to_caller(command(source, output, sidecar)),
                                env={**os.environ, "TMPDIR": str(workdir)},
                                timeout=BASE_SECONDS + SECONDS_PER_PAGE * max(pages, 1))
    if code != 0 or not output.is_file():
        raise OcrFailed(_reason(code, stderr))
    text = sidecar.read_text(encoding="utf-8", errors="replace") if sidecar.is_file() else ""
    return OcrResult(output, text)


def run_as_group(argv: list[str], env: dict[str, str], timeout: float) -> tuple[int, str]:
    """(exit code, stderr) of `argv`, run in a process group of its own. Past `timeout` the
    whole group is killed: OCRmyPDF's Tesseract and Ghostscript too, which killing OCRmyPDF
    alone left running (a page stuck for minutes, for nobody). Each of them may take at most
    OCR_MEMORY: a page drawn at the full size of a huge image fails, the server stays up."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env=env, start_new_session=True,
                               preexec_fn=memory_capped(OCR_MEMORY))
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)  # the group's id is the leader's pid
        process.communicate()  # reaped; the pipe closes with the last of the group
        raise OcrFailed("la lecture du texte (OCR) a pris trop de temps ; elle est "
                        "abandonnée.") from exc
    return process.returncode, stderr


def bound_to_caller(argv: list[str]) -> list[str]:
    """`argv` run so that it is killed when its caller dies, even by SIGKILL (util-linux's
    `setpriv --pdeathsig`, where there is one): else a killed worker's OCRmyPDF goes on,
    minutes for a long scan, for nobody, while the job is read again elsewhere."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--", *argv] if setpriv else argv


_SKIPPED = re.compile(r"^\s*\[OCR skipped on page")


def text_of(result: OcrResult, layer: Callable[[Path], str]) -> str:
    """The OCR'd text, page by page: Tesseract's own lines (the PDF's text layer of a slanted
    photo comes back in fragments), except on pages that had text before OCR, which
    OCRmyPDF skipped: those are read from the PDF (`layer`, e.g. pdftotext)."""
    pages = result.sidecar.split("\f")
    if not any(_SKIPPED.match(page) for page in pages):
        return result.sidecar
    read = layer(result.pdf).split("\f")
    return "\f".join(read[i] if _SKIPPED.match(page) and i < len(read) else page
                      for i, page in enumerate(pages))


def _reason(code: int, stderr: str) -> str:
    # OCRmyPDF's exit codes: 2 bad input, 6 already has text, 8 encrypted, 15 bad arguments.
    if code == 8:
        return "le PDF est protégé par un mot de passe : son texte ne peut pas être lu."
    if code in (2, 6):
        return "le fichier n'a pas pu être lu pour en extraire le texte (OCR)."
    tail = " ".join(stderr.strip().splitlines()[-1:])[:200]
    return f"la lecture du texte (OCR) a échoué{' : ' + tail if tail else ''}."
