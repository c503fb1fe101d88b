"""Deciding what an uploaded file is and what it says, before anything is kept.

`inspect_file()` sniffs the type from the content, runs the checks of that type and returns
the facts to record (media type, pages, note, metadata) and a suggested kind, title and
date; or raises `Refusal` with a French reason naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.evidence import sniff
from app.evidence.images import inspect_image
from app.evidence.kinds import suggest_kind, suggest_title
from app.evidence.mail import inspect_mail
from app.evidence.pdf import MAX_PAGES, inspect_pdf
from app.evidence.refusals import Refusal

EXTENSIONS = {sniff.PDF: ".pdf", sniff.JPEG: ".jpg", sniff.PNG: ".png", sniff.EML: ".eml"}
ACCEPTED_LABEL = "un PDF, une image JPEG ou PNG, ou un e-mail (.eml)"


@dataclass
class Inspection:
    media_type: str
    pages: int
    note: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    kind: str = "other"
    title: str = ""
    document_date: date | None = None


def inspect_file(path: Path, filename: str, max_pdf_pages: int = MAX_PAGES) -> Inspection:
    size = path.stat().st_size
    if size == 0:
        raise Refusal(filename, "le fichier est vide (0 octet).", "empty")
    with path.open("rb") as handle:
        head = handle.read(sniff.HEAD_SIZE)
    media_type = sniff.sniff(head)
    if media_type is None:
        raise Refusal(filename, _type_reason(filename, head), "type")
    if media_type == sniff.PDF:
        result = _pdf(path, filename, max_pdf_pages)
    elif media_type == sniff.EML:
        result = _mail(path, filename)
    else:
        result = _image(path, filename, media_type)
    if not filename.lower().endswith(_extensions(media_type)):
        result.note = " ".join(filter(None, [result.note, _extension_note(filename, media_type)]))
    return result


OUTLOOK_MSG = ("c'est un message Outlook (.msg), que Contentieux ne lit pas : imprimez-le en "
               "PDF depuis Outlook, ou enregistrez-le au format .eml (Outlook sur le web, "
               "Thunderbird), puis déposez ce fichier.")


def _type_reason(filename: str, head: bytes) -> str:
    if filename.lower().endswith(".msg") and head.startswith(b"\xd0\xcf\x11\xe0"):
        return OUTLOOK_MSG  # was "un ancien document Office (.doc/.xls)"
    what = sniff.describe_other(head)
    claimed = _claimed(filename)
    if claimed:
        return (f"son nom se termine par {claimed} mais son contenu est {what} ; "
                f"seuls sont acceptés {ACCEPTED_LABEL}.")
    return f"son contenu est {what} ; seuls sont acceptés {ACCEPTED_LABEL}."


def _claimed(filename: str) -> str:
    lower = filename.lower()
    for extension in (".pdf", ".jpg", ".jpeg", ".png", ".eml"):
        if lower.endswith(extension):
            return extension
    return ""


def _extensions(media_type: str) -> tuple[str, ...]:
    return (".jpg", ".jpeg") if media_type == sniff.JPEG else (EXTENSIONS[media_type],)


def _extension_note(filename: str, media_type: str) -> str:
    label = {sniff.PDF: "PDF", sniff.JPEG: "JPEG", sniff.PNG: "PNG", sniff.EML: "e-mail"}
    return f"Le nom ne correspond pas au contenu : c'est un fichier {label[media_type]}."


def _pdf(path: Path, filename: str, max_pages: int) -> Inspection:
    facts = inspect_pdf(path, filename, max_pages)
    invoice = facts.meta.get("facturx")
    result = Inspection(sniff.PDF, facts.pages, facts.note, facts.meta,
                        kind=suggest_kind(filename, sniff.PDF, facts.text, bool(invoice)),
                        title=suggest_title(filename))
    if invoice:
        result.title = f"Facture n° {invoice['number']}" if invoice["number"] else result.title
        result.document_date = _iso(invoice["issue_date"])
    return result


def _mail(path: Path, filename: str) -> Inspection:
    facts = inspect_mail(path, filename)
    sent = _iso(facts.date[:10]) if facts.date else None
    return Inspection(sniff.EML, 1, "", facts.as_meta(), kind="email",
                      title=(facts.subject or suggest_title(filename))[:300], document_date=sent)


def _image(path: Path, filename: str, media_type: str) -> Inspection:
    facts = inspect_image(path, filename)
    meta = {"image": {"width": facts.width, "height": facts.height,
                      "orientation": facts.orientation,
                      "display_width": facts.display_size[0],
                      "display_height": facts.display_size[1]}}
    return Inspection(media_type, 1, "", meta, kind=suggest_kind(filename, media_type),
                      title=suggest_title(filename))


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
