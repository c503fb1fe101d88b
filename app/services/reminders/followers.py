"""The next action of a creditor's debtors brought up to date after a change to its scenarios.

On the amiable track, the debtors list and the debtor page show what the debtor's reminder
scenario sends next, and when (services/debtor_status.py), stored with its alerts. A change to
a scenario's steps, to the default scenario, to a scenario deleted, or to the creditor's
minimum amount changes no debtor's file, so nothing marks them stale: this job, deferred by
that change, stores them again at once instead of at the nightly refresh. In small
transactions (SQLite has one writer: a page's change waits for one batch at most), and it
moves the creditor's revisions only when a debtor's next action changed, so that the kept
pages that show it are rendered again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from app import revisions
from app.law.stages import NEXT_LETTER
from app.models import Creditor, Debtor
from app.queue import Queue
from app.services import alerts, debtor_status

TASK = "reminders.next_actions"
BATCH = 25  # debtors per transaction: some 50 ms of SQLite's write lock (1.8 ms a debtor)


def refresh_later(queue: Queue, creditor_id: int) -> None:
    """Defer the job for `creditor_id`; one waiting already does the same work."""
    queue.defer_once(TASK, f"{TASK}:{creditor_id}", creditor_id=creditor_id)


def refresh_if_minimum_moved(queue: Queue, creditor: Creditor, before: Decimal) -> None:
    """After a save of the creditor's settings: the job, if its minimum amount to remind moved
    (what the scenarios send next may change with it)."""
    if creditor.reminder_min_amount != before:
        refresh_later(queue, creditor.id)  # type: ignore[arg-type]


def refresh(session: Session, creditor_id: int, today: date) -> int:
    """Store again the next action of the creditor's debtors on the amiable track, as
    computed today; how many show another next action. Debtors not up to date today are
    left to the next page that reads them (services/alerts.py refresh_stale)."""
    ids = session.exec(select(Debtor.id).where(
        Debtor.creditor_id == creditor_id, col(Debtor.stage).in_(NEXT_LETTER),
        Debtor.alerts_on == today).order_by(col(Debtor.id))).all()
    moved = 0
    for start in range(0, len(ids), BATCH):
        moved += _store(session, creditor_id, list(ids[start:start + BATCH]), today)
    return moved


def _store(session: Session, creditor_id: int, ids: list[int | None], today: date) -> int:
    debtors = session.exec(select(Debtor).where(col(Debtor.id).in_(ids))).all()
    before = {debtor.id: _shown(debtor) for debtor in debtors}
    for debtor in debtors:  # its alerts, of today, stay as they are: no scenario in them
        assessed = alerts.assess(session, debtor, today)
        debtor_status.maintain(session, debtor, assessed.alerts, today, assessed.file)
    moved = sum(_shown(debtor) != before[debtor.id] for debtor in debtors)
    if moved:  # what the lists and these debtors' pages show: none of them stays kept
        touched = revisions.Touched()
        touched.creditors.add(creditor_id)
        revisions.bump(session, touched)
    session.commit()
    return moved


def _shown(debtor: Debtor) -> tuple[str, str, date | None]:
    return debtor.next_action_key, debtor.next_action, debtor.next_action_date
