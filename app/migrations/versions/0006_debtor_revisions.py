"""Revisions at the debtor's grain: `debtor.revision` and `creditor.shared_revision`.

A debtor's page is kept at the creditor's shared revision and the debtor's own
(app/revisions.py), so a change to another debtor's file leaves it kept.

Revision ID: 0006_debtor_revisions
Revises: 0005_promises
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_debtor_revisions"
down_revision = "0005_promises"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("debtor", sa.Column("revision", sa.Integer(), nullable=False,
                                      server_default="0"))
    op.add_column("creditor", sa.Column("shared_revision", sa.Integer(), nullable=False,
                                        server_default="0"))


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy of `creditor` and `debtor`,
    # which every file references, fails on their foreign keys.
    op.drop_column("creditor", "shared_revision")
    op.drop_column("debtor", "revision")
