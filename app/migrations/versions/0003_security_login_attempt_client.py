"""LoginAttempt.client: failed sign-ins are throttled per client address.

Revision ID: 0003_security
Revises: 0003_complete
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_security"
down_revision = "0003_law"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client", sa.String(length=64), server_default="",
                                      nullable=False))
        batch_op.create_index(batch_op.f("ix_loginattempt_client"), ["client"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loginattempt_client"))
        batch_op.drop_column("client")
