"""A PDF's images are pixels too: the 300 MB ceiling of one upload must hold for a PDF whose
page carries a huge image, not only for a bare PNG or JPEG.

The pixel budget (app/evidence/pillow.py) is applied to uploaded JPEG and PNG files only. A
PDF is checked for pages and text, never for the size of the images it draws. A 1.5 MB PDF
holding one 16000 × 16000 progressive greyscale JPEG is accepted, then every thumbnail of the
debtor's page and every preview page runs `pdftoppm` on it, which decodes the whole image
(a progressive JPEG keeps all its coefficients): about 500 MB for one thumbnail, no memory
limit on the child process. Measured by hand: 24000 × 24000 (a 3.4 MB file) took 1.1 GB and
8 s per thumbnail; the page asks for every pièce's thumbnail at once.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
from pathlib import Path

import img2pdf
import pytest
from PIL import Image
from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser
from tests.security.uploads import debtor_and_auth, post_file

ROOT = Path(__file__).resolve().parents[2]
SIDE = 16000
CEILING = 300 * 1024 * 1024  # what one upload may add to the server (issue 14, item 6)


@pytest.fixture(scope="module")
def pdf_bomb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        picture = Image.new("L", (SIDE, SIDE), 200)
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", progressive=True, quality=10)
        del picture
        data = img2pdf.convert(buffer.getvalue(),
                               layout_fun=img2pdf.get_fixed_dpi_layout_fun((3000, 3000)))
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    assert len(data) < 2 * 1024 * 1024
    return bytes(data)


MEASURE = """
import json, resource, sys
from pathlib import Path
from app.services.evidence_thumbs import thumbnail
try:
    thumbnail(Path(sys.argv[1]), "application/pdf")
    outcome = "drawn"
except Exception as exc:
    outcome = type(exc).__name__
grown = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"outcome": outcome, "child_kb": grown}))
"""


def test_a_pdf_with_a_huge_image_is_refused_or_drawn_within_the_ceiling(
        pdf_bomb: bytes, client: Browser, session: Session, owner: Actor,
        tmp_path: Path) -> None:
    debtor, auth = debtor_and_auth(client, session, owner)
    response = post_file(client, debtor, auth, "plan.pdf", pdf_bomb)
    if response.status_code in (413, 422):  # refused at the door, with its reason: fine
        return
    assert response.status_code == 201, response.text
    # accepted: its thumbnail (what the debtor's page shows for it) must stay under the ceiling
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf_bomb)
    import json

    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=300,
                          preexec_fn=lambda: resource.setrlimit(  # never more than 2 GB here
                              resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3)))
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["child_kb"] * 1024 < CEILING, (
        f"a {len(pdf_bomb) // 1024} KB PDF, accepted, made pdftoppm grow to "
        f"{outcome['child_kb'] // 1024} MB for one thumbnail ({outcome['outcome']})")
