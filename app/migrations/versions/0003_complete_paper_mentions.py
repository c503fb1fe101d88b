"""Papers complete or refused: a natural-person creditor's mentions (CPC 54 3° a), the
mandataire's address for the déclaration de créance, and the court remembered per town.

Revision ID: 0003_complete
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003_complete"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    with op.batch_alter_table("creditor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("natural_person", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column("profession", text(length=120), server_default="",
                                      nullable=False))
        batch_op.add_column(sa.Column("nationality", text(length=80), server_default="",
                                      nullable=False))
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("birth_place", text(length=160), server_default="",
                                      nullable=False))
    with op.batch_alter_table("debtor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proceedings_mandataire_address", text(length=300),
                                      server_default="", nullable=False))
    op.create_table(
        "courtplace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column("court_id", sa.Integer(), nullable=False),
        sa.Column("kind", text(length=30), nullable=False),
        sa.Column("place", text(length=140), nullable=False),
        sa.ForeignKeyConstraint(["court_id"], ["court.id"]),
        sa.ForeignKeyConstraint(["creditor_id"], ["creditor.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("creditor_id", "kind", "place"),
    )
    with op.batch_alter_table("courtplace", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courtplace_creditor_id"), ["creditor_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("courtplace", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courtplace_creditor_id"))
    op.drop_table("courtplace")
    with op.batch_alter_table("debtor", schema=None) as batch_op:
        batch_op.drop_column("proceedings_mandataire_address")
    with op.batch_alter_table("creditor", schema=None) as batch_op:
        for name in ("birth_place", "birth_date", "nationality", "profession", "natural_person"):
            batch_op.drop_column(name)
