"""Maintained alerts: each debtor's dated alerts, recomputed when its file changes or a day
passes, so the creditor-wide dashboard reads indexed rows instead of recomputing every file."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class AlertEntry(SQLModel, table=True):
    __table_args__ = (Index("ix_alertentry_creditor_date", "creditor_id", "date"),
                      Index("ix_alertentry_creditor_severity", "creditor_id", "severity"),
                      Index("ix_alertentry_creditor_key_date", "creditor_id", "key", "date"))

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id")
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    key: str = Field(max_length=40)
    date: date
    severity: str = Field(max_length=10)
    title: str = Field(max_length=300)
    consequence: str = Field(max_length=1000)
    article: str = Field(max_length=200)
    action: str = Field(max_length=1000)


class AlertCount(SQLModel, table=True):
    """How many maintained alerts a creditor has at each severity, kept with them
    (services/alerts.store): the deadlines page's head, which counting the alerts at every
    render read every one of them."""

    creditor_id: int = Field(foreign_key="creditor.id", primary_key=True)
    severity: str = Field(max_length=10, primary_key=True)
    count: int = 0
