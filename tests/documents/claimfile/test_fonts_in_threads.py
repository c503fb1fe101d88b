"""Uploads are tried in parallel: the shared, lazily loaded fonts must survive concurrent readers.

Found by tests/durability/test_concurrency.py: one of fifty parallel uploads was refused with
"erreur inattendue" because two threads decompiled the same fontTools table at once.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from pypdf import PdfWriter

from app.documents.claimfile import typeface
from app.documents.claimfile.trial import trial


def one_page_pdf(label: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": label})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_thirty_uploads_tried_at_once_on_fresh_fonts_all_fit(tmp_path: Path) -> None:
    typeface.face.cache_clear()  # every thread meets the fonts' tables still undecoded
    typeface.glyphs.cache_clear()
    failures: list[BaseException] = []

    def try_one(index: int) -> None:
        path = tmp_path / f"piece-{index}.pdf"
        path.write_bytes(one_page_pdf(f"piece {index}"))
        try:
            assert trial(path, "application/pdf", path.name).pages == 1
        except BaseException as error:  # noqa: BLE001 - collected and reported below
            failures.append(error.__cause__ or error)

    threads = [threading.Thread(target=try_one, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:3]
