"""E-mail exhibits (.eml): read the headers, the text and the attachments; render a readable page.

The page shows who wrote to whom, when, the subject and the body as text (an HTML-only e-mail
is reduced to its text: no remote content is ever fetched), any forwarded message under its own
headers, then lists the attachments and says which ones follow it in the file. The text is read
as `app.evidence.mail` reads it for the preview and the search. The e-mail's own bytes stay in
the ZIP, untouched; a body longer than MAX_PRINTED is printed up to there, with a note.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pikepdf

from app.documents.claimfile.parts import Section, UnusableFile
from app.documents.claimfile.plan import size_fr
from app.documents.fetcher import html_document
from app.documents.render import capture_warnings, document_env
from app.evidence import mail as mail_facts
from app.formatting import number_fr

TEMPLATE = "documents/claimfile/email.html"
_MISSING = re.compile(r'unsupported by fonts: "(.+?)" \(U\+[0-9A-F]+\)', re.S)
HEADERS = mail_facts.SHOWN_HEADERS
NOT_PRINTABLE = "non reproduite (format non imprimable) ; conservée dans l'archive ZIP avec l'e-mail"
_KINDS = {"application/pdf": "pdf", "image/jpeg": "image", "image/png": "image",
          "image/tiff": "image", "image/gif": "image"}
# Characters of text printed (about 20 pages): the rest of a longer e-mail stays in its file.
MAX_PRINTED = 100_000
# WeasyPrint lays a text box out again from where each line starts: the body goes to it in
# blocks of about this many characters (one block per e-mail made a long one quadratic).
BLOCK = 4_000
# A run of characters with no break opportunity gets one (an invisible zero-width space) every
# RUN characters: laid out as one "word", a 50,000-character run took 40 s, a longer one was cut.
# Scripts written without spaces (Thai, Lao, Khmer, Myanmar, CJK) break between words already.
RUN = 25
_NO_SPACES = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef" \
    "\U00020000-\U0003ffff"
_LONG_RUN = re.compile(rf"[^\s\u200b{_NO_SPACES}]{{{2 * RUN},}}")
ZWSP = "\u200b"


@dataclass
class Attachment:
    filename: str
    media_type: str
    data: bytes
    # its index among the e-mail's attachments (`app.evidence.mail.attachment_parts`, what
    # "add attachment N as a pièce" uses); None for a part listed only here
    index: int | None = None
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
    left_out: int = 0  # characters of the text beyond MAX_PRINTED, not printed


def read_email(path: Path) -> ReadEmail:
    try:
        message = mail_facts.parse_message(path)  # as the preview and the search read it
        if not message.keys():
            raise UnusableFile("l'e-mail est illisible (aucun en-tête).")
        headers = tuple((label, mail_facts.shown_header(message, name))
                        for name, label in HEADERS if name in message)  # not parsed
        body, attachments = mail_facts.readable_text(message), _attachments(message)
    except RecursionError as error:
        raise UnusableFile("l'e-mail contient des parties imbriquées trop profondément.") \
            from error
    body, left_out = _within(body, MAX_PRINTED)
    texts = [printable(value) for _label, value in headers] + [printable(body)]
    headers = tuple((label, text) for (label, _v), (text, _n) in zip(headers, texts, strict=False))
    replaced = sum(count for _text, count in texts)
    note = (f"{replaced} caractère{'s' if replaced > 1 else ''} de cet e-mail "
            f"(usage privé ou non attribué{'s' if replaced > 1 else ''} par Unicode) "
            f"n'existe{'nt' if replaced > 1 else ''} dans aucune police : "
            f"imprimé{'s' if replaced > 1 else ''} « \ufffd »." if replaced else "")
    return ReadEmail(headers, texts[-1][0], attachments, note, left_out)


def _within(text: str, limit: int) -> tuple[str, int]:
    """The text up to `limit` characters, cut at a line end if one is near; and how many
    characters were left out."""
    if len(text) <= limit:
        return text, 0
    line_end = text.rfind("\n", limit - limit // 10, limit)
    kept = text[:line_end if line_end > 0 else limit].rstrip()
    return kept, len(text) - len(kept)


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


def _attachments(message: EmailMessage) -> list[Attachment]:
    """The attached files wherever they sit (a forwarded message's too; the message itself
    when it is one file, as `attachment_parts` finds them), each with the index "add
    attachment N as a pièce" knows it by; then any other top-level part mail clients show as
    an attachment (an unnamed image, a delivery report), listed without an index. A forwarded
    message itself is printed with the text, not listed."""
    indexed = mail_facts.attachment_parts(message)
    found = [_attachment(part, index) for index, part in enumerate(indexed)]
    known = {id(part) for part in indexed}
    for part in message.iter_attachments():
        if id(part) not in known and not part.is_multipart():
            found.append(_attachment(part, None))
    return found


def _attachment(part: EmailMessage, index: int | None) -> Attachment:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else part.as_bytes()
    name = mail_facts.attachment_name(part, index) if index is not None \
        else str(part.get_filename() or "sans nom")
    return Attachment(name, part.get_content_type(), data, index)


def render_email(message: ReadEmail, target: Path) -> Section:
    """Write the e-mail's page(s) to `target`; returns the Section describing them."""
    listing = [
        {"name": printable(a.filename)[0], "size": size_fr(len(a.data)), "note": a.note}
        for a in message.attachments
    ]
    headers = [(label, _breakable(value)) for label, value in message.headers]
    left_out = (f"Texte abrégé à l'impression : les {number_fr(message.left_out, 0)} derniers "
                f"caractères ne sont pas reproduits ici ; l'e-mail complet est le fichier "
                f"d'origine (.eml), conservé avec la pièce dans l'archive ZIP."
                if message.left_out else "")
    html = document_env().get_template(TEMPLATE).render(
        headers=headers, blocks=blocks(_breakable(message.body)), left_out=left_out,
        attachments=listing)
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


