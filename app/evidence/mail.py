"""E-mails (.eml) read with the standard library: sender, recipients, date, subject, attachments,
and the text a reader sees (the body, then any forwarded message), shared by the preview, the
search and the claim file so that they all read an e-mail the same way.

A body is decoded as its charset label says (an HTML one without a label, as its <meta> does),
labels taken as mail clients take them; an unknown label or undecodable bytes are guessed,
never shown as Latin-1 mojibake (app/evidence/charsets.py).
"""

from __future__ import annotations

import base64
import binascii
import quopri
from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

from app.evidence.charsets import decode_text, meta_charset
from app.evidence.mail_body import html_to_text, unflowed
from app.evidence.mail_headers import MAX_FIELD_BYTES, cleaned_headers, oversized_header
from app.evidence.refusals import Refusal
from app.evidence.sniff import UTF8_BOM
from app.formatting import date_long_fr
from app.parsing import LAST_DAY, OLDEST_DAY

MAX_ATTACHMENTS = 100
MAX_FORWARDED = 20  # forwarded messages (message/rfc822 parts) printed in one e-mail
SHOWN_HEADERS = (("From", "De"), ("To", "À"), ("Cc", "Cc"), ("Date", "Date"), ("Subject", "Objet"))
FORWARDED = "-------- Message transféré --------"  # as Thunderbird writes it
# What Python's header registry raises on headers it cannot parse (a Date with a 30-digit
# year overflows, an address group followed by a comment is an AttributeError)
PARSER_ERRORS = (OverflowError, ValueError, TypeError, IndexError, AttributeError)

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
    return parse_bytes(path.read_bytes())


def parse_bytes(data: bytes) -> EmailMessage:
    data = data.removeprefix(UTF8_BOM)  # else the first field is named "\ufeffFrom"
    message = BytesParser(policy=policy.default).parsebytes(cleaned_headers(data))
    assert isinstance(message, EmailMessage)
    return message


def inspect_mail(path: Path, filename: str) -> MailFacts:
    if reason := oversized_header(path):
        raise Refusal(filename, f"{reason}, ce qu'aucun e-mail ordinaire ne fait ; déposez-en "
                      "une impression en PDF.", "damaged")
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
    """Attached files, in order, wherever they sit in the MIME tree; the message itself when
    it is one file, not multipart (a scanner's PDF, Outlook's winmail.dat read receipt)."""
    parts: list[Message] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        if _is_attached(part) or (part is message and _is_file(part)):
            parts.append(part)
        if len(parts) >= MAX_ATTACHMENTS:
            break
    return parts


