"""A promise to pay can be cancelled: `paymentpromise.cancelled_on` and `cancel_reason`.

Revision ID: 0005_promises
Revises: 0004_docjobs
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005_promises"
down_revision = "0004_docjobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("paymentpromise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason",
                                      sqlmodel.sql.sqltypes.AutoString(length=500),
                                      nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("paymentpromise", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_on")
