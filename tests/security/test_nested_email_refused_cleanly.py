"""A deeply nested .eml (RecursionError in the MIME parser or walker) is refused with a French
reason at upload, never a 500."""

from __future__ import annotations

from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser
from tests.security.uploads import debtor_and_auth, post_file


def nested_email(depth: int) -> bytes:
    head = b"From: a@example.test\r\nTo: b@example.test\r\nSubject: imbrique\r\n"
    parts = []
    for level in range(depth):
        parts.append(b"Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n"
                     % (level, level))
    body = b"Content-Type: text/plain\r\n\r\nfin\r\n"
    tail = b"".join(b"--b%d--\r\n" % level for level in reversed(range(depth)))
    return head + b"".join(parts) + body + tail


def test_deeply_nested_email_is_refused_with_a_reason(client: Browser, session: Session,
                                                       owner: Actor) -> None:
    debtor, auth = debtor_and_auth(client, session, owner)
    response = post_file(client, debtor, auth, "imbrique.eml", nested_email(5000))
    assert response.status_code == 422, response.text
    assert "imbriqu" in response.json()["detail"]
