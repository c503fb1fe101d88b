"""Real e-mails read as their senders wrote them: UTF-8 sent under another charset label, and
a header line real mailers tolerate (tests/samples/real, sources in SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

from app.documents.claimfile import mail
from app.evidence import inspect_file

REAL = Path(__file__).resolve().parents[2] / "samples" / "real"


def test_utf8_body_labelled_gb2312_reads_as_chinese():
    message = mail.read_email(REAL / "mail-parser" / "mail_test_12.eml")
    assert message.body.startswith("你好！我公司")
    assert "\ufffd" not in message.body


def test_email_with_a_malformed_header_line_is_accepted_as_an_email():
    path = REAL / "letters" / "japanese_plaintext_iso-2022-jp_over_7bit.eml"
    found = inspect_file(path, path.name)
    assert found.media_type == "message/rfc822"
    assert found.title == "📧 Test いろは歌"
