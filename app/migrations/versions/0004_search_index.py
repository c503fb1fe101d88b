"""Full-text search index of the pièces: an FTS5 table (SQLite) or a French tsvector under a
GIN index (PostgreSQL), kept by triggers; filled from the pièces already there.

The DDL lives in app/services/search (the same code creates it after `create_all`).

Revision ID: 0004_search
Revises: 0004_lead
"""

from __future__ import annotations

from alembic import op

from app.services import search

revision = "0004_search"
down_revision = "0004_lead"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.install(op.get_bind())


def downgrade() -> None:
    search.uninstall(op.get_bind())
