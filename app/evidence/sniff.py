"""The type of a file from its first bytes (magic numbers), never from its name.

Accepted: PDF, JPEG, PNG and e-mails (RFC 5322 message, `.eml`). Recognised but refused
with a precise reason: HTML pages, ZIP/Office files, GIF/WebP/TIFF images, text.
"""

from __future__ import annotations

import re
from pathlib import PurePath

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EML = "message/rfc822"
ACCEPTED = (PDF, JPEG, PNG, EML)
HEAD_SIZE = 8192
UTF8_BOM = b"\xef\xbb\xbf"  # a byte-order mark, as .NET and Notepad start a saved text
# The extensions each accepted type goes by, its usual one first. A file handed out (a
# download, the claim file's ZIP) is named by its content, never by the extension it was
# uploaded with: headers of an e-mail uploaded as `releve.bat` made it accepted, and the
# name would have had Windows run its body's commands.
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",), EML: (".eml",)}

_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")  # RFC 5322 field name, then ":"
_MAIL_HEADERS = {b"from", b"to", b"date", b"subject", b"message-id", b"mime-version",
                 b"received", b"return-path", b"delivered-to", b"cc", b"reply-to"}

# Recognised but refused, with the name users know them by.
_OTHERS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "une archive ZIP ou un document Office"),
    (b"\xd0\xcf\x11\xe0", "un ancien document Office (.doc/.xls) ou un message Outlook (.msg)"),
    (b"GIF8", "une image GIF"),
    (b"II*\x00", "une image TIFF"),
    (b"MM\x00*", "une image TIFF"),
    (b"{\\rtf", "un document RTF"),
)


def sniff(head: bytes) -> str | None:
    """The accepted media type these first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    # An e-mail before a PDF found further on: a message is header lines then a blank line,
    # and "%PDF-1.7" may be in its subject or body; a PDF's header may follow a few junk
    # bytes (readers look for it in the first 1 KB), never mail headers.
    if looks_like_email(head):
        return EML
    if b"%PDF-" in head[:1024]:
        return PDF
    return None


def extension_for(media_type: str, name: str = "") -> str:
    """The extension a file of `media_type` goes by: `name`'s own when it is one of that
    type's (".jpeg" stays), else the type's usual one; "" for a type the app does not keep."""
    known = EXTENSIONS.get(media_type.split(";")[0].strip().lower(), ())
    own = PurePath(name).suffix.lower()
    return own if own in known else next(iter(known), "")


def describe_other(head: bytes) -> str:
    """What a refused file seems to be, for the message (« ce fichier est … »)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or \
            b"<html" in stripped[:1024]:
        return "une page web (HTML)"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "une image WebP"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "une image HEIC"
    for magic, label in _OTHERS:
        if head.startswith(magic):
            return label
    if stripped.startswith(b"<?xml"):
        return "un fichier XML"
    if _is_text(head):
        return "un fichier texte"
    return "un fichier d'un type inconnu"


def looks_like_email(head: bytes) -> bool:
    """Header lines (Name: value, folded continuations) then a blank line (or a malformed line
    once the mail headers are there, as real mailers write), with mail headers; a UTF-8
    byte-order mark before them is skipped."""
    names: set[bytes] = set()
    lines = head.removeprefix(UTF8_BOM).replace(b"\r\n", b"\n").split(b"\n")
    complete = False
    for line in lines[:200]:
        if line == b"":
            complete = True
            break
        if line[:1] in (b" ", b"\t") and names:
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            if line.startswith(b"From ") and not names:  # mbox separator line
                continue
            if b"from" in names and len(names & _MAIL_HEADERS) >= 2:
                complete = True  # a malformed line after the mail headers: readers stop there
                break
            return False
        names.add(line.split(b":", 1)[0].lower())
    known = names & _MAIL_HEADERS
    return (complete or len(head) >= HEAD_SIZE) and b"from" in names and len(known) >= 2


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head
