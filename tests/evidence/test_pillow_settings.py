"""Pillow's settings are explicit in each call: the same file gets the same verdict before and
after a claim-file build in one process (WeasyPrint's import turns Pillow's global "load
truncated images" on), and whatever a library sets globally."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from app.evidence import Refusal, inspect_file

ROOT = Path(__file__).resolve().parents[2]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(buffer, "JPEG", quality=90)
    truncated = folder / "photo-tronquee.jpg"
    truncated.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    side = 10000  # 100 million pixels: above the budget and above Pillow's own warning level
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(b"\x00" + b"\x00" * side) for _ in range(side))
    bomb = folder / "bombe.png"
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
                     + _chunk(b"IDAT", idat + packer.flush()) + _chunk(b"IEND", b""))
    return {"truncated": truncated, "bomb": bomb}


def _verdict(path: Path) -> str:
    try:
        inspect_file(path, path.name)
    except Refusal as refusal:
        return refusal.message
    return "accepted"


SCRIPT = """
import json, sys
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from app.documents.claimfile import ClaimFileInfo, Exhibit, build_claim_file
from app.evidence import Refusal, inspect_file

def verdict(path):
    try:
        inspect_file(path, path.name)
    except Refusal as refusal:
        return refusal.message
    return "accepted"

paths = [Path(p) for p in sys.argv[1:3]]
before = [verdict(p) for p in paths]
work = Path(sys.argv[3])
message = EmailMessage()
message["From"] = "a@example.test"
message["To"] = "b@example.test"
message["Subject"] = "Relance"
message.set_content("Bonjour")
(work / "m.eml").write_bytes(bytes(message))
build_claim_file([], [Exhibit(1, "E-mail", "email", None, work / "m.eml", "message/rfc822")],
                 work / "d.pdf", ClaimFileInfo("Dossier", 1, "X", date(2026, 1, 1)))
from PIL import ImageFile
after = [verdict(p) for p in paths]
print(json.dumps({"before": before, "after": after,
                  "global_truncated": ImageFile.LOAD_TRUNCATED_IMAGES}))
"""


def test_same_verdict_before_and_after_a_claim_file_build(hostile, tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(hostile["truncated"]),
                           str(hostile["bomb"]), str(tmp_path)], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=300)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["global_truncated"] is True  # WeasyPrint did flip it in that process
    assert outcome["before"] == outcome["after"]
    assert "endommagée ou incomplète" in outcome["before"][0]
    assert "10000 × 10000 pixels" in outcome["before"][1]


def test_verdicts_ignore_pillow_globals_set_by_libraries(hostile, monkeypatch):
    before = [_verdict(hostile["truncated"]), _verdict(hostile["bomb"])]
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    after = [_verdict(hostile["truncated"]), _verdict(hostile["bomb"])]
    assert before == after and all(v != "accepted" for v in after)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True and Image.MAX_IMAGE_PIXELS is None  # put back
