"""A pièce keeps the number it was first produced under: `evidence.number`.

The bordereau's numbering is kept stable for the whole case (LAW.md §5, practice): a pièce
produced in a claim file, a requête or a déclaration keeps its number afterwards
(app/services/exhibit_order.py). The pièces of a claim file exported before this revision
keep the numbers of the debtor's latest one.

Revision ID: 0007_evidence_number
Revises: 0006_debtor_revisions
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007_evidence_number"
down_revision = "0006_debtor_revisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("evidence", sa.Column("number", sa.Integer(), nullable=True))
    bind = op.get_bind()
    latest: dict[int, object] = {}  # debtor id → the numbering of its latest exported file
    for debtor_id, options in bind.execute(sa.text(
            "SELECT debtor_id, options FROM claimfilejob WHERE status = 'done' ORDER BY id")):
        latest[debtor_id] = (json.loads(options) if isinstance(options, str) else options
                             ).get("numbering", [])
    update = sa.text("UPDATE evidence SET number = :number WHERE id = :id AND debtor_id = :debtor")
    for debtor_id, numbering in latest.items():
        for number, evidence_id in numbering:  # type: ignore[attr-defined]
            bind.execute(update, {"number": int(number), "id": int(evidence_id),
                                  "debtor": debtor_id})


def downgrade() -> None:
    op.drop_column("evidence", "number")
