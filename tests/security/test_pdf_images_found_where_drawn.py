"""An image too large to draw is refused wherever a PDF draws it from, and whatever slips
through is drawn within the memory ceiling.

pdftoppm decodes each image a page draws at its full size (a 16000 × 16000 progressive JPEG:
500 MB for one thumbnail). The upload's inspection looks for images where a renderer finds
them, not only in the page's own resources; the programs that draw a PDF run with their
address space capped (app/evidence/programs.py).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import img2pdf
import pikepdf
import pytest
from PIL import Image

from app.evidence.pdf import inspect_pdf
from app.evidence.programs import DRAW_MEMORY, run_capped
from app.evidence.refusals import Refusal

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
SIDE = 16000


def _image(pdf: pikepdf.Pdf, side: int) -> pikepdf.Object:
    """An image XObject declaring `side` × `side` pixels (its data is never decoded here)."""
    return pdf.make_stream(b"\x00", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                           Width=side, Height=side, ColorSpace=pikepdf.Name.DeviceGray,
                           BitsPerComponent=8)


def _form(pdf: pikepdf.Pdf, resources: pikepdf.Dictionary) -> pikepdf.Object:
    return pdf.make_stream(b"/Im0 Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                           BBox=[0, 0, 10, 10], Resources=resources)


def _page(pdf: pikepdf.Pdf, **entries: object) -> None:
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 200],
                              Contents=pdf.make_stream(b"/X0 Do"), **entries)
    pdf.pages.append(pikepdf.Page(page))


def on_the_page(pdf: pikepdf.Pdf, side: int) -> None:
    _page(pdf, Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=_image(pdf, side))))


def in_nested_forms(pdf: pikepdf.Pdf, side: int) -> None:
    inner = _form(pdf, pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=_image(pdf, side))))
    outer = _form(pdf, pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=inner)))
    _page(pdf, Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=outer)))


def in_an_annotation(pdf: pikepdf.Pdf, side: int) -> None:
    shown = _form(pdf, pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=_image(pdf, side))))
    widget = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, Rect=[0, 0, 10, 10],
        AP=pikepdf.Dictionary(N=pikepdf.Dictionary(On=shown))))
    _page(pdf, Resources=pikepdf.Dictionary(), Annots=pikepdf.Array([widget]))


def in_a_pattern(pdf: pikepdf.Pdf, side: int) -> None:
    tile = pdf.make_stream(b"/Im0 Do", PatternType=1, PaintType=1, TilingType=1,
                           BBox=[0, 0, 10, 10], XStep=10, YStep=10,
                           Resources=pikepdf.Dictionary(
                               XObject=pikepdf.Dictionary(Im0=_image(pdf, side))))
    _page(pdf, Resources=pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=tile)))


def as_a_soft_mask(pdf: pikepdf.Pdf, side: int) -> None:
    shown = _image(pdf, 10)
    shown.SMask = _image(pdf, side)
    _page(pdf, Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=shown)))


PLACES = [on_the_page, in_nested_forms, in_an_annotation, in_a_pattern, as_a_soft_mask]


def _pdf(tmp_path: Path, place: Callable[[pikepdf.Pdf, int], None], side: int) -> Path:
    pdf = pikepdf.new()
    place(pdf, side)
    path = tmp_path / f"{place.__name__}.pdf"
    pdf.save(path)
    return path


@pytest.mark.parametrize("place", PLACES, ids=lambda place: place.__name__)
def test_a_huge_image_is_refused_wherever_it_is_drawn_from(tmp_path: Path,
                                                           place: Callable[..., None]) -> None:
    with pytest.raises(Refusal) as refused:
        inspect_pdf(_pdf(tmp_path, place, SIDE), "plan.pdf")
    assert refused.value.status == 413
    assert "image de 16000 × 16000 pixels" in refused.value.message


@pytest.mark.parametrize("place", PLACES, ids=lambda place: place.__name__)
def test_an_ordinary_image_is_accepted(tmp_path: Path, place: Callable[..., None]) -> None:
    assert inspect_pdf(_pdf(tmp_path, place, 2480), "scan.pdf").pages == 1  # A4 at 300 dpi


def test_an_a4_page_scanned_at_600_dpi_is_accepted(tmp_path: Path) -> None:
    # what office copiers make: 4960 × 7016 = 35 million pixels, over a bare image's budget
    pdf = pikepdf.new()
    image = pdf.make_stream(b"\x00", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                            Width=4960, Height=7016, ColorSpace=pikepdf.Name.DeviceRGB,
                            BitsPerComponent=8)
    _page(pdf, Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=image)))
    path = tmp_path / "scan600.pdf"
    pdf.save(path)
    assert inspect_pdf(path, "scan600.pdf").pages == 1


def test_a_form_drawing_itself_is_walked_once(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    form = _form(pdf, pikepdf.Dictionary())
    form.Resources.XObject = pikepdf.Dictionary(Im0=form, Im1=_image(pdf, 100))
    _page(pdf, Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=form)))
    path = tmp_path / "loop.pdf"
    pdf.save(path)
    assert inspect_pdf(path, "loop.pdf").pages == 1


def test_a_program_past_the_ceiling_fails_in_its_own_process() -> None:
    grow = [sys.executable, "-c", f"bytearray({DRAW_MEMORY + 50 * MB})"]
    done = run_capped(grow, timeout=60)
    assert done.returncode != 0 and b"MemoryError" in done.stderr
    assert run_capped([sys.executable, "-c", "bytearray(20 * 1024 * 1024)"], 60).returncode == 0


DRAW = """
import json, resource, sys
from pathlib import Path
from app.services.evidence_preview import PreviewUnavailable, pdf_page_png
from app.services.evidence_thumbs import pdf_thumbnail
outcomes = []
for draw in (lambda path: pdf_thumbnail(path), lambda path: pdf_page_png(path, 1, 1)):
    try:
        draw(Path(sys.argv[1]))
        outcomes.append("drawn")
    except PreviewUnavailable:
        outcomes.append("unavailable")
grown = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"outcomes": outcomes, "child_kb": grown}))
"""


def test_a_huge_image_that_slipped_in_is_drawn_within_the_ceiling(tmp_path: Path) -> None:
    """As if the inspection had missed it: the thumbnail and the preview page are drawn (the
    image left out) or unavailable, never a server grown past the ceiling."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # img2pdf reads the JPEG's header with Pillow
    try:
        jpeg = io.BytesIO()
        Image.new("L", (SIDE, SIDE), 200).save(jpeg, "JPEG", progressive=True, quality=10)
        pdf = img2pdf.convert(jpeg.getvalue(),
                              layout_fun=img2pdf.get_fixed_dpi_layout_fun((3000, 3000)))
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    done = subprocess.run([sys.executable, "-c", DRAW, str(path)], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=300)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(measured["outcomes"]) <= {"drawn", "unavailable"}
    assert measured["child_kb"] * 1024 < DRAW_MEMORY, measured
