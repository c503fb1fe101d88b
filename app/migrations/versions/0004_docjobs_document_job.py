"""Document rendering as a job of the queue: the `documentjob` table.

Revision ID: 0004_docjobs
Revises: 0004_search
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_docjobs"
down_revision = "0004_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documentjob",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column("debtor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["creditor_id"], ["creditor.id"]),
        sa.ForeignKeyConstraint(["debtor_id"], ["debtor.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["generateddocument.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("documentjob", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documentjob_creditor_id"), ["creditor_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_documentjob_debtor_id"), ["debtor_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("documentjob", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documentjob_debtor_id"))
        batch_op.drop_index(batch_op.f("ix_documentjob_creditor_id"))
    op.drop_table("documentjob")
