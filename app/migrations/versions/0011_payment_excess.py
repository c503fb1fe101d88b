"""What the creditor chose for the part of a payment above its invoice: `payment.excess`.

A trop-perçu to refund, or an excess kept as a credit for the debtor, was noted only in the
payment's reference; the décompte then imputed it on the debtor's other invoices (C. civ.
1342-10), while the maintained balances kept it aside: two outstandings. Payments recorded
before carry the choice in their reference, read back here.

Revision ID: 0011_payment_excess
Revises: 0010_debtor_stage_next
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011_payment_excess"
down_revision = "0010_debtor_stage_next"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("excess", sqlmodel.sql.sqltypes.AutoString(length=12),
                                      server_default="", nullable=False))
    # the notes services/payments.py wrote: "(trop-perçu : 300,00 €)", "(excédent en avoir : …)"
    op.execute("UPDATE payment SET excess = 'trop_percu' WHERE reference LIKE '%(trop-perçu : %'")
    op.execute("UPDATE payment SET excess = 'avoir' "
               "WHERE reference LIKE '%(excédent en avoir : %'")


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_column("excess")
