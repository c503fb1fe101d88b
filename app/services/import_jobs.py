"""Running an import's dry run or apply: within the request for a small file, in a background
thread for a big one (a 200,000-line FEC takes several seconds), with progress the page polls.

Progress lives in this process's memory while the job runs: with SQLite the import holds the
only write lock, so it cannot also commit progress rows. The batch's status is committed before
the thread starts and, with the data, when it ends.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.errors import DomainError, ValidationFailed
from app.models import ImportBatch
from app.services import imports
from app.services.context import Actor

log = logging.getLogger("contentieux")
MODES = {"check": ("checking", imports.check), "apply": ("applying", imports.apply)}
UNEXPECTED = ("L'import s'est interrompu sur une erreur inattendue ; rien n'a été enregistré. "
              "Réessayez, et si elle revient, signalez le numéro de l'import.")

_progress: dict[int, int] = {}
_threads: dict[int, threading.Thread] = {}


def progress_of(batch: ImportBatch) -> int:
    return _progress.get(batch.id, batch.progress)  # type: ignore[arg-type]


def is_running(batch: ImportBatch) -> bool:
    thread = _threads.get(batch.id)  # type: ignore[arg-type]
    return thread is not None and thread.is_alive()


def launch(engine: Engine, settings: Settings, session: Session, actor: Actor,
           batch: ImportBatch, mode: str, *, inline_bytes: int = imports.INLINE_BYTES) -> None:
    """Run `mode` ("check" or "apply") now if the file is small, else in a thread."""
    actor.require_write()
    status, _ = MODES[mode]
    if batch.status in imports.RUNNING:
        raise DomainError("Cet import est déjà en cours : attendez la fin.")
    if mode == "apply" and batch.status != "checked":
        raise DomainError("Lancez d'abord la simulation, puis confirmez l'import.")
    if imports.work_size(settings, batch) <= inline_bytes:  # a workbook: its inflated size
        _guarded(session, actor, settings, batch.id, mode)  # type: ignore[arg-type]
        return
    batch.status, batch.progress, batch.error = status, 0, ""
    session.add(batch)
    session.commit()
    _progress[batch.id] = 0  # type: ignore[index]
    thread = threading.Thread(target=_job, args=(engine, settings, actor, batch.id, mode),
                              name=f"import-{batch.id}", daemon=True)
    _threads[batch.id] = thread  # type: ignore[index]
    thread.start()


def wait(batch_id: int, timeout: float = 600) -> None:
    """Block until the batch's thread ends (tests, CLI)."""
    thread = _threads.get(batch_id)
    if thread is not None:
        thread.join(timeout)


def _job(engine: Engine, settings: Settings, actor: Actor, batch_id: int, mode: str) -> None:
    with Session(engine, expire_on_commit=False) as session:
        try:
            _guarded(session, actor, settings, batch_id, mode)
        except Exception:  # already logged and recorded on the batch
            pass
        finally:
            _progress.pop(batch_id, None)


def _guarded(session: Session, actor: Actor, settings: Settings, batch_id: int,
             mode: str) -> None:
    """Run the step; on failure roll everything back and say why on the batch."""
    batch = imports.get(session, actor, batch_id)
    _, step = MODES[mode]

    def progress(fraction: float) -> None:
        _progress[batch_id] = int(fraction * 100)

    try:
        step(session, actor, settings, batch, progress)
    except DomainError as exc:
        _fail(session, actor, batch_id, _status_after(exc, mode), exc.message)
        raise
    except Exception:
        log.exception("import %s failed (%s)", batch_id, mode)
        _fail(session, actor, batch_id, "failed", UNEXPECTED)
        raise


def _status_after(exc: DomainError, mode: str) -> str:
    """A refused file is final; a bad mapping can be fixed; a failed apply can be retried."""
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
