"""Upload file names with NUL, a right-to-left override or more than 255 bytes are accepted
under a cleaned name (no control or bidi character, at most 255 bytes, extension kept)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import Evidence
from app.services.context import Actor
from tests.conftest import Browser
from tests.evidence.conftest import sample
from tests.security.uploads import debtor_and_auth, post_file


@pytest.mark.parametrize(("name", "expected"), [
    ("facture\x00.pdf", "facture.pdf"),
    ("facture\u202egpj.pdf", "facturegpj.pdf"),
    ("\u2067devis\u2069 signé.pdf", "devis signé.pdf"),
    ("é" * 200 + ".pdf", "é" * 125 + ".pdf"),
])
def test_hostile_file_name_is_cleaned(client: Browser, session: Session, owner: Actor,
                                      name: str, expected: str) -> None:
    debtor, auth = debtor_and_auth(client, session, owner)
    response = post_file(client, debtor, auth, name, sample("text_quote_signed.pdf"))
    assert response.status_code == 201, response.text
    stored = session.get(Evidence, response.json()["id"])
    assert stored is not None and stored.original_name == expected
    assert len(stored.original_name.encode("utf-8")) <= 255
    page = client.get(f"/debtors/{debtor.id}/evidence")
    assert page.status_code == 200 and "\u202e" not in page.text
