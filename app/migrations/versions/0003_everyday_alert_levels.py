"""AlertEntry.severity now holds what the user must do (app/law/severity.py levels): every
debtor's maintained alerts are recomputed on the next read; the page caches are bumped.

Revision ID: 0003_everyday
Revises: 0003_queue
"""
from __future__ import annotations

from alembic import op

revision = "0003_everyday"
down_revision = "0003_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE debtor SET alerts_on = NULL")
    op.execute("UPDATE creditor SET revision = revision + 1")


def downgrade() -> None:
    op.execute("UPDATE debtor SET alerts_on = NULL")
    op.execute("UPDATE creditor SET revision = revision + 1")
