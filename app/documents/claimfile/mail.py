"""E-mail exhibits (.eml): read the headers, the text and the attachments; render a readable page.

The page shows who wrote to whom, when, the subject and the body as text (an HTML-only e-mail
is reduced to its text: no remote content is ever fetched), then lists the attachments and
says which ones follow it in the file. The e-mail's own bytes stay in the ZIP, untouched.
"""

from __future__ import annotations

import email
import hashlib
import re
import unicodedata
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
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
              "shift_jis": "cp932", "iso-8859-1": "cp1252", "us-ascii": "cp1252",
              "iso-8859-11": "cp874", "tis-620": "cp874", "big5": "big5hkscs"}
_MISSING = re.compile(r'unsupported by fonts: "(.+?)" \(U\+[0-9A-F]+\)', re.S)
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
    note: str = ""


def read_email(path: Path) -> ReadEmail:
    try:
        with path.open("rb") as handle:
            message = email.message_from_binary_file(handle, policy=policy.default)
        if not isinstance(message, EmailMessage) or not message.keys():
            raise UnusableFile("l'e-mail est illisible (aucun en-tête).")
        headers = tuple((label, _header(message, name))
                        for name, label in HEADERS if message[name])
        body, attachments = _body_text(message), _attachments(message)
    except RecursionError as error:
        raise UnusableFile("l'e-mail contient des parties imbriquées trop profondément.") \
            from error
    texts = [printable(value) for _label, value in headers] + [printable(body)]
    headers = tuple((label, text) for (label, _v), (text, _n) in zip(headers, texts, strict=False))
    replaced = sum(count for _text, count in texts)
    note = (f"{replaced} caractère{'s' if replaced > 1 else ''} de cet e-mail "
            f"(usage privé ou non attribué{'s' if replaced > 1 else ''} par Unicode) "
            f"n'existe{'nt' if replaced > 1 else ''} dans aucune police : "
            f"imprimé{'s' if replaced > 1 else ''} « \ufffd »." if replaced else "")
    return ReadEmail(headers, texts[-1][0], attachments, note)


def printable(text: str) -> tuple[str, int]:
    """The text with control characters dropped (line breaks and tabs kept) and characters no
    font can have (private use, unassigned, lone surrogates) shown as U+FFFD; and how many."""
    kept, replaced = [], 0
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" and char not in "\n\t":
            continue
        if category in ("Co", "Cn", "Cs"):
            kept.append("\ufffd")
            replaced += 1
            continue
        kept.append(char)
    return "".join(kept), replaced


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
    """The part's text: its declared charset if the bytes are valid in it, else UTF-8 (often
    sent under another label), else a superset of the declared charset, else with
    replacement characters where bytes are invalid."""
    payload = part.get_payload(decode=True)
    charset = (part.get_content_charset() or "us-ascii").lower()
    if isinstance(payload, bytes):
        for candidate in (charset, "utf-8", _SUPERSETS.get(charset)):
            if candidate:
                try:
                    return payload.decode(candidate)
                except (LookupError, UnicodeError):
                    continue
    try:
        return str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, UnicodeError):  # unknown or lying charset: keep every byte readable
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
        {"name": printable(a.filename)[0], "size": size_fr(len(a.data)), "note": a.note}
        for a in message.attachments
    ]
    html = document_env().get_template(TEMPLATE).render(
        headers=message.headers, body=message.body, attachments=listing)
    with capture_warnings() as warnings:
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        html_document(html).write_pdf(target, pdf_identifier=identifier)
    missing = sorted({match.group(1) for match in map(_MISSING.search, warnings) if match})
    if missing:
        shown = ", ".join(f"« {char} » (U+{ord(char):04X})" for char in missing[:8])
        more = f" et {len(missing) - 8} autres" if len(missing) > 8 else ""
        raise UnusableFile(f"l'e-mail contient des caractères qu'aucune police installée ne "
                           f"sait imprimer : {shown}{more} ; déposez-en une impression en PDF.")
    if warnings:
        raise UnusableFile("l'e-mail n'a pas pu être mis en page (" + warnings[0] + ").")
    with pikepdf.open(target) as pdf:
        pages = len(pdf.pages)
    return Section(target, pages, margin=True)
