"""Every background job, registered in one place.

A job is a plain service function: the same one runs in a `contentieux worker`, in the server
process on the embedded default (app/queue.py), and in a test without any queue. Its task
here only reads the job's context (database, settings, attempt number) and calls it.

| Task | Service | When |
| --- | --- | --- |
| `claim_file.build` | `claim_file_run.run` | a user asks for a claim file |
| `imports.check`, `imports.apply` | `import_jobs.run` | a big import is simulated, applied |
| `evidence.read` | `evidence_text.run` | a pièce is uploaded: its text read (OCR of scans, photos) |
| `documents.render` | `document_jobs.run` | a user asks for a letter or requête on the debtor page |
| `alerts.refresh` | `alerts.refresh_stale` | every night (02:30): the day changed |
| `reminders.run` | `reminders.run.run` | a creditor's reminder run (API, command line) |
| `reminders.send` | `reminders.run.send_pending` | "Relances du jour": the messages a user sent |
| `reminders.morning` | `reminders.run.morning` | 07:00: creditors with "envoi automatique" on |
| `reminders.next_actions` | `reminders.followers.refresh` | a scenario or the minimum amount changed |
| `balances.refresh` | `rebalance.refresh` | the creditor's penalty terms or the rates changed |
| `reminders.retry` | `reminders.run.retry_all` | every 5 min (PostgreSQL): 4xx refusals due |
| `queue.retry_stalled` | Procrastinate's job manager | every 5 s (PostgreSQL): dead workers' jobs, scratch |
| `queue.prune` | Procrastinate's job manager | every night: failed jobs > 3 days |
| `queue.fail_orphans` | `orphans.sweep` | every minute (PostgreSQL): rows no job will run |
| `accounts.prune` | `credentials.prune_expired` | every night: expired sessions and API tokens |

Later background work registers here the same way:
a service function, a task name, `@queue_app.periodic(cron=…)` if time starts it.

Retries: a job whose function raises an unexpected error runs again (MAX_ATTEMPTS in all);
the service records each failure on its own row and, at the last attempt, stops with the
error shown to the user. A domain failure (a refused file, a missing exhibit) is final at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date, datetime
from typing import Any

import procrastinate
from procrastinate.job_context import JobContext
from sqlmodel import Session, col, select

from app.models import ClaimFileJob, DocumentJob, ImportBatch
from app.ops.inventory import referenced_files
from app.queue import RUNTIME, Queue, Runtime, worker_label
from app.services import (
    alerts,
    claim_file,
    claim_file_run,
    credentials,
    document_jobs,
    evidence_text,
    import_jobs,
    orphans,
    rebalance,
)
from app.services.attempts import MAX_ATTEMPTS, Attempt
from app.services.reminders import followers
from app.services.reminders import run as reminders_run
from app.storage import FileStore

log = logging.getLogger("contentieux")

BUILD_CLAIM_FILE = "claim_file.build"
CHECK_IMPORT = "imports.check"
APPLY_IMPORT = "imports.apply"
READ_EVIDENCE = evidence_text.READ_TASK  # "evidence.read"
RENDER_DOCUMENT = document_jobs.RENDER_TASK
REFRESH_ALERTS = "alerts.refresh"
RETRY_STALLED = "queue.retry_stalled"
PRUNE = "queue.prune"
FAIL_ORPHANS = "queue.fail_orphans"
PRUNE_CREDENTIALS = "accounts.prune"
RUN_REMINDERS = "reminders.run"
SEND_REMINDERS = "reminders.send"
MORNING_REMINDERS = "reminders.morning"
RETRY_REMINDERS = "reminders.retry"
NEXT_ACTIONS = followers.TASK  # "reminders.next_actions"
REBALANCE = rebalance.TASK  # "balances.refresh"
RETRY = procrastinate.RetryStrategy(max_attempts=MAX_ATTEMPTS - 1, wait=1)
KEEP_FINISHED_HOURS = 72


def _runtime(context: JobContext) -> Runtime:
    runtime: Runtime = context.additional_context[RUNTIME]
    return runtime


def attempt_of(context: JobContext) -> Attempt:
    return Attempt(number=context.job.attempts + 1, worker=worker_label())


# ---------------------------------------------------------------- tasks


def build_claim_file(context: JobContext, job_id: int) -> None:
    runtime = _runtime(context)
    claim_file_run.run(runtime.engine, runtime.settings.files_dir, job_id, attempt_of(context))


def render_document(context: JobContext, job_id: int) -> None:
    runtime = _runtime(context)
    settings = runtime.settings
    document_jobs.run(runtime.engine, settings.files_dir, settings.data_dir / "forms", job_id,
                      attempt_of(context))


def check_import(context: JobContext, batch_id: int, user_id: int, role: str) -> None:
    runtime = _runtime(context)
    import_jobs.run(runtime.engine, runtime.settings, batch_id, "check", user_id, role,
                    attempt_of(context))


def apply_import(context: JobContext, batch_id: int, user_id: int, role: str) -> None:
    runtime = _runtime(context)
    import_jobs.run(runtime.engine, runtime.settings, batch_id, "apply", user_id, role,
                    attempt_of(context))


def read_evidence(context: JobContext, evidence_id: int) -> None:
    """A pièce's text: its PDF text layer, its e-mail body, or OCR of a scan or a photo."""
    runtime = _runtime(context)
    evidence_text.run(runtime.engine, runtime.settings.files_dir, evidence_id,
                      attempt_of(context))


