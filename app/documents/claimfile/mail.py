"""E-mail exhibits (.eml): read the headers, the text and the attachments; render a readable page.

The page shows who wrote to whom, when, the subject and the body as text (an HTML-only e-mail
is reduced to its text: no remote content is ever fetched), then lists the attachments and
says which ones follow it in the file. The e-mail's own bytes stay in the ZIP, untouched.
"""

from __future__ import annotations

import email
import hashlib
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from pathlib import Path

import lxml.html
import pikepdf

from app.documents.claimfile.parts import Section, UnusableFile
from app.documents.claimfile.plan import size_fr
from app.documents.fetcher import html_document
from app.documents.render import capture_warnings, document_env
from app.formatting import date_long_fr

TEMPLATE = "documents/claimfile/email.html"
HEADERS = (("From", "De"), ("To", "À"), ("Cc", "Cc"), ("Date", "Date"), ("Subject", "Objet"))
NOT_PRINTABLE = "non reproduite (format non imprimable) ; conservée dans l'archive ZIP avec l'e-mail"
_KINDS = {"application/pdf": "pdf", "image/jpeg": "image", "image/png": "image",
          "image/tiff": "image", "image/gif": "image"}


@dataclass
class Attachment:
    filename: str
    media_type: str
    data: bytes
    note: str = NOT_PRINTABLE  # what became of it in the claim file

    @property
    def kind(self) -> str | None:
        return _KINDS.get(self.media_type)


@dataclass(frozen=True)
class ReadEmail:
    headers: tuple[tuple[str, str], ...]
    body: str
    attachments: list[Attachment] = field(default_factory=list)


def read_email(path: Path) -> ReadEmail:
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise UnusableFile("l'e-mail est illisible (aucun en-tête).")
    headers = tuple((label, _header(message, name)) for name, label in HEADERS if message[name])
    return ReadEmail(headers, _body_text(message), _attachments(message))


def _header(message: EmailMessage, name: str) -> str:
    value = str(message[name])
    if name != "Date":
        return value
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return value  # shown as written
    if moment.tzinfo is None:
        return f"{date_long_fr(moment.date())} à {moment:%H:%M}"
    offset = moment.strftime("%z")
    return f"{date_long_fr(moment.date())} à {moment:%H:%M} (UTC{offset[:3]}:{offset[3:]})"


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _text_of(part)
    if part.get_content_subtype() == "html":
        text = _html_to_text(text)
    return text.strip()


def _text_of(part: Message) -> str:
    try:
        return str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, UnicodeError):  # unknown or lying charset: keep every byte readable
        payload = part.get_payload(decode=True)
        return payload.decode("latin-1") if isinstance(payload, bytes) else ""


def _html_to_text(html: str) -> str:
    if not html.strip():
        return ""
    tree = lxml.html.fromstring(html)
    for element in tree.xpath("//script|//style|//head"):
        element.drop_tree()
    for element in tree.xpath("//br|//p|//div|//tr|//li|//h1|//h2|//h3"):
        element.tail = "\n" + (element.tail or "")
    lines = (line.strip() for line in tree.text_content().splitlines())
    return "\n".join(lines)


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        media_type = part.get_content_type()
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else part.as_bytes()
        name = part.get_filename() or ("message.eml" if media_type == "message/rfc822"
                                       else "sans nom")
        found.append(Attachment(name, media_type, data))
    return found


def render_email(message: ReadEmail, target: Path) -> Section:
    """Write the e-mail's page(s) to `target`; returns the Section describing them."""
    listing = [
        {"name": a.filename, "size": size_fr(len(a.data)), "note": a.note}
        for a in message.attachments
    ]
    html = document_env().get_template(TEMPLATE).render(
        headers=message.headers, body=message.body, attachments=listing)
    with capture_warnings() as warnings:
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        html_document(html).write_pdf(target, pdf_identifier=identifier)
    if warnings:
        raise UnusableFile("l'e-mail n'a pas pu être mis en page (" + warnings[0] + ").")
    with pikepdf.open(target) as pdf:
        pages = len(pdf.pages)
    return Section(target, pages, margin=True)
