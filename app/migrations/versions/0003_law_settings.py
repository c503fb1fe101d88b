"""Law settings of issue 13: Creditor.notice_by_due_date (C. civ. 1344), Creditor.goods_carrier
and Invoice.goods_transport (C. com. L133-6).

Revision ID: 0003_law
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_law"
down_revision = "0003_complete"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("creditor", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notice_by_due_date", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("goods_carrier", sa.Boolean(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("goods_transport", sa.Boolean(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_column("goods_transport")
    with op.batch_alter_table("creditor", schema=None) as batch_op:
        batch_op.drop_column("goods_carrier")
        batch_op.drop_column("notice_by_due_date")
