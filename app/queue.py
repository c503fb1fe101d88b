"""The job queue: Procrastinate, with its state in PostgreSQL or in this process's memory.

Background work (claim-file builds, import checks and applies, the nightly alert refresh) is a
plain service function; `app/jobs.py` registers each one as a Procrastinate task. Where the
queue lives depends on `Settings.jobs_mode` (CONTENTIEUX_JOBS):

- "queue" (the default when CONTENTIEUX_DATABASE_URL names PostgreSQL): jobs are rows of
  Procrastinate's tables in the app's database. The web servers only defer them
  (`PostgresQueue`); `contentieux worker` processes run them (`run_worker`), each sending a
  heartbeat, so that the jobs of a worker gone silent are handed to another one
  (`app.jobs.retry_stalled_jobs`). Any server answers any progress bar: progress, error and
  attempts live on the job's own row (ClaimFileJob, ImportBatch, DocumentJob).
- "inline" (the default on the embedded SQLite database): Procrastinate's in-memory connector,
  its worker on an event loop in a daemon thread of the server (`InlineQueue`). The same task
  functions run there; `contentieux serve` needs nothing more. Jobs a stopped server left
  unfinished are deferred again at its next start (`app.jobs.resume_interrupted`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.testing import InMemoryConnector
from sqlalchemy import make_url
from sqlalchemy.engine import Engine

from app.config import Settings

log = logging.getLogger("contentieux")
RUNTIME = "runtime"  # key of the Runtime in a job's additional context
INLINE_POLL_SECONDS = 0.25
OUR_TASKS = ("claim_file.", "imports.", "documents.", "reminders.", "evidence.",
             "balances.")  # drain waits


@dataclass(frozen=True)
class Runtime:
    """What a task needs besides its arguments: the database and the settings."""

    engine: Engine
    settings: Settings


class Queue(Protocol):
    mode: str

    def defer(self, task: str, **kwargs: Any) -> int:
        """Put a job on the queue; returns its Procrastinate id."""
        ...

    def defer_once(self, task: str, lock: str, **kwargs: Any) -> None:
        """Put a job on the queue unless one with the same `lock` waits there already (it
        will do the same work: the job reads what to do when it runs)."""
        ...

    def close(self) -> None:
        """Stop deferring: give back what it holds (connections, a worker thread)."""
        ...


def worker_label() -> str:
    """host:pid of this process, kept on the jobs it runs."""
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def make_app(connector: Any, *, inline: bool = False) -> procrastinate.App:
    from app import jobs

    queue_app = procrastinate.App(connector=connector)
    jobs.register(queue_app, inline=inline)
    return queue_app


def conninfo(database_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def worker_options(settings: Settings) -> dict[str, Any]:
    return {"update_heartbeat_interval": max(settings.stalled_seconds / 4, 0.5),
            "stalled_worker_timeout": settings.stalled_seconds}


def make_queue(engine: Engine, settings: Settings) -> Queue:
    if settings.jobs_mode == "queue":
        return PostgresQueue(settings)
    return InlineQueue(Runtime(engine, settings))


class MemoryConnector(InMemoryConnector):
    """Procrastinate's in-memory connector, minus its log of every query (a test aid that
    would grow for as long as the server runs)."""

    async def generic_execute(self, query: str, suffix: Any, **arguments: Any) -> Any:
        result = await super().generic_execute(query, suffix, **arguments)
        self.queries.clear()
        return result


class PostgresQueue:
    """Defers jobs into PostgreSQL from the web server's request threads (a small pool)."""

    mode = "queue"

    def __init__(self, settings: Settings) -> None:
        from procrastinate import SyncPsycopgConnector

        self.app = make_app(SyncPsycopgConnector(conninfo=conninfo(settings.database_url),
                                                 min_size=1, max_size=4))
        self._opened = False
        self._lock = threading.Lock()

    def defer(self, task: str, **kwargs: Any) -> int:
        return self._opened_app().configure_task(task).defer(**kwargs)

    def defer_once(self, task: str, lock: str, **kwargs: Any) -> None:
        with contextlib.suppress(AlreadyEnqueued):
            self._opened_app().configure_task(task, queueing_lock=lock).defer(**kwargs)

    def _opened_app(self) -> procrastinate.App:
        with self._lock:
            if not self._opened:
                self.app.open()
                self._opened = True
        return self.app

    def close(self) -> None:
        """Give its connections back (a command that deferred and ends)."""
        with self._lock:
            if self._opened:
                self.app.close()
                self._opened = False


