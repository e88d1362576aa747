"""programme: the installed programme and when each learner was first assigned each module

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 18:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rules_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "assignments",
        sa.Column("learner", sa.String(length=255), nullable=False),
        sa.Column("module_id", sa.String(length=80), nullable=False),
        sa.Column("first_assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("learner", "module_id"),
    )


def downgrade() -> None:
    op.drop_table("assignments")
    op.drop_table("programme")
