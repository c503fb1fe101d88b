"""A reminder as a ready-to-send e-mail (RFC 5322, `.eml`) with the letter attached as PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import SMTP, default
from email.utils import format_datetime


def build_eml(
    *,
    sender: tuple[str, str],
    recipient: tuple[str, str],
    subject: str,
    body: str,
    pdf: bytes,
    filename: str,
    day: date,
    message_id: str,
) -> bytes:
    """`sender`/`recipient` are (name, address); the Date header is the letter's date at 9:00."""
    message = EmailMessage(policy=SMTP)
    message["From"] = _address(*sender)
    message["To"] = _address(*recipient)
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(datetime.combine(day, time(9, 0), tzinfo=UTC))
    message["Message-ID"] = message_id
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return serialized(message)


ADDRESS_HEADERS = ("From", "To", "Cc", "Reply-To")
LONG_LINES = SMTP.clone(max_line_length=998)  # RFC 5322 §2.1.1: the limit a line MUST keep


def serialized(message: EmailMessage) -> bytes:
    """The message's bytes, whose address headers read back as they were written. Python
    3.11 folds a long ASCII display name with a comma out of its quotes ("Dupont, Durand …
    SARL" read back as two mailboxes, one of them "Dupont" with no domain): such a message
    is written with its header lines unfolded, up to 998 characters."""
    raw = message.as_bytes()
    return raw if _same_addresses(message, raw) else message.as_bytes(policy=LONG_LINES)


def _same_addresses(message: EmailMessage, raw: bytes) -> bool:
    back = BytesHeaderParser(policy=default).parsebytes(raw)
    return all(_mailboxes(message[name]) == _mailboxes(back[name])
               for name in ADDRESS_HEADERS if message[name] is not None)


def _mailboxes(header: object) -> list[tuple[str, str]]:
    return [(a.display_name, a.addr_spec) for a in getattr(header, "addresses", ())]


def _one_line(text: str) -> str:
    """A header value on one line (no line break can start a new header)."""
    return " ".join(text.split())


def _address(name: str, address: str) -> Address:
    """A mailbox whose display name is kept as typed ("Rousseau & Fils <SARL>" included):
    the policy quotes or encodes it, where a formatted string would be parsed again."""
    if not address:
        return Address(display_name=_one_line(name))
    return Address(display_name=_one_line(name), addr_spec=address)
