"""Benchmark: upload a 100 MB scanned-style PDF to a live uvicorn on 127.0.0.1.

Prints the server's peak RSS growth during the upload (target: < 10 MB, the file is
streamed to disk) and the upload time against a plain disk copy (+ fsync) of the same file,
as ratios measured in the same run. Run from the repository root:

    /work/venv/bin/python tests/bench/bench_upload.py [size_mb]
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

PASSWORD = "bench-upload-password"


def make_pdf(path: Path, size_mb: int) -> None:
    """Pages of 2 MB (incompressible) images, like a big scan; a valid PDF of ~size_mb."""
    writer = PdfWriter()
    pages = max(1, size_mb // 2)
    for _ in range(pages):
        page = writer.add_blank_page(595, 842)
        image = DecodedStreamObject()
        image.set_data(os.urandom(2 * 1024 * 1024))
        image.update({NameObject("/Type"): NameObject("/XObject"),
                      NameObject("/Subtype"): NameObject("/Image"),
                      NameObject("/Width"): NumberObject(1024),
                      NameObject("/Height"): NumberObject(683),
                      NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                      NameObject("/BitsPerComponent"): NumberObject(8)})
        ref = writer._add_object(image)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): ref})})
        content = DecodedStreamObject()
        content.set_data(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
        page[NameObject("/Contents")] = writer._add_object(content)
    with path.open("wb") as handle:
        writer.write(handle)


def rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(data_dir: Path) -> None:
    from app import db
    from app.config import Settings
    from app.services import accounts, debtors
    from app.services.context import Actor

    settings = Settings(data_dir=data_dir, max_upload_mb=200)
    settings.ensure_dirs()
    engine = db.make_engine(settings.db_url)
    db.migrate(engine)
    with db.session_scope(engine) as session:
        user = accounts.create_user(session, email="bench@contentieux.test", password=PASSWORD,
                                    creditor_name="Bench SARL", role="owner")
        creditor_id = accounts.memberships_of(session, user.id)[0][1].id  # type: ignore[arg-type]
        actor = Actor(user_id=user.id, creditor_id=creditor_id)  # type: ignore[arg-type]
        debtors.create(session, actor, {"kind": "company", "legal_name": "Débiteur Bench"})
    engine.dispose()


def copy_seconds(source: Path, folder: Path) -> float:
    target = folder / "copy.bin"
    start = time.perf_counter()
    shutil.copyfile(source, target)
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        root = Path(tmp)
        data_dir = root / "data"
        seed(data_dir)
        pdf = root / "scan.pdf"
        make_pdf(pdf, size_mb)
        size = pdf.stat().st_size
        port = free_port()
        env = {**os.environ, "CONTENTIEUX_DATA_DIR": str(data_dir),
               "CONTENTIEUX_MAX_UPLOAD_MB": "200"}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=600) as client:
                deadline = time.monotonic() + 120  # a loaded machine starts slowly
                while True:
                    try:
                        client.get("/health")
                        break
                    except httpx.TransportError:
                        if time.monotonic() > deadline or server.poll() is not None:
                            raise
                        time.sleep(0.05)
                token = client.post("/api/v1/auth/token", data={
                    "username": "bench@contentieux.test", "password": PASSWORD}).json()
                auth = {"Authorization": f"Bearer {token['access_token']}"}
                debtor_id = client.get("/api/v1/debtors", headers=auth).json()[0]["id"]
                url = f"/api/v1/debtors/{debtor_id}/evidence"
                warm = io.BytesIO()
                make_pdf(root / "warm.pdf", 2)
                warm.write((root / "warm.pdf").read_bytes())
                client.post(url, headers=auth, files={"file": ("warm.pdf", warm.getvalue())})
                Path(f"/proc/{server.pid}/clear_refs").write_text("5")  # reset the peak
                before = rss_kb(server.pid, "VmRSS")
                start = time.perf_counter()
                with pdf.open("rb") as handle:
                    response = client.post(url, headers=auth,
                                           files={"file": ("scan.pdf", handle, "application/pdf")})
                upload_s = time.perf_counter() - start
                peak = rss_kb(server.pid, "VmHWM")
            assert response.status_code == 201, response.text
            body = response.json()
        finally:
            server.terminate()
            server.wait(timeout=20)
        copy_s = copy_seconds(pdf, root)
        growth_mb = (peak - before) / 1024
        print(f"file: {size / 1e6:.1f} MB, {body['pages']} pages, stored as {body['sha256'][:12]}…")
        print(f"server RSS before {before / 1024:.1f} MB, peak during upload {peak / 1024:.1f} MB, "
              f"growth {growth_mb:.1f} MB = {growth_mb / 10:.2f}× the 10 MB budget "
              f"({growth_mb * 1024 * 1024 / size:.3f}× the file size)")
        print(f"upload {upload_s:.2f} s ({size / 1e6 / upload_s:.0f} MB/s) vs disk copy + fsync "
              f"{copy_s:.2f} s ({size / 1e6 / copy_s:.0f} MB/s): ratio {upload_s / copy_s:.2f}×")


if __name__ == "__main__":
    main()
