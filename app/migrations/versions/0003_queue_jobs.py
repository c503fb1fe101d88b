"""Background jobs on Procrastinate: attempts and worker on each job's row; on PostgreSQL,
Procrastinate's own tables (its schema, version 3.10).

Revision ID: 0003_queue
Revises: 0003_dashboard
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_queue"
down_revision = "0003_dashboard"
branch_labels = None
depends_on = None

TABLES = ("claimfilejob", "importbatch")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0",
                                          nullable=False))
            batch_op.add_column(sa.Column("worker", sa.String(length=80), server_default="",
                                          nullable=False))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # Procrastinate's schema as it ships (a later version of it gets a revision running
        # its migration files). Raw DBAPI: the SQL holds several statements and % signs.
        from procrastinate.schema import SchemaManager

        bind.exec_driver_sql("SELECT 1")  # the connection is open in Alembic's transaction
        with bind.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(SchemaManager.get_schema())


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("worker")
            batch_op.drop_column("attempts")
