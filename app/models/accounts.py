"""Users, the creditor companies they work for, their memberships and login sessions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import UniqueConstraint, false
from sqlmodel import Field, SQLModel

from app.models.types import Money, Rate, utcnow


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(default="", max_length=200)
    password_hash: str
    is_admin: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class Creditor(SQLModel, table=True):
    """The company (or freelancer) owed the money: the demandeur of every document."""

    id: int | None = Field(default=None, primary_key=True)
    legal_name: str = Field(max_length=200)
    legal_form: str = Field(default="", max_length=80)
    siren: str = Field(default="", max_length=9)
    siret: str = Field(default="", max_length=14)
    rcs_city: str = Field(default="", max_length=120)
    street: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=120)
    country: str = Field(default="FR", max_length=2)
    representative: str = Field(default="", max_length=200)
    representative_title: str = Field(default="", max_length=120)
    # A natural person (EI, liberal profession): the requête states its profession,
    # nationality, date and place of birth (CPC 54 3° a).
    natural_person: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    profession: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})
    nationality: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    birth_date: date | None = None
    birth_place: str = Field(default="", max_length=160, sa_column_kwargs={"server_default": ""})
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    iban: str = Field(default="", max_length=34)
    bic: str = Field(default="", max_length=11)
    default_penalty_rate: Decimal | None = Field(default=None, sa_type=Rate)
    payment_term_days: int = 30
    calendar_token: str = Field(default="", max_length=64, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    # Bumped in the transaction of every change to what this creditor's pages show
    # (app/revisions.py): a page rendered at revision N stays right until N changes.
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Bumped by the changes that are not one debtor's (the creditor's settings, its courts,
    # scenarios and members, the rates, bulk writes): a debtor's page is kept at this and at
    # the debtor's own revision (Debtor.revision), so a change to another file leaves it kept.
    shared_revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The dashboard's aggregates (models/portfolio.py) hold this creditor's rows; false for
    # creditors that existed before them, built at the first dashboard read.
    portfolio_built: bool = Field(default=True, sa_column_kwargs={"server_default": "0"})
    # Law settings (issue 13, LAW.md §1, §2.3): the terms of sale make the due date itself the
    # formal notice (C. civ. 1344); the creditor is a carrier or commissionnaire de transport,
    # whose freight claims prescribe in 1 year from delivery (C. com. L133-6).
    notice_by_due_date: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    goods_carrier: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # Reminders (issue 17): the sender of the creditor's e-mails (CONTENTIEUX_SMTP_FROM when
    # empty), the scheduled morning run ("envoi automatique", off by default), and the amount
    # under which an invoice is not reminded.
    sender_name: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    sender_email: str = Field(default="", max_length=254, sa_column_kwargs={"server_default": ""})
    reply_to: str = Field(default="", max_length=254, sa_column_kwargs={"server_default": ""})
    reminders_auto: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    reminder_min_amount: Decimal = Field(
        default=Decimal("0.00"), sa_type=Money, sa_column_kwargs={"server_default": "0"}
    )


ROLES = ("owner", "member", "readonly")


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "creditor_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    role: str = Field(default="owner", max_length=10)


class UserSession(SQLModel, table=True):
    """A browser login: the cookie carries `token`; `csrf_token` guards its forms."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    creditor_id: int | None = Field(default=None, foreign_key="creditor.id")
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class ApiToken(SQLModel, table=True):
    """A bearer token from `POST /api/v1/auth/token`, bound to one creditor."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    creditor_id: int = Field(foreign_key="creditor.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class LoginAttempt(SQLModel, table=True):
    """Failed logins, for throttling (app/services/login_throttle.py); pruned after an hour."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, max_length=254)
    client: str = Field(default="", index=True, max_length=64,
                        sa_column_kwargs={"server_default": ""})
    at: datetime = Field(default_factory=utcnow, index=True)
