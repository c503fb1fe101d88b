"""E-mails (.eml) read with the standard library: sender, recipients, date, subject, attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

from app.evidence.refusals import Refusal

MAX_ATTACHMENTS = 100


@dataclass
class MailFacts:
    sender: str
    to: list[str]
    cc: list[str]
    date: str | None  # ISO datetime
    subject: str
    attachments: list[dict[str, Any]] = field(default_factory=list)

    def as_meta(self) -> dict[str, Any]:
        return {"email": {"from": self.sender, "to": self.to, "cc": self.cc, "date": self.date,
                          "subject": self.subject, "attachments": self.attachments}}


def parse_message(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    assert isinstance(message, EmailMessage)
    return message


def inspect_mail(path: Path, filename: str) -> MailFacts:
    try:
        message = parse_message(path)
        facts = MailFacts(
            sender=_header(message, "from"),
            to=_addresses(message, "to"),
            cc=_addresses(message, "cc"),
            date=_date(message),
            subject=_header(message, "subject"),
            attachments=[_describe(i, part) for i, part in enumerate(attachment_parts(message))],
        )
    except RecursionError as exc:
        raise Refusal(filename, "cet e-mail contient des parties imbriquées trop profondément "
                      "pour être lu ; déposez le message d'origine ou une impression en PDF.",
                      "damaged") from exc
    except (ValueError, TypeError, LookupError, IndexError, AttributeError) as exc:
        raise Refusal(filename, "cet e-mail est mal formé et ne peut pas être lu.",
                      "damaged") from exc
    if not facts.sender:
        raise Refusal(filename, "cet e-mail n'a pas d'expéditeur lisible.", "damaged")
    return facts


def attachment_parts(message: EmailMessage) -> list[Message]:
    """Attached files, in order, wherever they sit in the MIME tree."""
    parts: list[Message] = []
    for part in message.walk():
        if part.is_multipart() or part is message:
            continue
        if part.get_content_disposition() == "attachment" or \
                (part.get_filename() and part.get_content_maintype() != "text"):
            parts.append(part)
        if len(parts) >= MAX_ATTACHMENTS:
            break
    return parts


def attachment(path: Path, index: int) -> tuple[str, bytes]:
    """(file name, bytes) of the index-th attachment of a stored e-mail."""
    parts = attachment_parts(parse_message(path))
    if not 0 <= index < len(parts):
        raise IndexError(index)
    part = parts[index]
    payload = part.get_payload(decode=True)
    return attachment_name(part, index), payload if isinstance(payload, bytes) else b""


def attachment_name(part: Message, index: int) -> str:
    return str(part.get_filename() or f"piece-jointe-{index + 1}")


def _describe(index: int, part: Message) -> dict[str, Any]:
    payload = part.get_payload(decode=True)
    return {"index": index, "filename": attachment_name(part, index),
            "media_type": part.get_content_type(),
            "size": len(payload) if isinstance(payload, bytes) else 0}


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _addresses(message: EmailMessage, name: str) -> list[str]:
    values = [str(v) for v in message.get_all(name, [])]
    return [f"{real} <{addr}>" if real else addr for real, addr in getaddresses(values) if addr]


def _date(message: EmailMessage) -> str | None:
    raw = message.get("date")
    if raw is None:
        return None
    try:
        return parsedate_to_datetime(str(raw)).isoformat()
    except (TypeError, ValueError, IndexError):
        return None