def _is_attached(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or \
        bool(part.get_filename() and part.get_content_maintype() != "text")


def _is_file(part: Message) -> bool:
    """A part no text is read from (a multipart without its boundary neither)."""
    return part.get_content_maintype() not in ("text", "multipart", "message")


def attachment(path: Path, index: int) -> tuple[str, bytes]:
    """(file name, bytes) of the index-th attachment of a stored e-mail."""
    parts = attachment_parts(parse_message(path))
    if not 0 <= index < len(parts):
        raise IndexError(index)
    part = parts[index]
    payload = part.get_payload(decode=True)
    return attachment_name(part, index), payload if isinstance(payload, bytes) else b""


def attachment_name(part: Message, index: int) -> str:
    """The attachment's file name; one Python's parser could not read or decode is read
    again from the raw header."""
    name = part.get_filename()
    if not name or _undecoded(name):
        name = _raw_name(part) or name
    return str(name or f"piece-jointe-{index + 1}")


def _raw_name(part: Message) -> str | None:
    """The file name read from the raw headers by the lenient parser of compat32: raw 8-bit
    bytes (no RFC 2231 or 2047 encoding, as some mailers do) read like a header, an encoded
    word left unquoted (filename==?utf-8?B?…?=, which Python's header registry drops)."""
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        if (raw := raw_header(part, header)) is not None:
            reread = Message()
            reread[header] = _eight_bit_text(raw)
            if found := reread.get_param(param, header=header):
                return _param_text(found)
    return None


def _param_text(value: str | tuple[str | None, str | None, str]) -> str:
    """A parameter's text: an RFC 2231 value's bytes decoded like a body in its charset (a
    byte the charset refuses is guessed, never Python's tuple shown), encoded words (RFC 2047)
    as header_text reads them."""
    if isinstance(value, tuple):
        charset, _language, text = value
        return decode_text(bytes(text, "raw-unicode-escape"), charset)
    return header_text(value) if "=?" in value else value


def _describe(index: int, part: Message) -> dict[str, Any]:
    payload = part.get_payload(decode=True)
    return {"index": index, "filename": attachment_name(part, index),
            "media_type": part.get_content_type(),
            "size": len(payload) if isinstance(payload, bytes) else 0}


def _header(message: EmailMessage, name: str) -> str:
    return shown_text(message, name)


def _addresses(message: EmailMessage, name: str) -> list[str]:
    values = _parsed_values(message, name)
    if values is None or any(_undecoded(v) for v in values):
        pairs = _raw_addresses(message, name)
    else:
        pairs = getaddresses(values)
    return [f"{real} <{addr}>" if real else addr for real, addr in pairs if addr]


def _parsed_values(message: EmailMessage, name: str) -> list[str] | None:
    """The header's values as Python's parser reads them, or None where it fails: it raises
    on a group followed by a comment (RFC 5322 §3.4), "To: unlisted-recipients:; (no
    To-header on input)" as sendmail writes it in bounces."""
    try:
        return [str(v) for v in message.get_all(name, [])]
    except PARSER_ERRORS:
        return None


def _raw_addresses(message: EmailMessage, name: str) -> list[tuple[str, str]]:
    """(name, address) pairs read from the raw header: split first, names decoded after."""
    raw = [_eight_bit_text(v) for key, v in message.raw_items() if key.lower() == name.lower()]
    return [(header_text(real), addr) for real, addr in getaddresses(raw)]


def shown_text(message: Message, name: str) -> str:
    """A header's text on one line: as Python's parser decodes it, or where it could not (a
    charset it does not know, raw 8-bit bytes), as `header_text` reads it."""
    try:
        value = message.get(name)  # parsed here: a Date with a 30-digit year overflows
    except PARSER_ERRORS:
        raw = raw_header(message, name)
        return header_text(raw) if raw is not None else ""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    if _undecoded(text) and (raw := raw_header(message, name)) is not None:
        return header_text(raw)
    return text


def _undecoded(text: str) -> bool:
    return "\ufffd" in text or any("\udc80" <= c <= "\udcff" for c in text)


def raw_header(message: Message, name: str) -> str | None:
    """The header as the parser stored it: encoded words undecoded, 8-bit bytes escaped."""
    return next((value for key, value in message.raw_items() if key.lower() == name.lower()),
                None)


def _eight_bit_text(raw: str) -> str:
    """A header as the parser stored it, its raw 8-bit bytes (escaped) read as UTF-8, else
    guessed like a body."""
    data = raw.encode("utf-8", "surrogateescape")
    return data.decode("ascii") if data.isascii() else decode_text(data, None)


def header_text(raw: str) -> str:
    """A header's text on one line, as mail clients show it: encoded words (RFC 2047) read like
    a body in their charset (WHATWG labels, else guessed: never U+FFFD for a charset Python
    does not know), and raw 8-bit bytes as UTF-8, else guessed."""
    text = _eight_bit_text(raw)
    try:
        chunks = decode_header(text)
    except (ValueError, IndexError, AssertionError, HeaderParseError):
        chunks = [(text, None)]  # a malformed encoded word (bad base64: a 500): as written
    words = [chunk if isinstance(chunk, str)
             else decode_text(chunk, charset) if charset
             else _between_words(chunk, text) for chunk, charset in chunks]
    return " ".join("".join(words).split())


def _between_words(chunk: bytes, text: str) -> str:
    r"""The text between encoded words, which decode_header gives back as raw-unicode-escape
    bytes: up to U+00FF each character as its byte, so "\u0041" or "C:\Users" typed in a
    subject stay as typed (they were read as escapes: "A", or the e-mail refused)."""
    if max(text, default=" ") <= "\xff":
        return chunk.decode("latin-1")
    try:
        return chunk.decode("raw-unicode-escape")
    except UnicodeDecodeError:
        return chunk.decode("latin-1")


def _date(message: EmailMessage) -> str | None:
    """The Date header, when it is a day a pièce may have (app/parsing.py OLDEST_DAY …
    LAST_DAY): a year of 30 digits made the whole upload refused, 9999 or 1000 was stored and
    the pièce could no longer be edited."""
    try:
        raw = message.get("date")  # the header registry parses it here
        if raw is None:
            return None
        when = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when.isoformat() if OLDEST_DAY <= when.date() <= LAST_DAY else None


# ---------------------------------------------------------------- the text a reader sees


def readable_text(message: EmailMessage) -> str:
    """The body as text, then each forwarded message (a message/rfc822 part, wherever it sits)
    under its own headers, as mail clients show a forwarded message."""
    blocks = [body_text(message)]
    for inner in forwarded_messages(message):
        heading = [f"{label} : {value}" for name, label in SHOWN_HEADERS
                   if (value := shown_header(inner, name))]
        blocks.append("\n".join([FORWARDED, *heading, "", body_text(inner)]).rstrip())
    return "\n\n".join(block for block in blocks if block)


def forwarded_messages(message: Message) -> list[EmailMessage]:
    found: list[EmailMessage] = []
    for part in message.walk():
        if part is message or part.get_content_type() != "message/rfc822":
            continue
        inner = part.get_payload(0) if part.is_multipart() else None
        if isinstance(inner, EmailMessage):
            inner = _decoded(part, inner)
            # its headers too: Python's parser takes the square of a long encoded-word header
            if max((len(value) for _name, value in inner.raw_items()), default=0) \
                    <= MAX_FIELD_BYTES:
                found.append(inner)
        if len(found) >= MAX_FORWARDED:
            break
    return found


def _decoded(part: Message, inner: EmailMessage) -> EmailMessage:
    """A forwarded message sent in base64 or quoted-printable (RFC 2046 forbids it, mailers do
    it): Python parses the encoded text as the message, raw base64 or "D=C3=A9biteur" shown."""
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable"):
        return inner
    encoded = inner.as_bytes(policy=policy.compat32)  # the encoded text, as it came
    try:
        data = base64.b64decode(encoded) if encoding == "base64" \
            else quopri.decodestring(encoded)
    except (ValueError, binascii.Error):
        return inner
    message = parse_bytes(data)
    return message if message.keys() else inner


def shown_header(message: Message, name: str) -> str:
    """A header as printed: as written, the date in French with its offset to UTC."""
    value = shown_text(message, name)
    if not value:
        return ""
    if name.lower() != "date":
        return value
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return value  # shown as written
    if moment.tzinfo is None:
        return f"{date_long_fr(moment.date())} à {moment:%H:%M}"
    offset = moment.strftime("%z")
    return f"{date_long_fr(moment.date())} à {moment:%H:%M} (UTC{offset[:3]}:{offset[3:]})"


def body_text(message: Message) -> str:
    """The plain-text body, else the HTML one reduced to its text (nothing is fetched): an
    empty plain alternative gives way to the HTML; the text parts a mailer splits around an
    inline image (Apple Mail) are all read, in order; a delivery report with neither, its
    preamble."""
    if not isinstance(message, EmailMessage):
        return ""
    for preference in (("plain",), ("html",)):
        part = message.get_body(preferencelist=preference)
        if part is None:
            continue
        texts = [_shown(inline) for inline in _split_body(message, part)]
        if text := "\n\n".join(t for t in texts if t):
            return text
    return _report_preamble(message)


def _report_preamble(message: Message) -> str:
    """A delivery report's text where old MTAs (sendmail) wrote it, before its first part: in
    the preamble RFC 2046 §5.1.1 has readers ignore, not in the first part RFC 6522 §3 asks."""
    if message.get_content_type() != "multipart/report" or not message.preamble:
        return ""
    return _eight_bit_text(message.preamble).strip()


def _shown(part: Message) -> str:
    text = part_text(part)
    if part.get_content_subtype() == "html":
        return html_to_text(text).strip()
    if str(part.get_param("format", "")).lower() == "flowed":
        text = unflowed(text, str(part.get_param("delsp", "")).lower() == "yes")
    return text.strip()


def _split_body(message: EmailMessage, body: Message) -> list[Message]:
    """The body part, and the inline text parts of the same kind that follow it in its own
    multipart/mixed (a text, an image, the rest of the text): never an attachment."""
    for parent in message.walk():
        if parent.get_content_type() != "multipart/mixed":
            continue
        children = parent.get_payload()
        if not isinstance(children, list) or body not in children:
            continue
        after = children[children.index(body) + 1:]
        return [body, *(part for part in after
                        if part.get_content_type() == body.get_content_type()
                        and part.get_content_disposition() != "attachment"
                        and not part.get_filename())]
    return [body]


def part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    label = part.get_content_charset()
    if label is None and part.get_content_subtype() == "html":
        label = meta_charset(payload)
    return decode_text(payload, label)
