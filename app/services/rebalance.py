"""The maintained balances of a creditor's debtors computed again after a change to what every
décompte of that creditor reads (services/balances.py): its default penalty rate or its
C. civ. 1344 clause, or the rates themselves (an administrator's correction).

A payment made after a due date pays the penalties accrued first (C. civ. 1343-1), so another
rate moves what it left of the price. No debtor's file changed, so nothing else marks them: this
job, deferred by that change, stores their figures again. In small transactions (SQLite has one
writer: a page's change waits for one batch at most); only the debtors with a payment can move.
"""

from __future__ import annotations

from collections.abc import Hashable

from sqlmodel import Session, col, select

from app.models import Creditor, Debtor, Payment
from app.queue import Queue
from app.services import alerts, balances

TASK = "balances.refresh"
BATCH = 25  # debtors per transaction


def refresh_later(queue: Queue, creditor_id: int) -> None:
    """Defer the job for `creditor_id`; one waiting already does the same work."""
    queue.defer_once(TASK, f"{TASK}:{creditor_id}", creditor_id=creditor_id)


def terms(creditor: Creditor) -> Hashable:
    """What of the creditor's settings a décompte reads (services/decompte.py)."""
    return creditor.default_penalty_rate, creditor.notice_by_due_date


def refresh_if_terms_moved(queue: Queue, creditor: Creditor, before: Hashable) -> None:
    """After a save of the creditor's settings: the job, if its terms moved."""
    if terms(creditor) != before:
        refresh_later(queue, creditor.id)  # type: ignore[arg-type]


def refresh_all_later(queue: Queue, session: Session) -> None:
    """After a correction of the rates, which every creditor's décomptes read."""
    for creditor_id in session.exec(select(Creditor.id)).all():
        refresh_later(queue, creditor_id)  # type: ignore[arg-type]


def refresh(session: Session, creditor_id: int) -> int:
    """Store again the balances of the creditor's debtors that received a payment; how many
    moved. Their alerts are computed again by the next page that reads them."""
    ids = session.exec(select(Payment.debtor_id).where(Payment.creditor_id == creditor_id)
                       .distinct().order_by(col(Payment.debtor_id))).all()
    moved = 0
    for start in range(0, len(ids), BATCH):
        for debtor in session.exec(select(Debtor).where(col(Debtor.id).in_(ids[start:start + BATCH]))):
            if balances.refresh(session, debtor):
                alerts.mark_stale(session, debtor.id, creditor_id)  # type: ignore[arg-type]
                moved += 1
        session.commit()
    return moved
