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
import re
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


# A field name (RFC 5322 §2.2: printable US-ASCII but ":"), blanks before the colon allowed
# by the obsolete syntax (§4.5.3)
_FIELD = re.compile(rb"([\x21-\x39\x3b-\x7e]+)[ \t]*:")
# A line end, then a line empty or of blanks alone, the end of the headers (RFC 5322 §2.1; a
# folded line of blanks alone is no header line, §3.2.2); line ends as Python's parser splits
_BLANK_LINE = re.compile(rb"(\r\n|\r(?!\n)|\n)[ \t]*(?=\r\n|\r|\n)")
_MBOX_LINE = re.compile(rb"From [^\r\n]*(?:\r\n|\r|\n)?")  # an mbox separator, first
# A line Python's parser takes for a header line (email.feedparser.headerRE)
_PARSER_HEADER = re.compile(rb"From |[\x21-\x39\x3b-\x7e]*:|[ \t]")
# A real message's headers (Received, DKIM, ARC) stay far below: Python's header parser takes
# memory in the square of an encoded-word subject's length (152 KB: 607 MB; 1.9 MB: 21 GB)
MAX_HEADER_BYTES, MAX_FIELD_BYTES = 64 * 1024, 16 * 1024
MAX_REPAIRED_LINES = 4  # malformed lines repaired in one header block: a few, never a body
MAX_LINE_BYTES = 998  # RFC 5322 §2.1.1


def cleaned_headers(data: bytes) -> bytes:
    """The message with its header block read up to the blank line that ends it (RFC 5322
    §2.1), as mail clients read it: Python's parser ends the headers at the first line that is
    no field (a folded line that lost its indentation, a name with spaces in it) and reads the
    rest of them, and the MIME structure with them, as the body. A line of blanks alone is
    that blank line. With no blank line, the message is left as Python's parser reads it: its
    body then follows the headers at once."""
    mbox = _MBOX_LINE.match(data)
    start = mbox.end() if mbox else 0
    found = _blank_line(data, start)
    if found is None:
        return data
    block = data[start:found.end(1)]
    return data[:start] + _header_lines(block) + data[found.end():]


def _blank_line(data: bytes, start: int) -> re.Match[bytes] | None:
    """The blank line that ends the header block starting at `start`, within the first
    MAX_HEADER_BYTES; None if the block is empty (no headers) or has no such line."""
    if data[start:start + 1] in (b"\r", b"\n"):
        return None
    return _BLANK_LINE.search(data, start, MAX_HEADER_BYTES)


def _header_lines(block: bytes) -> bytes:
    """The header lines, each a field or the continuation of one: a line with no colon is
    folded into the field above; one whose name is no field name is dropped, with its
    continuations. Only where the block is plausibly headers: else as Python reads it."""
    lines = block.splitlines(keepends=True)
    if not _FIELD.match(lines[0]) or not _plausibly_headers(lines):
        return block
    kept: list[bytes] = []
    dropping = False
    for line in lines:
        if line[:1] not in (b" ", b"\t") and b":" not in line:
            line = b" " + line  # a folded line that lost its indentation (RFC 5322 §2.2.3)
        if line[:1] in (b" ", b"\t"):
            kept += [] if dropping else [line]
            continue
        field = _FIELD.match(line)
        dropping = field is None  # a name with spaces in it: dropped with its lines
        if field:
            kept.append(field.group(1) + b":" + line[field.end():])
    return b"".join(kept)


def _plausibly_headers(lines: list[bytes]) -> bool:
    """Whether the malformed lines are headers gone wrong, not a body that follows the
    headers without its blank line: a few of them, each shaped like a header line, and a
    well-formed header line after the last (a body's paragraph ends with its own line)."""
    malformed = [line for line in lines if _malformed(line)]
    return len(malformed) <= MAX_REPAIRED_LINES and not _malformed(lines[-1]) \
        and all(map(_shaped_like_header, malformed))


def _malformed(line: bytes) -> bool:
    """A line that is neither a field nor a continuation (RFC 5322 §2.2, §2.2.3)."""
    return line[:1] not in (b" ", b"\t") and not _FIELD.match(line)


def _shaped_like_header(line: bytes) -> bool:
    """A malformed line as a header's, no sentence: short (RFC 5322 §2.1.1), and either a
    continuation of one token (base64, a diagnostic) or a US-ASCII name with a blank or two."""
    text = line.rstrip(b"\r\n")
    name, colon, _ = text.partition(b":")
    if len(text) > MAX_LINE_BYTES:
        return False
    if not colon:
        return len(text.split()) == 1
    return name.isascii() and len(name.split()) <= 2


def oversized_header(path: Path) -> str:
    """Why the message's own header block is too large to be read, or ""."""
    with path.open("rb") as handle:
        sizes = field_sizes(handle.read(len(UTF8_BOM) + MAX_HEADER_BYTES + 1))
    if sum(sizes) > MAX_HEADER_BYTES:
        return "ses en-têtes dépassent 64 Ko"
    if max(sizes, default=0) > MAX_FIELD_BYTES:
        return "un de ses en-têtes dépasse 16 Ko"
    return ""


def field_sizes(data: bytes) -> list[int]:
    """The size of each header field at the start of `data`, as large as Python's parser may
    read it after `cleaned_headers`: up to the blank line, a line with no colon counts in the
    field above whether it is folded into it or not (a header made of many short lines is one
    long header); with no blank line, the lines Python's parser takes for header lines."""
    data = data.removeprefix(UTF8_BOM)  # as parse_bytes reads it
    mbox = _MBOX_LINE.match(data)
    found = _blank_line(data, mbox.end() if mbox else 0)
    lines = data[:found.end(1)].splitlines(keepends=True) if found else _parser_lines(data)
    sizes: list[int] = []
    for line in lines:
        if sizes and (line[:1] in (b" ", b"\t") or b":" not in line):
            sizes[-1] += len(line)  # a continuation, or a line that may be folded
        else:
            sizes.append(len(line))
    return sizes


def _parser_lines(data: bytes) -> list[bytes]:
    """The lines Python's parser reads as the headers: up to the first that is no header line."""
    lines = data.splitlines(keepends=True)
    ends = (i for i, line in enumerate(lines) if not _PARSER_HEADER.match(line))
    return lines[:next(ends, len(lines))]


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