def blocks(text: str) -> list[str]:
    """The text in blocks of about BLOCK characters, cut at a line end (never after an empty
    line, which the cut would lose), or inside a longer paragraph after a space."""
    found, start = [], 0
    while len(text) - start > BLOCK:
        end, skip = _block_end(text, start)
        found.append(text[start:end])
        start = end + skip
    if text[start:]:
        found.append(text[start:])
    return found


def _block_end(text: str, start: int) -> tuple[int, int]:
    """Where the block starting at `start` ends, and how many characters the cut drops: at a
    line end past BLOCK characters, else before, the newline dropped (the block's end breaks
    the line), never at the end of an empty line (the cut would lose it); inside a paragraph
    longer than that, after a space."""
    limit, far = start + BLOCK, start + 2 * BLOCK
    ahead = text.find("\n", limit, far)
    while ahead != -1 and text[ahead - 1] == "\n":
        ahead = text.find("\n", ahead + 1, far)
    if ahead != -1:
        return ahead, 1
    behind = text.rfind("\n", start + 1, limit)
    while behind != -1 and text[behind - 1] == "\n":
        behind = text.rfind("\n", start + 1, behind)
    if behind != -1:
        return behind, 1
    space = max(text.rfind(" ", start, limit), text.rfind(ZWSP, start, limit))
    cut = space + 1 if space > start else limit
    while cut < len(text) and _joined(text[cut - 1], text[cut]):  # a script with no spaces
        cut += 1
    return cut, 1 if text[cut:cut + 1] == "\n" else 0


def _breakable(text: str) -> str:
    """The text with a break opportunity every RUN characters of a run that has none (a URL,
    a token, a line of one letter), never inside a character and its combining marks."""
    return _LONG_RUN.sub(lambda run: _break_run(run.group(0)), text)


def _break_run(run: str) -> str:
    pieces, start = [], 0
    while len(run) - start > RUN:
        cut = start + RUN
        while cut < len(run) and _joined(run[cut - 1], run[cut]):
            cut += 1
        pieces.append(run[start:cut])
        start = cut
    pieces.append(run[start:])
    return ZWSP.join(pieces)


def _joined(before: str, char: str) -> bool:
    return unicodedata.category(char).startswith("M") or "\u200d" in (before, char)
