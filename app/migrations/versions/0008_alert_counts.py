"""How many alerts each creditor has at each severity: `alertcount`, kept with the alerts.

The deadlines page's head counted a creditor's alerts by severity at every render, reading
every one of them; the counts are now kept at each change (app/services/alerts.py `store`).
Filled here from the alerts already kept.

Revision ID: 0008_alert_counts
Revises: 0007_evidence_number
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_alert_counts"
down_revision = "0007_evidence_number"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alertcount",
        sa.Column("creditor_id", sa.Integer(), sa.ForeignKey("creditor.id"), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("creditor_id", "severity"),
    )
    op.execute("INSERT INTO alertcount (creditor_id, severity, count) "
               "SELECT creditor_id, severity, COUNT(*) FROM alertentry "
               "GROUP BY creditor_id, severity")


def downgrade() -> None:
    op.drop_table("alertcount")
