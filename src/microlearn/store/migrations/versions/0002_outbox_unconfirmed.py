"""outbox: the unconfirmed state and when to read back; re-check old conflicts

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 18:30:00

Before this revision a re-serialised duration or timestamp counted as a difference, so
identical statements could be marked ``conflict``. Every ``conflict`` becomes
``unconfirmed`` once: the next sync reads it back and compares it the way xAPI 1.0.3
(Data 2.3.1) says; what is really different becomes ``conflict`` again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("status", existing_type=sa.String(length=10), type_=sa.String(length=12))
    op.execute("UPDATE outbox SET status = 'unconfirmed', retry_at = NULL WHERE status = 'conflict'")


def downgrade() -> None:
    op.execute("UPDATE outbox SET status = 'pending' WHERE status = 'unconfirmed'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=12), type_=sa.String(length=10))
        batch_op.drop_column("retry_at")
