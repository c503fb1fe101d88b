"""Helpers of the upload security tests: a debtor to upload to, and the JSON API upload call."""

from __future__ import annotations

from sqlmodel import Session

from app.models import Debtor
from app.services.context import Actor
from tests.conftest import Browser, api_token
from tests.factories import make_debtor


def debtor_and_auth(client: Browser, session: Session, owner: Actor,
                    ) -> tuple[Debtor, dict[str, str]]:
    return make_debtor(session, owner), api_token(client, "claire@lefevre.test")


def post_file(client: Browser, debtor: Debtor, auth: dict[str, str], name: str,
              content: bytes):  # type: ignore[no-untyped-def]
    """A multipart upload written by hand, so the file name reaches the server byte for byte
    (the HTTP client would percent-encode a NUL)."""
    boundary = "----contentieux-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + content + f"\r\n--{boundary}--\r\n".encode("ascii")
    headers = {**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return client.post(f"/api/v1/debtors/{debtor.id}/evidence", headers=headers, content=body)
