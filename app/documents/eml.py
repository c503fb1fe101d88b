"""A reminder as a ready-to-send e-mail (RFC 5322, `.eml`) with the letter attached as PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
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
    return message.as_bytes()


def _one_line(text: str) -> str:
    """A header value on one line (no line break can start a new header)."""
    return " ".join(text.split())


def _address(name: str, address: str) -> Address:
    """A mailbox whose display name is kept as typed ("Rousseau & Fils <SARL>" included):
    the policy quotes or encodes it, where a formatted string would be parsed again."""
    if not address:
        return Address(display_name=_one_line(name))
    return Address(display_name=_one_line(name), addr_spec=address)
