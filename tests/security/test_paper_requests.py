"""No server-side request from a paper (issue 14.1).

A member could write CSS into a text field (`\\f} } body{background-image:url(http://…)}
body::before{content:url(file:///….png)} x{`): the next letter made WeasyPrint fetch the URL
and embed a picture from the server's disk. Here that value is stored in every text column of
the creditor, debtor, invoices, exhibits, steps and court, then every print template is
printed: a listener on 127.0.0.1 must receive nothing, and no image may enter any PDF.
"""

from __future__ import annotations

import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from app.config import Settings
from app.documents.render import capture_warnings
from app.services.context import Actor
from app.storage import FileStore
from tests.documents.every_paper import (
    PRINT_DIR,
    every_paper,
    paper_file,
    print_templates,
    templates_used,
    write_text,
)

# What WeasyPrint fetches; each database hands the values back: test_every_column_keeps_text.py
pytestmark = pytest.mark.any_database


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it receives."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.received.append(connection.recv(4096) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    served = Listener()
    yield served
    served.close()


@pytest.fixture
def secret_png(tmp_path: Path) -> Path:
    """A picture on the server's disk, with odd dimensions easy to spot in `pdfimages -list`."""
    path = tmp_path / "secret.png"
    Image.new("RGB", (37, 23), (200, 10, 10)).save(path)
    return path


def hostile(port: int, png: Path) -> str:
    return (f"\f}} }} body{{background-image:url(http://127.0.0.1:{port}/css)}} "
            f"body::before{{content:url(file://{png})}} x{{"
            f"<img src=\"http://127.0.0.1:{port}/img\"><link rel=stylesheet "
            f"href=\"http://127.0.0.1:{port}/link\">\r}} p{{background:url(file://{png})}}")


def images(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    return listing[2:]  # after the two header lines


def test_a_hostile_value_in_every_field_makes_no_request_and_embeds_no_image(
        session: Session, owner: Actor, settings: Settings, listener: Listener,
        secret_png: Path, tmp_path: Path) -> None:
    settings.ensure_dirs()
    debtor = paper_file(session, owner, FileStore(settings.files_dir))
    value = hostile(listener.port, secret_png)
    write_text(session, debtor, lambda _table, _column: value)
    with templates_used() as used, capture_warnings() as warnings:
        papers = every_paper(session, owner, settings, debtor, mail_subject=value,
                             mail_body=value)
    assert warnings == [], "WeasyPrint was asked for a resource or met a glyph it lacks"
    assert used == print_templates(), "a print template is not printed by every_paper()"
    assert listener.received == [], f"the server made requests: {listener.received}"
    for paper in papers:
        assert images(paper.pdf, tmp_path) == [], f"{paper.label}: an image entered the PDF"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:{port}/x.png", "https://127.0.0.1:{port}/x.css", "ftp://127.0.0.1:{port}/",
    "file://{png}", "file:///etc/passwd", "file://{static}/../app/config.py",
    "file://{static}/fonts/../../pyproject.toml",
])
def test_the_fetcher_refuses_everything_but_bundled_assets_and_data(
        url: str, listener: Listener, secret_png: Path) -> None:
    from app.documents.fetcher import safe_url_fetcher

    static = Path(__file__).resolve().parents[2] / "static"
    with pytest.raises(ValueError, match="refusée"):
        safe_url_fetcher()(url.format(port=listener.port, png=secret_png, static=static))
    assert listener.received == []


def test_the_fetcher_serves_the_bundled_fonts_and_data_uris() -> None:
    from app.documents.fetcher import safe_url_fetcher

    static = Path(__file__).resolve().parents[2] / "static"
    font = safe_url_fetcher()(f"file://{static}/fonts/DejaVuSans.ttf")
    assert font.read()[:4] == (static / "fonts" / "DejaVuSans.ttf").read_bytes()[:4]
    assert safe_url_fetcher()("data:text/plain;base64,YQ==").read() == b"a"


def test_no_stylesheet_of_a_paper_prints_a_value() -> None:
    """User text stays out of CSS: a print stylesheet may only name the bundled fonts folder."""
    styles = []
    for path in PRINT_DIR.rglob("*"):
        if path.suffix == ".css":
            styles.append((path.name, path.read_text(encoding="utf-8")))
        elif path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            styles += [(path.name, block) for block in re.findall(r"<style>(.*?)</style>", text, re.S)]
    assert len(styles) >= 3
    for name, css in styles:
        printed = set(re.findall(r"\{\{\s*(.*?)\s*\}\}", css))
        assert printed <= {"fonts_dir"}, f"{name} prints {printed - {'fonts_dir'}} into CSS"
