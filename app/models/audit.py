"""The audit trail (append-only) and administrator corrections to the rate tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.types import Rate, utcnow


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int | None = Field(default=None, foreign_key="creditor.id", index=True)
    debtor_id: int | None = Field(default=None, foreign_key="debtor.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, index=True)
    action: str = Field(max_length=40)  # create | update | withdraw | generate | login…
    object_type: str = Field(max_length=40)
    object_id: int | None = None
    summary: str = Field(default="", max_length=500)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class RateOverride(SQLModel, table=True):
    """A rate row added or corrected by an administrator; replaces the CSV row of its semester."""

    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=10)  # legal | ecb
    semester: str = Field(max_length=7, index=True)  # 2026-S2
    start: date
    particuliers: Decimal | None = Field(default=None, sa_type=Rate)
    autres_cas: Decimal | None = Field(default=None, sa_type=Rate)
    ecb_mro: Decimal | None = Field(default=None, sa_type=Rate)
    status: str = Field(default="V", max_length=1)
    source: str = Field(default="", max_length=300)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