def refresh_alerts(context: JobContext, timestamp: int) -> int:
    """The day changed: every debtor's alerts are computed again at the new date."""
    runtime = _runtime(context)
    today = runtime.settings.today or datetime.fromtimestamp(timestamp).date()  # noqa: DTZ006 (local day)
    with Session(runtime.engine) as session:
        return alerts.refresh_stale(session, today)


def run_reminders(context: JobContext, creditor_id: int, today: str | None = None,
                  user_id: int | None = None, held: list[str] | None = None) -> int:
    """A creditor's reminder run; how many messages it acted on."""
    runtime = _runtime(context)
    day = date.fromisoformat(today) if today else runtime.settings.today or date.today()  # noqa: DTZ011 (local day)
    outcomes = reminders_run.run(runtime.engine, runtime.settings, creditor_id, day,
                                 user_id=user_id, held=held or ())
    return len([o for o in outcomes if o.message_id])


def send_reminders(context: JobContext, creditor_id: int, message_ids: list[int],
                   user_id: int | None = None) -> int:
    """The messages a user sent from "Relances du jour" (recorded as intents by the page)."""
    runtime = _runtime(context)
    actor = reminders_run.system_actor(creditor_id, user_id)
    done = reminders_run.send_pending(runtime.engine, runtime.settings, actor, message_ids)
    done.update(reminders_run.send_pending(runtime.engine, runtime.settings, actor))  # retries due
    return len(done)


def next_actions(context: JobContext, creditor_id: int) -> int:
    """The creditor's scenarios changed: what they send next, shown again; how many moved."""
    runtime = _runtime(context)
    today = runtime.settings.today or date.today()  # noqa: DTZ011 (local day)
    with Session(runtime.engine) as session:
        return followers.refresh(session, creditor_id, today)


def rebalance_creditor(context: JobContext, creditor_id: int) -> int:
    """What every décompte of the creditor reads changed: its debtors' balances, stored again;
    how many moved."""
    with Session(_runtime(context).engine) as session:
        return rebalance.refresh(session, creditor_id)


def morning_reminders(context: JobContext, timestamp: int) -> int:
    """Every morning: the run of each creditor that switched "envoi automatique" on."""
    runtime = _runtime(context)
    today = runtime.settings.today or datetime.fromtimestamp(timestamp).date()  # noqa: DTZ006 (local day)
    return reminders_run.morning(runtime.engine, runtime.settings, today)


def retry_reminders(context: JobContext, timestamp: int) -> int:
    """Temporary refusals whose time came, and intents a stopped run left behind."""
    runtime = _runtime(context)
    return reminders_run.retry_all(runtime.engine, runtime.settings)


async def retry_stalled_jobs(context: JobContext, timestamp: int) -> int:
    """Jobs held by a worker that stopped sending its heartbeat (killed, machine lost) go
    back to the queue, for another worker; each such retry counts as an attempt. What the dead
    worker left in the store (scratch folders, files placed for a row never committed) is
    swept first, as a start would: the live workers may run for months without one."""
    runtime = _runtime(context)
    manager = context.app.job_manager
    seconds = runtime.settings.stalled_seconds
    stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=seconds))
    if stalled:
        await asyncio.to_thread(sweep_dead_writers, runtime)
    for job in stalled:
        log.warning("job %s (%s) lost its worker: queued again", job.id, job.task_name)
        await manager.retry_job(job)
    return len(stalled)


def sweep_dead_writers(runtime: Runtime) -> int:
    """The store's temporary files whose writer died; a live writer's are locked, kept."""
    engine = runtime.engine
    return FileStore(runtime.settings.files_dir).sweep_abandoned(
        lambda: set(referenced_files(engine)))


async def prune_jobs(context: JobContext, timestamp: int) -> None:
    """Failed jobs are forgotten after three days (workers delete the successful ones at
    once): their outcome lives on their own rows."""
    await context.app.job_manager.delete_old_jobs(nb_hours=KEEP_FINISHED_HOURS,
                                                  include_failed=True)


def prune_credentials(context: JobContext, timestamp: int) -> int:
    with Session(_runtime(context).engine) as session:
        return credentials.prune_expired(session)


async def fail_orphan_jobs(context: JobContext, timestamp: int) -> int:
    """A row committed as queued whose defer never reached the queue (its server was killed
    in between) fails with why, instead of waiting for ever (app/services/orphans.py)."""
    runtime = _runtime(context)
    live: set[orphans.Key] = set()
    for status in ("todo", "doing"):
        for job in await context.app.job_manager.list_jobs_async(status=status):
            live.update(orphans_of(job.task_name, job.task_kwargs))
    return await asyncio.to_thread(orphans.sweep, runtime.engine, live, time.monotonic())


