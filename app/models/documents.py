"""Generated documents (letters, requêtes, claim files) and the background jobs that build them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.types import utcnow


class GeneratedDocument(SQLModel, table=True):
    """What was generated is kept, versioned and hashed: what was sent is evidence."""

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    kind: str = Field(max_length=40)  # relance_1..3 | mise_en_demeure | requete_injonction | …
    version: int = 1
    document_date: date
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)
    size: int
    media_type: str = Field(default="application/pdf", max_length=100)
    filename: str = Field(max_length=255)
    pages: int = 1
    status: str = Field(default="draft", max_length=10)  # draft | sent | final
    sent_on: date | None = None
    sent_reference: str = Field(default="", max_length=120)
    step_id: int | None = Field(default=None, foreign_key="step.id")
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class ClaimFileJob(SQLModel, table=True):
    """One build of a debtor's claim file, run in the background.

    `options`: what the user chose (max_volume_mb, downsample_dpi), the file's date, the
    frozen numbering ([number, evidence id]…) and, once done, the version built and every
    PDF of it in order (`version`, `volume_document_ids`: one, or one per volume)."""

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    status: str = Field(default="queued", max_length=10)  # queued|running|done|failed
    progress: int = 0
    error: str = Field(default="", max_length=2000)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    worker: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    pdf_document_id: int | None = Field(default=None, foreign_key="generateddocument.id")
    zip_document_id: int | None = Field(default=None, foreign_key="generateddocument.id")
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class DocumentJob(SQLModel, table=True):
    """One letter, requête, Cerfa or déclaration rendered in the background (WeasyPrint takes
    longer than a request may). `options`: the form's fields, checked when the job was asked
    for; `document_id`: the version it made, set in the same transaction as that version, so
    a job run again never makes a second one."""

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    debtor_id: int = Field(foreign_key="debtor.id", index=True)
    kind: str = Field(max_length=40)
    status: str = Field(default="queued", max_length=10)  # queued|running|done|failed
    progress: int = 0
    error: str = Field(default="", max_length=2000)
    attempts: int = 0
    worker: str = Field(default="", max_length=80)
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    document_id: int | None = Field(default=None, foreign_key="generateddocument.id")
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class Court(SQLModel, table=True):
    """A court the user entered (name, address), offered again for later requêtes."""

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    kind: str = Field(max_length=30)
    name: str = Field(max_length=200)
    street: str = Field(default="", max_length=300)
    postal_code: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=120)


class CourtPlace(SQLModel, table=True):
    """The court the user named for debtors of one town: proposed again for the next
    requête against a debtor there (a court typed once is remembered for that city)."""

    __table_args__ = (UniqueConstraint("creditor_id", "kind", "place"),)

    id: int | None = Field(default=None, primary_key=True)
    creditor_id: int = Field(foreign_key="creditor.id", index=True)
    court_id: int = Field(foreign_key="court.id")
    kind: str = Field(max_length=30)  # the court type determined for the debtor (CPC 1406)
    place: str = Field(max_length=140)  # "49:angers": department and normalised town
