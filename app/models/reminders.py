"""The amiable phase run by itself (issue 17): scenarios, holds, promises, sent messages.

- `ReminderScenario` / `ReminderScenarioStep`: a creditor's ordered steps (offset from the due
  date, channel, template). A debtor follows its creditor's default scenario, another one
  (`Debtor.reminder_scenario_id`) or none (`Debtor.reminders_off`).
- `ReminderHold`: "stop relance" on a debtor or one invoice, with a reason and an optional end.
- `PaymentPromise`: a promise to pay (date, amount), which pauses the scenario until its date;
  it can be corrected, or cancelled with a reason (kept, status "cancelled").
- `ReminderMessage`: one reminder per debtor, step and invoice set. Written as an *intent* before
  anything is sent, so a crash between the SMTP answer and the commit leaves a message "in doubt"
  that a person reconciles; `idempotency_key` is unique, so two runs never send it twice.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import Money, utcnow

# Channels of a step and the templates it can use (labels live in app/vocabulary.py).
REMINDER_CHANNELS = ("email", "letter")
REMINDER_TEMPLATES = ("prevenance", "relance_1", "relance_2", "relance_3", "mise_en_demeure")
# Message states: intent (recorded, not yet handed to SMTP), sent (accepted by the server),
# outbox (no SMTP configured: written to the Maildir outbox, not sent), failed (refused, with the
# reply), retry (temporary 4xx, will be retried), doubt (crash after handing over: a person
# decides), draft (prepared for a person: the mise en demeure, a letter to print), posted (a
# letter marked as posted), cancelled (held back by a person).
REMINDER_STATUSES = (
    "intent", "sent", "outbox", "failed", "retry", "doubt", "draft", "posted", "cancelled",
)


class ReminderScenario(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("creditor_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    name: str = Field(max_length=80)
    is_default: bool = False  # the scenario of debtors that name none
    created_at: datetime = Field(default_factory=utcnow)


class ReminderScenarioStep(SQLModel, table=True):
    __table_args__ = (Index("ix_reminderscenariostep_scenario_pos", "scenario_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="reminderscenario.id", index=True)
    position: int = 0
    offset_days: int = 0  # from the due date; negative = before it (prévenance)
    channel: str = Field(default="email", max_length=10)  # REMINDER_CHANNELS
    template: str = Field(default="relance_1", max_length=20)  # REMINDER_TEMPLATES


class ReminderHold(SQLModel, table=True):
    """"Stop relance": no reminder for the debtor (or one invoice) until `until`, or lifted."""

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    reason: str = Field(max_length=500)
    until: date | None = None  # last day held; None = until lifted
    lifted_at: datetime | None = None
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class PaymentPromise(SQLModel, table=True):
    """A promise to pay, usually taken on the phone: pauses the scenario until `due_date`."""

    __table_args__ = (Index("ix_paymentpromise_creditor_due", "creditor_id", "due_date"),)

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    made_on: date  # the day the debtor promised
    due_date: date  # the day it promised to pay by
    amount: Decimal = Field(sa_type=Money)
    # open | kept (paid by due_date) | broken (due_date passed unpaid: alert, scenario resumes)
    # | cancelled (withdrawn or entered by mistake: kept in the history, read by nothing else)
    status: str = Field(default="open", max_length=10)
    step_id: int | None = Field(default=None, foreign_key="step.id")  # the call it came from
    note: str = Field(default="", max_length=1000)
    cancelled_on: date | None = None  # the day a person cancelled it
    cancel_reason: str = Field(default="", max_length=500)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class ReminderMessage(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("creditor_id", "idempotency_key"),
        Index("ix_remindermessage_creditor_status", "creditor_id", "status"),
        Index("ix_remindermessage_debtor_planned", "debtor_id", "planned_for"),
    )

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    scenario_step_id: int | None = Field(default=None, foreign_key="reminderscenariostep.id")
    template: str = Field(max_length=20)
    channel: str = Field(max_length=10)
    level: int | None = None  # 1-3 for relances (the Step level)
    invoice_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # debtor, template and sorted invoice ids: one message per debtor, step and invoice set
    # (a message cancelled before it left gives it up: services/reminders/deliver.record_again)
    idempotency_key: str = Field(max_length=200)
    planned_for: date
    status: str = Field(default="intent", max_length=10)  # REMINDER_STATUSES
    reason: str = Field(default="", max_length=500)  # why skipped / held / failed, in French
    attempts: int = 0
    next_attempt_at: datetime | None = None
    to_address: str = Field(default="", max_length=254)
    message_id: str = Field(default="", max_length=250)
    smtp_reply: str = Field(default="", max_length=1000)
    eml_sha256: str = Field(default="", max_length=64)  # the exact message as handed over
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")  # proof filed
    step_id: int | None = Field(default=None, foreign_key="step.id")  # chronology entry
    document_id: int | None = Field(default=None, foreign_key="generateddocument.id")  # letter
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
