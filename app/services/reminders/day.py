"""What the "Relances du jour" page shows: the day's plan and the messages waiting for a person.

The plan (messages due, skipped debtors with their reasons), the drafts to check or print,
the messages in doubt (to mark as sent or send again), the refusals and the retries, and what
the day already did (the morning run, a click earlier): sent, posted or cancelled, with why.
A draft whose letter a person already recorded as sent on the debtor page becomes "posted".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.formatting import PARIS
from app.law.reminder_scenario import CHANNELS, TEMPLATES
from app.models import Debtor, GeneratedDocument, Invoice, ReminderMessage
from app.models.types import utcnow
from app.services.context import Actor
from app.services.reminders import deliver
from app.services.reminders.run import plan_outcomes, prepare

WAITING = ("draft", "doubt", "failed", "retry", "intent", "outbox")
DONE = ("sent", "posted", "cancelled")  # nothing left to do about them: the day's record
STATUS_LABELS = {"sent": "Envoyé", "outbox": "Boîte d'envoi (non envoyé)", "failed": "Échec",
                 "retry": "Nouvel essai prévu", "doubt": "Incertain", "draft": "Préparé",
                 "posted": "Posté", "intent": "En cours", "cancelled": "Annulé"}


@dataclass(frozen=True)
class MessageRow:
    message: ReminderMessage
    debtor: str
    numbers: list[str]
    document: GeneratedDocument | None

    @property
    def template_label(self) -> str:
        return TEMPLATES[self.message.template][0]

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.message.channel, self.message.channel)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.message.status, self.message.status)


def sync_posted(session: Session, creditor_id: int) -> None:
    """Drafts whose letter was recorded as sent on the debtor page are posted."""
    drafts = session.exec(select(ReminderMessage, GeneratedDocument).join(
        GeneratedDocument, col(GeneratedDocument.id) == col(ReminderMessage.document_id)).where(
        ReminderMessage.creditor_id == creditor_id, ReminderMessage.status == "draft",
        GeneratedDocument.status == "sent")).all()
    for message, document in drafts:
        message.status, message.step_id, message.sent_at = "posted", document.step_id, utcnow()
        message.reason = "enregistré comme envoyé sur la fiche du débiteur"
        session.add(message)
    if drafts:
        session.commit()


def message_rows(session: Session, creditor_id: int, statuses: tuple[str, ...],
                 ids: list[int] | None = None, *where: Any) -> list[MessageRow]:
    """The creditor's messages of `ids`, else in `statuses` (and `where`), oldest first."""
    query = select(ReminderMessage).where(ReminderMessage.creditor_id == creditor_id, *where)
    query = query.where(col(ReminderMessage.id).in_(ids)) if ids is not None else \
        query.where(col(ReminderMessage.status).in_(statuses))
    messages = session.exec(query.order_by(col(ReminderMessage.id))).all()
    names = {d.id: d.legal_name for d in session.exec(select(Debtor).where(
        col(Debtor.id).in_({m.debtor_id for m in messages})))}
    numbers = {i.id: i.number for i in session.exec(select(Invoice).where(
        col(Invoice.id).in_({i for m in messages for i in m.invoice_ids})))}
    return [MessageRow(m, names.get(m.debtor_id, ""), [numbers.get(i, "?") for i in m.invoice_ids],
                       session.get(GeneratedDocument, m.document_id) if m.document_id else None)
            for m in messages]


def day_bounds(today: date) -> tuple[datetime, datetime]:
    """`today` in Paris local time, as the UTC instants the times are stored in."""
    start = datetime.combine(today, time(), PARIS)
    end = datetime.combine(today + timedelta(days=1), time(), PARIS)
    return start.astimezone(UTC), end.astimezone(UTC)


def done_today(session: Session, creditor_id: int, today: date) -> list[MessageRow]:
    """What the day already did: the messages planned for `today`, or sent (posted) on it,
    that need nothing more: sent, posted, or cancelled before leaving (with the reason)."""
    start, end = day_bounds(today)
    return message_rows(session, creditor_id, DONE, None, or_(
        ReminderMessage.planned_for == today,
        and_(col(ReminderMessage.sent_at) >= start, col(ReminderMessage.sent_at) < end)))


def page_context(engine: Engine, session: Session, settings: Settings, actor: Actor,
                 today: date) -> dict[str, Any]:
    deliver.reconcile(session, actor.creditor_id, utcnow())
    sync_posted(session, actor.creditor_id)
    plan = prepare(engine, actor.creditor_id, today)
    outcomes = plan_outcomes(plan, settings)
    waiting = message_rows(session, actor.creditor_id, WAITING)
    return {
        "today": today,
        "smtp": settings.smtp,
        "planned": list(zip(plan.actions, outcomes[:len(plan.actions)], strict=True)),
        "skipped": outcomes[len(plan.actions):],
        "drafts": [r for r in waiting if r.message.status == "draft"],
        "doubts": [r for r in waiting if r.message.status == "doubt"],
        "troubles": [r for r in waiting if r.message.status in ("failed", "retry")],
        "outbox": [r for r in waiting if r.message.status == "outbox"
                   and r.message.planned_for == today],
        "done": done_today(session, actor.creditor_id, today),
        "templates": TEMPLATES,
        "channels": CHANNELS,
        "run_ids": [],
        "results": [],
        "progress": (0, 0),
    }
