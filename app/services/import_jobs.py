"""Running an import's dry run or apply: within the request for a small file, on the job queue
(app/queue.py) for a big one (a 200,000-line FEC takes several seconds), with progress the
page polls.

The batch's status, attempt and worker are committed before the step runs, and with the data
when it ends; its progress goes to the batch row in a connection of its own: any server
answers the page, on SQLite as on PostgreSQL. SQLite has one writer: while the import itself
holds the write lock (its last second or so, the bulk write: app/services/import_bulk.py),
progress is not written, the bar waits at its last value. An import applies once: a batch
already done is left as it is, and the apply is one transaction.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.config import Settings
from app.errors import DomainError, ValidationFailed
from app.models import ImportBatch
from app.services import imports
from app.services.attempts import GAVE_UP, Attempt
from app.services.context import Actor

if TYPE_CHECKING:
    from app.queue import Queue

log = logging.getLogger("contentieux")
MODES = {"check": ("checking", imports.check), "apply": ("applying", imports.apply)}
TASKS = {"check": "imports.check", "apply": "imports.apply"}  # app/jobs.py
RUNNING = imports.RUNNING
UNEXPECTED = ("L'import s'est interrompu sur une erreur inattendue ; rien n'a été enregistré. "
              "Réessayez, et si elle revient, signalez le numéro de l'import.")
RETRYING = "Erreur inattendue à l'essai {n} : nouvel essai en cours."
NOT_QUEUED = ("L'import n'a pas pu être confié au service des travaux en arrière-plan "
              "(indisponible) ; rien n'a été lancé ni enregistré. Relancez-le.")

def launch(queue: Queue, settings: Settings, session: Session, actor: Actor,
           batch: ImportBatch, mode: str, *, inline_bytes: int = imports.INLINE_BYTES) -> None:
    """Run `mode` ("check" or "apply") now if the file is small, else on the queue."""
    actor.require_write()
    status, _ = MODES[mode]
    if batch.status in imports.RUNNING:
        raise DomainError("Cet import est déjà en cours : attendez la fin.")
    if mode == "apply" and batch.status != "checked":
        raise DomainError("Lancez d'abord la simulation, puis confirmez l'import.")
    if imports.work_size(settings, batch) <= inline_bytes:  # a workbook: its inflated size
        _guarded(session, actor, settings, batch.id, mode)  # type: ignore[arg-type]
        return
    batch.status, batch.progress, batch.error, batch.attempts = status, 0, "", 0
    session.add(batch)
    session.commit()
    try:
        queue.defer(TASKS[mode], batch_id=batch.id, user_id=actor.user_id, role=actor.role)
    except Exception:  # the row is committed: it must not wait for a job that does not exist
        log.exception("import %s could not be queued (%s)", batch.id, mode)
        _fail(session, actor, batch.id, "failed", NOT_QUEUED)  # type: ignore[arg-type]


def run(engine: Engine, settings: Settings, batch_id: int, mode: str, user_id: int, role: str,
        attempt: Attempt) -> None:
    """The queue's job: run the step once (a batch past it is left alone), recording the
    attempt; an unexpected error is raised again for the queue to retry, until the last."""
    status, _ = MODES[mode]
    with Session(engine, expire_on_commit=False) as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None or batch.status != status:
            return  # done already, or given up: an import applies once
        actor = Actor(user_id=user_id, creditor_id=batch.creditor_id, role=role)
        attempt = attempt.after(batch.attempts)
        if attempt.exhausted:
            _fail(session, actor, batch_id, _status_after(None, mode),
                  GAVE_UP.format(n=attempt.number - 1))
            return
        batch.attempts, batch.worker = attempt.number, attempt.worker
        session.add(batch)
        session.commit()
        try:
            _guarded(session, actor, settings, batch_id, mode, retry=not attempt.last)
        except DomainError:
            return  # recorded on the batch: a refused file is not retried


def _guarded(session: Session, actor: Actor, settings: Settings, batch_id: int,
             mode: str, *, retry: bool = False) -> None:
    """Run the step; on failure roll everything back and say why on the batch."""
    batch = imports.get(session, actor, batch_id)
    _, step = MODES[mode]
    try:
        step(session, actor, settings, batch, _reporter(session, batch_id))  # type: ignore[arg-type]
    except DomainError as exc:
        _fail(session, actor, batch_id, _status_after(exc, mode), exc.message)
        raise
    except Exception:
        log.exception("import %s failed (%s)", batch_id, mode)
        if retry:
            _fail(session, actor, batch_id, MODES[mode][0],
                  RETRYING.format(n=imports.get(session, actor, batch_id).attempts))
        else:
            _fail(session, actor, batch_id, _status_after(None, mode), UNEXPECTED)
        raise


def _reporter(session: Session, batch_id: int):  # type: ignore[no-untyped-def]
    """progress(fraction): to the batch row, in a connection of its own, each new percent
    (Core, not the ORM: a progress write is not a change of the creditor's data)."""
    engine: Engine = session.get_bind()  # type: ignore[assignment]
    last = [-1]

    def progress(fraction: float) -> None:
        percent = max(0, min(int(fraction * 100), 99))
        if percent <= last[0] or holds_sqlite_write_lock(session):
            return
        last[0] = percent
        with engine.begin() as connection:
            connection.execute(update(ImportBatch).where(col(ImportBatch.id) == batch_id)
                               .values(progress=percent))

    return progress


def holds_sqlite_write_lock(session: Session) -> bool:
    """True once the session has written in its SQLite transaction: another connection's
    write would wait for its commit (Python's sqlite3 begins a transaction at the first
    write, reads before it hold no lock)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite" or not session.in_transaction():
        return False
    return bool(session.connection().connection.dbapi_connection.in_transaction)  # type: ignore[union-attr]


def _status_after(exc: DomainError | None, mode: str) -> str:
    """A refused file is final; a bad mapping can be fixed; a failed apply can be retried;
    an unexpected error (None) fails the batch, which can be simulated again."""
    if exc is None:
        return "failed"
    if mode == "apply":
        return "checked"
    if isinstance(exc, ValidationFailed) and "mapping" in exc.errors:
        return "uploaded"
    return "refused"


def _fail(session: Session, actor: Actor, batch_id: int, status: str, message: str) -> None:
    session.rollback()
    batch = imports.get(session, actor, batch_id)
    batch.status, batch.error, batch.progress = status, message[:2000], 0
    session.add(batch)
    session.commit()
