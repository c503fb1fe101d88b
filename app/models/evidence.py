"""Exhibits (pièces) and their links to invoices and steps. Never deleted: withdrawn."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import utcnow


class Evidence(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("debtor_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    sha256: str = Field(max_length=64, index=True)
    size: int
    media_type: str = Field(max_length=100)
    pages: int = 1
    original_name: str = Field(max_length=255)
    kind: str = Field(default="other", max_length=40)
    title: str = Field(default="", max_length=300)
    document_date: date | None = None
    position: int = 0  # order in the bordereau
    note: str = Field(default="", max_length=1000)  # e.g. "PDF endommagé, lu en mode tolérant"
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="evidence.id")  # .eml attachment
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = None
    withdrawn_reason: str = Field(default="", max_length=1000)


class EvidenceInvoice(SQLModel, table=True):
    evidence_id: int = Field(foreign_key="evidence.id", primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", primary_key=True)


class StepEvidence(SQLModel, table=True):
    step_id: int = Field(foreign_key="step.id", primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", primary_key=True)
