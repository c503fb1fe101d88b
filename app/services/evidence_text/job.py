"""Reading pièces in the background (task `evidence.read`, app/jobs.py), never in a request.

`launch` marks the uploaded pièces "pending" and queues them; the worker's `run` reads one
(OCR when it is a scan or a photo), stores the OCR'd copy as a blob of its own beside the
untouched original (`Evidence.ocr_sha256`), the text and the suggestions, and marks it
"done", or "failed" with why. An unexpected error is retried like other jobs; the attempts
are counted on the pièce (its `meta`), so a server stopped mid-OCR does not loop forever:
killed three times, it is failed with why, and "Relire le texte" (`relaunch`) reads it again.
A pièce left "pending" with no job to read it (its server died between the two) is failed by
the queue's orphan sweep (app/services/orphans.py, `fail_unqueued`).
Without OCR installed a scan stays "none": the evidence section says OCR is off.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.evidence import ocr
from app.models import Evidence
from app.services.attempts import Attempt
from app.services.context import Actor
from app.services.evidence_text.reading import NeedsOcr, Reading, read
from app.services.evidence_text.store import store_text
from app.storage import CHUNK, FileStore

if TYPE_CHECKING:
    from app.queue import Queue

log = logging.getLogger("contentieux")
READ_TASK = "evidence.read"
UNEXPECTED = "La lecture du texte s'est arrêtée sur une erreur inattendue."
GAVE_UP = ("La lecture du texte a été interrompue {n} fois (serveur arrêté, ou fichier trop "
           "lourd) : abandonnée. « Relire le texte » la relance ; si cela recommence, "
           "signalez-le.")
NOT_QUEUED = ("La lecture du texte n'a pas pu être confiée au service des travaux en "
              "arrière-plan (serveur arrêté entre-temps) ; rien n'a été lu. « Relire le texte » "
              "la relance.")


def launch(session: Session, queue: Queue | None, items: Sequence[Evidence]) -> None:
    """Queue the reading of freshly stored pièces; a queue that refuses leaves them unread."""
    if queue is None:
        return
    mark_pending(session, items)
    for evidence in items:
        try:
            queue.defer(READ_TASK, evidence_id=evidence.id)
        except Exception:
            log.exception("reading of evidence %s could not be queued", evidence.id)
            _finish(session, evidence, "none", "")


def mark_pending(session: Session, items: Sequence[Evidence]) -> None:
    """To be read: by the jobs deferred next, or by a server that starts inline, which
    defers every pièce still pending (app/jobs.py `resume_interrupted`)."""
    for evidence in items:
        evidence.text_status = "pending"
        session.add(evidence)
    session.commit()


def relaunch(session: Session, actor: Actor, queue: Queue | None, evidence: Evidence) -> None:
    """"Lire le texte": a pièce left unread (OCR was off) or failed, read again from scratch."""
    actor.require_write()
    if evidence.text_status == "pending" or evidence.withdrawn_at is not None:
        return
    evidence.meta = {k: v for k, v in evidence.meta.items()
                     if k not in ("text_attempts", "text_error")}
    evidence.text_status = "none"  # run() skips a pièce already "done"
    launch(session, queue, [evidence])


def pending_ids(session: Session) -> list[int]:
    """Pièces waiting to be read (a stopped inline server's lost queue: read them again),
    withdrawn ones too: else they would say "en cours" for ever."""
    query = select(Evidence.id).where(Evidence.text_status == "pending")
    return [i for i in session.exec(query) if i is not None]


def fail_unqueued(engine: Engine, evidence_id: int) -> int:
    """A pièce "pending" that no job of the queue will read: failed with why (1), unless a
    reading came meanwhile (0)."""
    with Session(engine, expire_on_commit=False) as session:
        evidence = session.get(Evidence, evidence_id, with_for_update=True)
        if evidence is None or evidence.text_status != "pending":
            return 0
        _finish(session, evidence, "failed", NOT_QUEUED)
    return 1


def run(engine: Engine, files_dir: Path, evidence_id: int, attempt: Attempt | None = None,
        ocr_on: bool | None = None) -> None:
    """Read one pièce, once. Without `attempt` (a test, no queue) an unexpected error fails it
    at once; within the queue it is raised again for a retry, until the last attempt."""
    ocr_on = ocr.available() if ocr_on is None else ocr_on
    store = FileStore(files_dir)
    with Session(engine, expire_on_commit=False) as session:
        evidence = session.get(Evidence, evidence_id)
        if evidence is None or evidence.text_status == "done":
            return
        recorded = int(evidence.meta.get("text_attempts", 0))
        attempt = (attempt or Attempt(1, "")).after(recorded if attempt else 0)
        if attempt.exhausted:
            _finish(session, evidence, "failed", GAVE_UP.format(n=attempt.number - 1))
            return
        evidence.meta = {**evidence.meta, "text_attempts": attempt.number}
        session.add(evidence)
        session.commit()
        try:
            with store.scratch(prefix="ocr-") as workdir:
                found = read(store.path_for(evidence.sha256), evidence.media_type,
                             evidence.pages, evidence.meta, workdir, ocr_on)
                _keep(session, store, evidence, found)
        except NeedsOcr:
            _finish(session, evidence, "none", "")
        except ocr.OcrFailed as exc:
            session.rollback()
            _finish(session, evidence, "failed", exc.message)
        except Exception:
            log.exception("reading evidence %s failed (attempt %s)", evidence_id, attempt.number)
            session.rollback()
            if attempt.worker and not attempt.last:
                raise
            _finish(session, evidence, "failed", UNEXPECTED)
            if attempt.worker:
                raise


def _keep(session: Session, store: FileStore, evidence: Evidence, found: Reading) -> None:
    """The OCR'd copy into the store (before its row names it), then text and suggestions."""
    staged = None
    if found.ocr_pdf is not None:
        staged = store.stage()
        with found.ocr_pdf.open("rb") as source:
            while chunk := source.read(CHUNK):
                staged.write(chunk)
        evidence.ocr_sha256 = staged.commit()
    store_text(session, evidence, found.text, found.source, found.pages)
    session.commit()
    del staged  # its "placed" marker goes only now that a row names the copy


def _finish(session: Session, evidence: Evidence, status: str, error: str) -> None:
    session.refresh(evidence)
    evidence.text_status = status
    meta = {k: v for k, v in evidence.meta.items() if k != "text_error"}
    evidence.meta = {**meta, "text_error": error} if error else meta
    session.add(evidence)
    session.commit()
