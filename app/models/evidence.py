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
    # The number the pièce was first produced under (claim file, requête, déclaration), kept
    # for the whole case (LAW.md §5); None until then. app/services/exhibit_order.py
    number: int | None = None
    note: str = Field(default="", max_length=1000)  # e.g. "PDF endommagé, lu en mode tolérant"
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="evidence.id")  # .eml attachment
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = None
    withdrawn_reason: str = Field(default="", max_length=1000)
    # What the pièce says (issue 19). text_status: none | pending | done | failed; the text
    # itself is in EvidenceText. The suggestions are read from it and applied only by a person.
    text_status: str = Field(
        default="none", max_length=10, sa_column_kwargs={"server_default": "none"}
    )
    # pdf | ocr | email | facturx: where the text came from
    text_source: str = Field(default="", max_length=10, sa_column_kwargs={"server_default": ""})
    # The OCR'd copy (a blob beside the untouched original) and whether the claim file uses it.
    ocr_sha256: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    use_ocr_copy: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    suggested_kind: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    suggested_date: date | None = None
    suggested_invoices: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    suggested_amounts: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )

class EvidenceText(SQLModel, table=True):
    """The text of a pièce (PDF text layer, OCR, e-mail body, Factur-X), kept beside the file.

    Indexed for search: SQLite FTS5 on the embedded default, a French tsvector on PostgreSQL.
    """

    evidence_id: int = Field(foreign_key="evidence.id", primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    text: str = Field(default="")
    pages: int = 0
    updated_at: datetime = Field(default_factory=utcnow)


class EvidenceInvoice(SQLModel, table=True):
    evidence_id: int = Field(foreign_key="evidence.id", primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", primary_key=True)


class StepEvidence(SQLModel, table=True):
    step_id: int = Field(foreign_key="step.id", primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", primary_key=True)
