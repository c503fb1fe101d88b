"""Every debtor at each stage, settled ones too: `stagetotal.all_debtors`.

The debtors list filtered on a stage counted the creditor's debtors at that stage at every
render, reading each of them; the number is now kept with the stage totals
(app/services/dashboard/maintain.py). Filled here from the debtors.

Revision ID: 0009_stage_all_debtors
Revises: 0008_alert_counts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_stage_all_debtors"
down_revision = "0008_alert_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stagetotal") as batch_op:
        batch_op.add_column(sa.Column("all_debtors", sa.Integer(), server_default="0",
                                      nullable=False))
    op.execute("UPDATE stagetotal SET all_debtors = (SELECT COUNT(*) FROM debtor "
               "WHERE debtor.creditor_id = stagetotal.creditor_id "
               "AND debtor.stage = stagetotal.stage)")
    op.execute("INSERT INTO stagetotal (creditor_id, stage, amount, debtors, all_debtors) "
               "SELECT creditor_id, stage, 0, 0, COUNT(*) FROM debtor WHERE NOT EXISTS "
               "(SELECT 1 FROM stagetotal WHERE stagetotal.creditor_id = debtor.creditor_id "
               "AND stagetotal.stage = debtor.stage) GROUP BY creditor_id, stage")


def downgrade() -> None:
    op.execute("DELETE FROM stagetotal WHERE debtors = 0 AND amount = 0")
    with op.batch_alter_table("stagetotal") as batch_op:
        batch_op.drop_column("all_debtors")
