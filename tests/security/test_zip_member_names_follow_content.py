"""The claim file's ZIP names each original by its content, never by the uploader's extension.

`exhibit_filename()` (app/documents/claimfile/package.py) takes the extension of the
uploaded file's *original name* for every pièce that is not a PDF. An e-mail is accepted
from its mail headers alone, so a member can upload `releve.bat` (or `.hta`, `.cmd`,
`.html`) made of mail headers and a body of commands: the download route renames it
`….bat.eml` (app/services/evidence_names.py, `download_name`), but the ZIP handed to the
lawyer or commissaire de justice contains `pieces/Piece-01-….bat`. Double-clicked on
Windows, cmd.exe runs it line by line (the header lines fail, the body's commands run); an
`.hta` runs its script with mshta, an `.html` opens in the browser. Same for a JPEG or PNG
uploaded as `photo.html` (HTML in a comment chunk).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.documents.claimfile.model import Exhibit
from app.documents.claimfile.package import exhibit_filename
from app.evidence.sniff import sniff
from app.services.evidence_names import clean_filename

BATCH_EMAIL = (b"From: comptabilite@client.test\r\nTo: nous@lefevre.test\r\n"
               b"Subject: Releve\r\nDate: Mon, 2 Feb 2026 10:00:00 +0100\r\n\r\n"
               b"start calc.exe\r\n")

EXPECTED = {"message/rfc822": ".eml", "image/jpeg": ".jpg", "image/png": ".png"}


@pytest.mark.parametrize(("media_type", "uploaded_as"), [
    ("message/rfc822", "releve.bat"),
    ("message/rfc822", "releve.hta"),
    ("message/rfc822", "releve.html"),
    ("image/jpeg", "photo.html"),
    ("image/png", "plan.svg"),
])
def test_a_zip_member_takes_the_extension_of_its_content(media_type: str,
                                                         uploaded_as: str) -> None:
    name = clean_filename(uploaded_as)
    assert name == uploaded_as  # the upload keeps the name as the user gave it
    exhibit = Exhibit(number=1, title="Relevé du client", kind="email",
                      date=date(2026, 2, 2), path=Path("/nonexistent"), media_type=media_type,
                      original_name=name)
    member = exhibit_filename(exhibit)
    assert member.endswith(EXPECTED[media_type]), (
        f"a {media_type} uploaded as {uploaded_as!r} goes into the lawyer's ZIP as {member!r}")


def test_the_batch_email_is_accepted_as_an_email() -> None:
    """The content of the first case is a real e-mail to the sniffer: it is accepted."""
    assert sniff(BATCH_EMAIL) == "message/rfc822"
