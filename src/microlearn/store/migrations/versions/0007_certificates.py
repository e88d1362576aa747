"""certificates: a track's certificate for a learner, with its verification code

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:45:00

Written in the same transaction as the track's ``satisfied`` statement in the outbox, so a
certificate the learner holds is always one the central record will be told of.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("learner", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("track_id", sa.String(length=80), nullable=False),
        sa.Column("track_title", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.String(length=10), nullable=True),
        sa.Column("verification_code", sa.String(length=32), nullable=False),
        sa.Column("modules_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("verification_code"),
    )
    op.create_index(op.f("ix_certificates_learner"), "certificates", ["learner"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_certificates_learner"), table_name="certificates")
    op.drop_table("certificates")