class InlineQueue:
    """Procrastinate's in-memory queue, worked by one worker on a thread of this process.
    Every call into the connector runs on the worker's event loop (it is not thread-safe)."""

    mode = "inline"

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.connector = MemoryConnector()
        self.app = make_app(self.connector, inline=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the worker now (the server's start: its periodic jobs run from then on)."""
        self._started()

    def defer(self, task: str, **kwargs: Any) -> int:
        loop = self._started()
        deferring = self.app.configure_task(task).defer_async(**kwargs)
        return asyncio.run_coroutine_threadsafe(deferring, loop).result(timeout=30)

    def defer_once(self, task: str, lock: str, **kwargs: Any) -> None:
        loop = self._started()
        deferring = self.app.configure_task(task, queueing_lock=lock).defer_async(**kwargs)
        with contextlib.suppress(AlreadyEnqueued):
            asyncio.run_coroutine_threadsafe(deferring, loop).result(timeout=30)

    def _started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._serve, name="contentieux-jobs",
                                                args=(self._loop, self._ready), daemon=True)
                self._thread.start()
            loop, ready = self._loop, self._ready
        ready.wait(timeout=30)
        return loop

    def drain(self, timeout: float = 120) -> None:
        """Wait until no build, import, document or reading is waiting or running (tests, CLI)."""
        loop = self._started()

        async def busy() -> bool:
            return any(job["status"] in ("todo", "doing") and job["task_name"].startswith(OUR_TASKS)
                       for job in self.connector.jobs.values())

        deadline = time.monotonic() + timeout
        while asyncio.run_coroutine_threadsafe(busy(), loop).result(timeout=30):
            if time.monotonic() > deadline:
                raise TimeoutError("background jobs still running")
            time.sleep(0.05)

    def close(self) -> None:
        """Stop the worker (the job it runs is cancelled: it runs again at the next start);
        a later `start` or `defer` starts a new one (an app may be served twice, in tests)."""
        with self._lock:
            loop, task, thread = self._loop, self._task, self._thread
            self._loop = self._task = self._thread = None
            self._ready = threading.Event()
        if loop is None or task is None or thread is None:
            return
        if not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=30)

    def _serve(self, loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        self._task = loop.create_task(self._work(ready))
        try:
            loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        finally:
            loop.close()

    async def _work(self, ready: threading.Event) -> None:
        async with self.app.open_async():
            ready.set()
            await self.app.run_worker_async(
                name=f"inline {worker_label()}", install_signal_handlers=False,
                listen_notify=False, fetch_job_polling_interval=INLINE_POLL_SECONDS,
                additional_context={RUNTIME: self.runtime}, **worker_options(self.runtime.settings))


def run_worker(engine: Engine, settings: Settings, *, concurrency: int = 1,
               once: bool = False) -> None:
    """`contentieux worker`: process PostgreSQL's jobs until stopped (SIGINT, SIGTERM), or
    until none is left with `once`."""
    runtime = Runtime(engine, settings)
    queue_app = make_app(procrastinate.PsycopgConnector(conninfo=conninfo(settings.database_url)))

    async def work() -> None:
        async with queue_app.open_async():
            await queue_app.run_worker_async(
                name=worker_label(), concurrency=concurrency, wait=not once,
                delete_jobs="successful",  # the outcome lives on the job's own row
                additional_context={RUNTIME: runtime}, **worker_options(settings))

    asyncio.run(work())
