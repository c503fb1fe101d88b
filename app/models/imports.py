"""Imports of accounting exports (FEC, CSV, .xlsx) and the column mappings remembered per source.

Every import is kept: the file itself sits in the content-addressed store (`sha256`), as
evidence of the accounting state on that date, with who uploaded it, when, and the counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import utcnow


class ImportBatch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    kind: str = Field(max_length=10)  # fec | csv | xlsx
    source: str = Field(default="", max_length=120)  # whose ledger: remembered mapping key
    original_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64, index=True)
    size: int
    # uploaded → checking → checked → applying → done; failed (unexpected), refused (bad file)
    status: str = Field(default="uploaded", max_length=10)
    progress: int = 0  # percent, while checking or applying
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    error: str = Field(default="", max_length=2000)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # of the job
    worker: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    debtors_created: int = 0
    invoices_created: int = 0
    invoices_updated: int = 0
    payments_created: int = 0
    refused_rows: int = 0
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    applied_by: int | None = Field(default=None, foreign_key="user.id")
    applied_at: datetime | None = None


class ImportMapping(SQLModel, table=True):
    """The columns chosen for a source, and which customer account is which debtor."""

    __table_args__ = (UniqueConstraint("creditor_id", "kind", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    kind: str = Field(max_length=10)
    source: str = Field(max_length=120)
    columns: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    accounts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
