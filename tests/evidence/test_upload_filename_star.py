"""A file part named only with RFC 5987/2231 `filename*=UTF-8''…` (as some clients and
libraries send it) is a file, under its decoded name; with both forms, `filename*` wins."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.models import Debtor
from tests.conftest import Browser
from tests.evidence.conftest import rows, sample

BOUNDARY = "----contentieux-test-boundary"


def post_raw(client: Browser, debtor: Debtor, disposition: str, content: bytes):  # type: ignore[no-untyped-def]
    """The page's form by hand: CSRF token first, then one file part with `disposition`."""
    body = (f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{client.csrf}\r\n"
            f"--{BOUNDARY}\r\n"
            f"Content-Disposition: {disposition}\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + content + \
        f"\r\n--{BOUNDARY}--\r\n".encode()
    return client.post(f"/debtors/{debtor.id}/evidence", content=body,
                       headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                                "HX-Request": "true"}, follow_redirects=False)


@pytest.mark.parametrize(("disposition", "stored"), [
    ("form-data; name=\"files\"; filename*=UTF-8''Facture%20n%C2%B0%2012%20%C3%A9t%C3%A9.pdf",
     "Facture n° 12 été.pdf"),
    ("form-data; name=\"files\"; filename=\"Facture n 12 ete.pdf\"; "
     "filename*=UTF-8''Facture%20n%C2%B0%2012%20%C3%A9t%C3%A9.pdf", "Facture n° 12 été.pdf"),
    ("form-data; name=\"files\"; filename*=iso-8859-1'fr'Devis%20sign%E9.pdf", "Devis signé.pdf"),
    ("form-data; name=\"files\"; filename*0*=UTF-8''Bon%20de%20livraison%20; "
     "filename*1=n42.pdf", "Bon de livraison n42.pdf"),
    ("form-data; name=\"files\"; filename*=UTF-8''..%2F..%2Fetc%2Fdevis.pdf", "devis.pdf"),
], ids=["utf8-only", "both-forms", "latin1", "continued", "folders"])
def test_a_part_named_with_filename_star_is_stored_under_its_decoded_name(
        owner_client: Browser, session: Session, durand: Debtor, disposition: str,
        stored: str) -> None:
    response = post_raw(owner_client, durand, disposition, sample("text_quote_signed.pdf"))
    assert response.status_code == 200, response.text
    assert "Aucun fichier reçu" not in response.text
    assert [row.original_name for row in rows(session, durand)] == [stored]


def test_a_charset_that_names_a_python_codec_is_not_run(owner_client: Browser,
                                                        session: Session,
                                                        durand: Debtor) -> None:
    disposition = "form-data; name=\"files\"; filename*=base64''RmFjdHVyZQ%3D%3D.pdf"
    response = post_raw(owner_client, durand, disposition, sample("text_quote_signed.pdf"))
    assert response.status_code == 200, response.text
    assert [row.original_name for row in rows(session, durand)] == ["RmFjdHVyZQ==.pdf"]
