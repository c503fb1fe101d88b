"""A creditor's reminder run: plan the day, record each message's intent, act on each once.

The same function serves the worker's job (a click on "Relances du jour", the morning run of
creditors with "envoi automatique"), the command line and the API. A dry run only plans. The
answer is one `Outcome` per message or skipped debtor: its step, channel, invoices, status
(sent, outbox, skipped, failed, draft, retry, doubt, cancelled) and French reason.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.law.reminder_scenario import DRAFT_ONLY
from app.models import Creditor, ReminderMessage
from app.models.types import utcnow
from app.services.context import Actor
from app.services.reminders import deliver
from app.services.reminders.plan import DayPlan, Planned, day_plan
from app.services.reminders.scenarios import ensure_default
from app.services.reminders.send import NOT_SENT

if TYPE_CHECKING:
    from app.queue import Queue

SEND_TASK = "reminders.send"  # app/jobs.py
TAKEN = "déjà pris en charge par une autre exécution"
HELD = "retenu pour aujourd'hui"


@dataclass(frozen=True)
class Outcome:
    debtor_id: int
    debtor: str
    step: str
    channel: str
    invoices: list[str]
    status: str
    reason: str
    message_id: int | None = None

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def system_actor(creditor_id: int, user_id: int | None = None) -> Actor:
    """Who acts for a run nobody clicked (the morning run): the creditor itself, no user."""
    return Actor(user_id=user_id, creditor_id=creditor_id, role="owner")  # type: ignore[arg-type]


def planned_status(planned: Planned, settings: Settings) -> tuple[str, str]:
    """What a dry run expects for a message (nothing is written)."""
    step = planned.action.step
    if step.template in DRAFT_ONLY:
        return "draft", "projet de mise en demeure à vérifier (jamais envoyé automatiquement)"
    if step.channel == "letter":
        return "draft", "courrier à imprimer et poster"
    if settings.smtp is None:
        return "outbox", NOT_SENT
    return "sent", f"à envoyer à {planned.email}"


def skipped_outcomes(plan: DayPlan) -> list[Outcome]:
    return [Outcome(s.skip.debtor_id, s.debtor, "", "", list(s.numbers), "skipped", s.skip.reason)
            for s in plan.skipped]


def plan_outcomes(plan: DayPlan, settings: Settings) -> list[Outcome]:
    outcomes = []
    for planned in plan.actions:
        status, reason = planned_status(planned, settings)
        outcomes.append(_outcome(planned, status, reason))
    return outcomes + skipped_outcomes(plan)


def _outcome(planned: Planned, status: str, reason: str, message_id: int | None = None) -> Outcome:
    return Outcome(planned.action.debtor_id, planned.debtor, planned.action.step.template,
                   planned.action.step.channel, list(planned.numbers), status, reason, message_id)


def record_all(session: Session, actor: Actor, plan: DayPlan,
               held: Collection[str] = ()) -> list[tuple[Planned, int | None]]:
    """Every planned message not held by a person, recorded as an intent (committed)."""
    return [(p, deliver.record(session, actor, p.action, plan.today))
            for p in plan.actions if p.action.key not in held]


def send_pending(engine: Engine, settings: Settings, actor: Actor,
                 ids: Collection[int] | None = None, today: date | None = None) -> dict[int, str]:
    """Act on messages waiting to be sent or prepared (`ids`, else those left waiting), on
    `today` (`deliver.send_day`): message id → status."""
    with Session(engine) as session:
        deliver.reconcile(session, actor.creditor_id, utcnow())
        if ids is None:
            ids = deliver.pending_ids(session, actor.creditor_id, utcnow())
    return {message_id: deliver.process(engine, settings, actor, message_id, today)
            for message_id in ids}


def default_scenario(engine: Engine, creditor_id: int) -> None:
    """The creditor's default scenario, committed in a transaction of its own before the plan
    (two runs starting together on a new creditor: scenarios.ensure_default lets one win)."""
    with Session(engine) as session:
        ensure_default(session, creditor_id)
        session.commit()


def prepare(engine: Engine, creditor_id: int, today: date) -> DayPlan:
    """The day's plan of the creditor (its default scenario made first, race-free)."""
    default_scenario(engine, creditor_id)
    with Session(engine, expire_on_commit=False) as session:
        creditor = session.get(Creditor, creditor_id)
        if creditor is None:
            raise ValueError(f"créancier inconnu : {creditor_id}")
        return day_plan(session, creditor, today)


def record_plan(engine: Engine, actor: Actor, plan: DayPlan,
                held: Collection[str] = ()) -> list[tuple[Planned, int | None]]:
    with Session(engine, expire_on_commit=False) as session:
        return record_all(session, actor, plan, held)