def orphans_of(task_name: str, kwargs: dict[str, Any]) -> set[orphans.Key]:
    """The row a job of ours works on."""
    if task_name == BUILD_CLAIM_FILE:
        return {(orphans.BUILD, int(kwargs["job_id"]))}
    if task_name in (CHECK_IMPORT, APPLY_IMPORT):
        return {(orphans.IMPORT, int(kwargs["batch_id"]))}
    if task_name == RENDER_DOCUMENT:
        return {(orphans.DOCUMENT, int(kwargs["job_id"]))}
    if task_name == READ_EVIDENCE:
        return {(orphans.READING, int(kwargs["evidence_id"]))}
    return set()


def register(queue_app: procrastinate.App, *, inline: bool = False) -> None:
    """Register every task on a Procrastinate app (one per process and connector). Inline, the
    one worker is the server itself: no other worker's jobs to take over."""
    task = queue_app.task
    task(name=BUILD_CLAIM_FILE, pass_context=True, retry=RETRY)(build_claim_file)
    task(name=CHECK_IMPORT, pass_context=True, retry=RETRY)(check_import)
    task(name=APPLY_IMPORT, pass_context=True, retry=RETRY)(apply_import)
    task(name=READ_EVIDENCE, pass_context=True, retry=RETRY)(read_evidence)
    task(name=RENDER_DOCUMENT, pass_context=True, retry=RETRY)(render_document)
    queue_app.periodic(cron="30 2 * * *")(
        task(name=REFRESH_ALERTS, pass_context=True, queueing_lock=REFRESH_ALERTS)(refresh_alerts))
    task(name=RUN_REMINDERS, pass_context=True, retry=RETRY)(run_reminders)
    task(name=SEND_REMINDERS, pass_context=True, retry=RETRY)(send_reminders)
    task(name=NEXT_ACTIONS, pass_context=True, retry=RETRY)(next_actions)
    task(name=REBALANCE, pass_context=True, retry=RETRY)(rebalance_creditor)
    queue_app.periodic(cron="0 7 * * *")(
        task(name=MORNING_REMINDERS, pass_context=True, queueing_lock=MORNING_REMINDERS)(
            morning_reminders))
    if not inline:
        # Inline (SQLite), a 4xx is retried by the creditor's next run or click instead: a job
        # every 5 minutes in the server process would be one more writer on the database.
        queue_app.periodic(cron="*/5 * * * *")(
            task(name=RETRY_REMINDERS, pass_context=True, queueing_lock=RETRY_REMINDERS)(
                retry_reminders))
        queue_app.periodic(cron="* * * * * */5")(
            task(name=RETRY_STALLED, pass_context=True, queueing_lock=RETRY_STALLED)(
                retry_stalled_jobs))
        queue_app.periodic(cron="* * * * *")(
            task(name=FAIL_ORPHANS, pass_context=True, queueing_lock=FAIL_ORPHANS)(
                fail_orphan_jobs))
    queue_app.periodic(cron="15 3 * * *")(
        task(name=PRUNE, pass_context=True, queueing_lock=PRUNE)(prune_jobs))
    queue_app.periodic(cron="40 3 * * *")(
        task(name=PRUNE_CREDENTIALS, pass_context=True, queueing_lock=PRUNE_CREDENTIALS)(
            prune_credentials))


# ---------------------------------------------------------------- starting them


def resume_interrupted(runtime: Runtime, queue: Queue) -> int:
    """Inline mode, at start: the jobs this server left unfinished (it was stopped or killed;
    its in-memory queue is gone) are deferred again; how many. Never used with PostgreSQL's
    queue, where the jobs of other live workers must be left alone."""
    with Session(runtime.engine) as session:
        builds = list(session.exec(select(ClaimFileJob.id).where(
            col(ClaimFileJob.status).in_(claim_file.RUNNING))))
        batches = list(session.exec(select(ImportBatch.id, ImportBatch.status,
                                           ImportBatch.created_by).where(
            col(ImportBatch.status).in_(import_jobs.RUNNING))))
        unread = evidence_text.pending_ids(session)
        papers = list(session.exec(select(DocumentJob.id).where(
            col(DocumentJob.status).in_(document_jobs.RUNNING))))
    for job_id in builds:
        queue.defer(BUILD_CLAIM_FILE, job_id=job_id)
    for batch_id, status, user_id in batches:
        queue.defer(CHECK_IMPORT if status == "checking" else APPLY_IMPORT,
                    batch_id=batch_id, user_id=user_id or 0, role="member")
    for evidence_id in unread:
        queue.defer(READ_EVIDENCE, evidence_id=evidence_id)
    for job_id in papers:
        queue.defer(RENDER_DOCUMENT, job_id=job_id)
    return len(builds) + len(batches) + len(unread) + len(papers)
