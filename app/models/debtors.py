"""A debtor's file: identity, invoices, payments and the steps (démarches) taken.

`Debtor.outstanding`, `Debtor.oldest_due_date` and `Invoice.paid`/`Invoice.balance` are
maintained by `app.services.balances` on every change, so lists never aggregate at read time.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import Money, Rate, utcnow

ZERO = Decimal("0.00")


class Debtor(SQLModel, table=True):
    __table_args__ = (
        Index("ix_debtor_creditor_outstanding", "creditor_id", "outstanding"),
        Index("ix_debtor_creditor_oldest_due", "creditor_id", "oldest_due_date"),
        Index("ix_debtor_creditor_alerts_on", "creditor_id", "alerts_on"),  # stale alerts
        Index("ix_debtor_creditor_stage", "creditor_id", "stage_rank", "outstanding"),
        # one stage by next action (the funnel's link): PostgreSQL sorted the stage's every row
        Index("ix_debtor_creditor_stage_next", "creditor_id", "stage_rank", "next_action_date",
              "id"),
        Index("ix_debtor_creditor_next_action", "creditor_id", "next_action_date"),
        Index("ix_debtor_creditor_next_key", "creditor_id", "next_action_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    kind: str = Field(default="company", max_length=10)  # company | consumer
    legal_name: str = Field(max_length=200)
    legal_form: str = Field(default="", max_length=80)
    siren: str = Field(default="", max_length=9)
    is_merchant: bool = True  # commerçant / commercial company: tribunal de commerce
    # Registered office (siège social): where the mise en demeure goes (company); domicile (consumer).
    street: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=120)
    country: str = Field(default="FR", max_length=2)
    representative: str = Field(default="", max_length=200)
    contact_name: str = Field(default="", max_length=200)
    contact_street: str = Field(default="", max_length=300)
    contact_postal_code: str = Field(default="", max_length=10)
    contact_city: str = Field(default="", max_length=120)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    # Collective proceedings (procédure collective): C. com. L622-21 s.
    proceedings_kind: str = Field(default="", max_length=20)  # sauvegarde|redressement|liquidation
    proceedings_judgment_date: date | None = None
    proceedings_bodacc_date: date | None = None
    proceedings_mandataire: str = Field(default="", max_length=300)
    # Where the déclaration de créance goes (C. com. L622-24).
    proceedings_mandataire_address: str = Field(
        default="", max_length=300, sa_column_kwargs={"server_default": ""}
    )
    notes: str = Field(default="", max_length=5000)
    # Reminders (issue 17): another scenario than the creditor's default, or none at all.
    reminder_scenario_id: int | None = Field(default=None, foreign_key="reminderscenario.id")
    reminders_off: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    outstanding: Decimal = Field(default=ZERO, sa_type=Money)
    oldest_due_date: date | None = None
    invoice_count: int = 0
    # Alerts (AlertEntry rows) as of `alerts_on`; None = to recompute (the file changed).
    alerts_on: date | None = None
    # Bumped in the transaction of every change to this debtor's file (app/revisions.py).
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Maintained with the alerts (services/alerts.store): the stage (app/law/stages.py) and
    # the next action, so the list filters and sorts on indexed columns.
    stage: str = Field(default="amiable", max_length=30)
    stage_rank: int = 0
    next_action_key: str = Field(default="", max_length=40)
    next_action: str = Field(default="", max_length=200)
    next_action_date: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Invoice(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("creditor_id", "number"),
                      Index("ix_invoice_creditor_due", "creditor_id", "due_date"),
                      Index("ix_invoice_creditor_issue", "creditor_id", "issue_date"))

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    number: str = Field(max_length=60)
    issue_date: date
    delivery_date: date | None = None  # completion of the work or delivery: starts prescription
    due_date: date
    amount_ht: Decimal = Field(sa_type=Money)
    amount_tva: Decimal = Field(sa_type=Money)
    amount_ttc: Decimal = Field(sa_type=Money)
    description: str = Field(default="", max_length=2000)
    contractual_rate: Decimal | None = Field(default=None, sa_type=Rate)
    # Carriage of goods (C. com. L133-6): 1 year from delivery, also set by Creditor.goods_carrier
    goods_transport: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    paid: Decimal = Field(default=ZERO, sa_type=Money)
    balance: Decimal = Field(default=ZERO, sa_type=Money)
    # Maintained with the balance: what was still unpaid on the due date (credit notes
    # deducted), and how much of it the debtor paid afterwards (the recovery rate).
    fell_overdue: Decimal = Field(default=ZERO, sa_type=Money)
    paid_late: Decimal = Field(default=ZERO, sa_type=Money)
    created_at: datetime = Field(default_factory=utcnow)


class Payment(SQLModel, table=True):
    __table_args__ = (Index("ix_payment_creditor_date", "creditor_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    date: date
    amount: Decimal = Field(sa_type=Money)
    reference: str = Field(default="", max_length=120)
    # payment | credit_note: an avoir settles the invoice but acknowledges nothing (C. civ. 2240)
    kind: str = Field(default="payment", max_length=12)
    # trop_percu | avoir: the part above the invoice it names is kept aside, as the creditor
    # chose when it was recorded (services/payments.py), never imputed on another debt
    excess: str = Field(default="", max_length=12)
    created_at: datetime = Field(default_factory=utcnow)


class Step(SQLModel, table=True):
    """A dated démarche: reminder, mise en demeure, ordonnance, signification, dispute…

    Kinds and their labels live in `app.vocabulary.STEP_KINDS`.
    """

    __table_args__ = (Index("ix_step_creditor_kind_date", "creditor_id", "kind", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    kind: str = Field(max_length=40)
    date: date
    channel: str = Field(default="", max_length=20)  # phone | email | letter | lrar | lre
    level: int | None = None  # reminder level 1-3
    reference: str = Field(default="", max_length=120)  # recommandé number, RG number…
    end_date: date | None = None  # end of a dispute, suspension or payment plan
    to_person: bool | None = None  # signification à personne (CPC 1416)
    amount: Decimal | None = Field(default=None, sa_type=Money)  # payment-plan instalment
    deadline_days: int | None = None  # mise en demeure: 8 or 15 days
    # A phone call's outcome (kind "call"): reached | no_answer | promise | dispute | other
    outcome: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    notes: str = Field(default="", max_length=5000)
    created_at: datetime = Field(default_factory=utcnow)
