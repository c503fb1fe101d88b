"""Accepted means it fits the claim file: an upload goes through the build's own work first.

`check_fit` runs `app.documents.claimfile.trial` on an inspected file and records the pages it
takes in the claim file; an e-mail also keeps its own pages and its attachments' pages, so that
`refresh_email_pages` can follow the attachments later produced as exhibits of their own.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from app.documents.claimfile.trial import DoesNotFit, trial
from app.evidence import Inspection, Refusal
from app.models import Evidence

PAGES_KEY = "claim_file_pages"  # meta of an e-mail: its pages and its attachments' pages


def check_fit(path: Path, name: str, found: Inspection) -> None:
    """Accepted means it fits the claim file: the build's own work is tried now. The pages
    recorded are those the exhibit takes in the claim file (an e-mail's rendered pages)."""
    try:
        fit = trial(path, found.media_type, name)
    except DoesNotFit as exc:
        raise Refusal(name, exc.reason, "damaged") from exc
    found.pages = fit.pages
    found.note = " ".join(filter(None, [found.note, fit.note]))
    if found.media_type == "message/rfc822":
        found.meta[PAGES_KEY] = {"body": fit.body_pages, "attachments": dict(fit.attachments)}


def refresh_email_pages(session: Session, email_item: Evidence) -> None:
    """An e-mail's pages in the claim file: its own, plus the attachments it reproduces, that is
    those not produced as active exhibits of their own."""
    counts = (email_item.meta or {}).get(PAGES_KEY)
    if not counts:
        return
    own = {e.original_name for e in session.exec(select(Evidence).where(
        Evidence.parent_id == email_item.id)) if e.withdrawn_at is None}
    email_item.pages = counts["body"] + sum(
        pages for name, pages in counts["attachments"].items() if name not in own)
    session.add(email_item)
