"""Names and titles in any script print on every paper: no "?", no box (issue 12).

Hypothesis draws a name with one word in each script (Latin with its diacritics, Greek,
Cyrillic, Arabic, Hebrew, Chinese and Japanese, Korean, emoji), puts it in every text field of
the file, prints every print template and reads each PDF back. A glyph no font has makes
WeasyPrint log a ".notdef" warning, which the documents' conftest turns into a failure; the
text read back must hold every word. One example a run (each prints a dozen papers): every
run draws new names.
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from sqlmodel import Session, select

from app.config import Settings
from app.models import Debtor
from app.services.context import Actor
from app.storage import FileStore
from tests.documents.every_paper import every_paper, paper_file, write_text
from tests.documents.names import NAMES

BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def read_back(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    return unicodedata.normalize("NFC", text.translate(BIDI_MARKS))


@settings(max_examples=1, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=NAMES)
def test_a_name_in_every_script_prints_on_every_paper(
        name: str, session: Session, owner: Actor, settings: Settings, tmp_path: Path) -> None:
    settings.ensure_dirs()  # the file is built once; each example rewrites its text
    debtor = session.exec(select(Debtor)).first() or paper_file(
        session, owner, FileStore(settings.files_dir))
    write_text(session, debtor, lambda _table, column: (
        "nom@example.test" if "email" in column else name))
    papers = every_paper(session, owner, settings, debtor, mail_subject=name, mail_body=name)
    for paper in papers:
        text = read_back(paper.pdf, tmp_path / "paper.pdf")
        assert "\ufffd" not in text, f"{paper.label}: a replacement character printed"
        for word in name.split():
            assert unicodedata.normalize("NFC", word) in text, f"{paper.label}: {word!r}"
