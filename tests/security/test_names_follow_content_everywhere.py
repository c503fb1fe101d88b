"""A pièce handed out is named by its content in the download and in the claim file's ZIP alike
(app/evidence/sniff.py, `extension_for`): the uploader's extension is kept only when it is one
of the content's own (".jpeg" stays), a photo's OCR'd copy (a PDF) is a ".pdf"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.documents.claimfile.model import Exhibit
from app.documents.claimfile.package import exhibit_filename
from app.models import Evidence
from app.services.evidence_names import download_name


@pytest.mark.parametrize(("media_type", "uploaded_as", "download", "member"), [
    ("message/rfc822", "releve.bat", "releve.bat.eml", "Piece-01-releve.eml"),
    ("image/jpeg", "scan.JPEG", "scan.JPEG", "Piece-01-releve.jpeg"),
    ("image/jpeg", "photo.html", "photo.html.jpg", "Piece-01-releve.jpg"),
    ("image/png", "plan.svg", "plan.svg.png", "Piece-01-releve.png"),
    ("application/pdf", "photo.jpg", "photo.jpg.pdf", "Piece-01-releve.pdf"),
    ("application/pdf", "devis", "devis.pdf", "Piece-01-releve.pdf"),
])
def test_the_download_and_the_zip_name_a_file_by_its_content(
        media_type: str, uploaded_as: str, download: str, member: str) -> None:
    evidence = Evidence(creditor_id=1, debtor_id=1, sha256="0" * 64, size=1,
                        media_type=media_type, original_name=uploaded_as)
    exhibit = Exhibit(number=1, title="Relevé", kind="other", date=date(2026, 2, 2),
                      path=Path("/nonexistent"), media_type=media_type, original_name=uploaded_as)
    assert download_name(evidence) == download
    assert exhibit_filename(exhibit) == member


def test_a_type_the_app_does_not_keep_is_a_bin_in_the_zip() -> None:
    exhibit = Exhibit(number=7, title="", kind="other", date=None, path=Path("/nonexistent"),
                      media_type="text/html", original_name="page.html")
    assert exhibit_filename(exhibit) == "Piece-07.bin"
