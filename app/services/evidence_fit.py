"""Accepted means it fits the claim file: an upload goes through the build's own work first.

`check_fit` runs `app.documents.claimfile.trial` on an inspected file and records the pages it
takes in the claim file; an e-mail also keeps its own pages and its attachments' pages, each
attachment known by its index in the e-mail, so that `refresh_email_pages` can follow the
attachments later produced as exhibits of their own (such an exhibit keeps that index).
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from app.documents.claimfile.trial import DoesNotFit, trial
from app.evidence import Inspection, Refusal
from app.models import Evidence

PAGES_KEY = "claim_file_pages"  # meta of an e-mail: its pages and its attachments' pages
INDEX_KEY = "email_attachment"  # meta of an exhibit added from an e-mail: its index there


def check_fit(path: Path, name: str, found: Inspection, max_pages: int | None = None) -> None:
    """Accepted means it fits the claim file: the build's own work is tried now. The pages
    recorded are those the exhibit takes in the claim file (an e-mail's rendered pages);
    `max_pages`, those an e-mail's attachments may take in all, as one PDF's."""
    try:
        fit = trial(path, found.media_type, name, max_pages)
    except DoesNotFit as exc:
        raise Refusal(name, exc.reason, "damaged") from exc
    found.pages = fit.pages
    found.note = " ".join(filter(None, [found.note, fit.note]))
    if found.media_type == "message/rfc822":
        found.meta[PAGES_KEY] = {"body": fit.body_pages, "attachments": [
            {"index": index, "pages": pages} for index, pages in fit.attachments]}


def attachment_key(item: Evidence) -> int | str:
    """How an exhibit added from an e-mail is known among the e-mail's attachments: its index
    there; its file name if it was added before indices were kept."""
    index = (item.meta or {}).get(INDEX_KEY)
    return index if isinstance(index, int) else item.original_name


def refresh_email_pages(session: Session, email_item: Evidence) -> None:
    """An e-mail's pages in the claim file: its own, plus the attachments it reproduces, that is
    those not produced as active exhibits of their own."""
    meta = email_item.meta or {}
    counts = meta.get(PAGES_KEY)
    if not counts:
        return
    own = {attachment_key(e) for e in session.exec(select(Evidence).where(
        Evidence.parent_id == email_item.id)) if e.withdrawn_at is None}
    listed = counts["attachments"]
    if isinstance(listed, dict):  # written before indices were kept: {file name: pages}
        names = {a.get("index"): a.get("filename")
                 for a in (meta.get("email") or {}).get("attachments", [])}
        own |= {names.get(key) for key in own if isinstance(key, int)}
        reproduced = sum(pages for name, pages in listed.items() if name not in own)
    else:
        reproduced = sum(entry["pages"] for entry in listed
                         if entry["index"] is None or entry["index"] not in own)
    email_item.pages = counts["body"] + reproduced
    session.add(email_item)