def collect(engine: Engine, plan: DayPlan, recorded: list[tuple[Planned, int | None]],
            held: Collection[str] = (), statuses: dict[int, str] | None = None) -> list[Outcome]:
    """The outcome of each planned message as its row now says, then the skipped debtors."""
    statuses = statuses or {}
    outcomes = [_outcome(p, "skipped", HELD) for p in plan.actions if p.action.key in held]
    with Session(engine) as session:
        for planned, message in recorded:
            row = session.get(ReminderMessage, message) if message else None
            if row is None or statuses.get(row.id) == "skipped":  # type: ignore[arg-type]
                outcomes.append(_outcome(planned, "skipped", TAKEN))
                continue
            outcomes.append(_outcome(planned, row.status, row.reason, row.id))
    return outcomes + skipped_outcomes(plan)


def run(engine: Engine, settings: Settings, creditor_id: int, today: date, *,
        dry_run: bool = False, user_id: int | None = None,
        held: Collection[str] = ()) -> list[Outcome]:
    """Plan, record, act: the day's outcomes (planned ones only, with `dry_run`)."""
    actor = system_actor(creditor_id, user_id)
    plan = prepare(engine, creditor_id, today)
    if dry_run:
        return plan_outcomes(plan, settings)
    recorded = record_plan(engine, actor, plan, held)
    # Its own messages first (so each is answered by the run that recorded it), then any left
    # waiting by others (a retry whose time came, an intent whose run stopped before sending).
    statuses = {m: deliver.process(engine, settings, actor, m, today) for _, m in recorded if m}
    statuses.update(send_pending(engine, settings, actor, today=today))
    return collect(engine, plan, recorded, held, statuses)


def auto_creditors(session: Session) -> list[int]:
    """Creditors that switched "envoi automatique" on: the morning run is theirs."""
    rows = session.exec(select(Creditor.id).where(col(Creditor.reminders_auto))).all()
    return [r for r in rows if r is not None]


def morning(engine: Engine, settings: Settings, today: date) -> int:
    """The scheduled run: every creditor with "envoi automatique" on; messages acted on."""
    with Session(engine) as session:
        creditors = auto_creditors(session)
    return sum(len([o for o in run(engine, settings, c, today) if o.message_id])
               for c in creditors)


def retry_all(engine: Engine, settings: Settings) -> int:
    """Every creditor's messages left waiting (app/jobs.py, every 5 minutes)."""
    now = utcnow()
    with Session(engine) as session:
        creditors = session.exec(select(ReminderMessage.creditor_id).where(
            col(ReminderMessage.status).in_(("retry", "intent"))).distinct()).all()
    done = 0
    for creditor_id in creditors:
        with Session(engine) as session:
            waiting = deliver.pending_ids(session, creditor_id, now)
        if waiting:
            done += len(send_pending(engine, settings, system_actor(creditor_id), waiting))
        else:
            with Session(engine) as session:
                deliver.reconcile(session, creditor_id, now)
    return done


def launch(engine: Engine, queue: Queue, actor: Actor, today: date,
           held: Collection[str] = ()) -> tuple[DayPlan, list[tuple[Planned, int | None]]]:
    """From a web request: plan and record the intents (the database only), and hand the
    sending to the worker (`reminders.send`): no SMTP conversation in the request."""
    plan = prepare(engine, actor.creditor_id, today)
    recorded = record_plan(engine, actor, plan, held)
    ids = [m for _, m in recorded if m]
    if ids:
        queue.defer(SEND_TASK, creditor_id=actor.creditor_id, message_ids=ids,
                    user_id=actor.user_id)
    return plan, recorded


def progress(engine: Engine, creditor_id: int, ids: Collection[int]) -> tuple[int, int]:
    """(acted on, in all) of these messages of the creditor (another's are not counted): the
    progress bar of the day's sending."""
    if not ids:
        return 0, 0
    with Session(engine) as session:
        rows = session.exec(select(ReminderMessage).where(
            ReminderMessage.creditor_id == creditor_id,
            col(ReminderMessage.id).in_(list(ids)))).all()
    return sum(1 for row in rows if settled(row)), len(rows)


def settled(row: ReminderMessage) -> bool:
    """Acted on: answered, and when sent, its proof filed (or why not said)."""
    if row.status == "intent":
        return False
    return not (row.status == "sent" and row.step_id is None and not row.reason)


def wait(engine: Engine, creditor_id: int, ids: Collection[int], timeout: float) -> bool:
    """Until the worker acted on every message (True), or `timeout` seconds (False)."""
    deadline = time.monotonic() + timeout
    while True:
        done, total = progress(engine, creditor_id, ids)
        if done == total:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
