"""One upload never grows the server by more than 300 MB: a 480 KB PNG declaring 13000 × 13000
pixels is refused with a French reason without its bitmap being decoded (measured in a fresh
process), and a JPEG above the pixel budget is read reduced (draft mode), not refused."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser
from tests.security.uploads import debtor_and_auth, post_file

ROOT = Path(__file__).resolve().parents[2]
SIDE = 13000
CEILING = 300 * 1024 * 1024  # what one upload may add to the server (issue 14, item 6)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid PNG, 13000 × 13000 RGB, all white: ~500 MB of pixels in ~500 KB."""
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * (SIDE * 3)
    idat = b"".join(packer.compress(row) for _ in range(SIDE)) + packer.flush()
    header = struct.pack(">IIBBBBB", SIDE, SIDE, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat)
            + _chunk(b"IEND", b""))
    path = tmp_path_factory.mktemp("bomb") / "plan.png"
    path.write_bytes(data)
    return path


MEASURE = """
import json, resource, sys
from pathlib import Path
from app.evidence import Refusal, inspect_file
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    inspect_file(Path(sys.argv[1]), "plan.png")
    verdict = "accepted"
except Refusal as refusal:
    verdict = refusal.message
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"verdict": verdict, "grown_kb": after - before}))
"""


def test_png_bomb_is_refused_within_the_memory_ceiling(bomb: Path) -> None:
    assert bomb.stat().st_size < 600 * 1024
    done = subprocess.run([sys.executable, "-c", MEASURE, str(bomb)], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert "13000 × 13000 pixels" in outcome["verdict"] and "réduisez" in outcome["verdict"]
    assert outcome["grown_kb"] * 1024 < CEILING


def test_png_bomb_upload_answers_413_with_the_reason(bomb: Path, client: Browser,
                                                     session: Session, owner: Actor) -> None:
    debtor, auth = debtor_and_auth(client, session, owner)
    response = post_file(client, debtor, auth, "plan.png", bomb.read_bytes())
    assert response.status_code == 413, response.text
    assert "13000 × 13000 pixels" in response.json()["detail"]


def test_large_jpeg_is_read_reduced_not_refused(tmp_path: Path) -> None:
    from app.evidence import inspect_file

    path = tmp_path / "chantier.jpg"
    Image.new("RGB", (6000, 5000), (90, 120, 150)).save(path, "JPEG", quality=60)
    from app.evidence.pillow import PIXEL_BUDGET

    assert PIXEL_BUDGET < 6000 * 5000
    found = inspect_file(path, "chantier.jpg")
    assert found.meta["image"]["width"] == 6000 and found.meta["image"]["height"] == 5000
