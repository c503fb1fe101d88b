"""A reminder as a ready-to-send e-mail (RFC 5322, `.eml`) with the letter attached as PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr


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
    message["From"] = formataddr(sender)
    message["To"] = formataddr(recipient)
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.combine(day, time(9, 0), tzinfo=UTC))
    message["Message-ID"] = message_id
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message.as_bytes()
