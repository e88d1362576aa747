"""review items, answer certainty, track options and confidence surveys

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(length=80), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("card_index", sa.Integer(), nullable=False),
        sa.Column("fsrs_card", sa.Text(), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("last_statement_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.create_index("ix_review_items_due", ["due"], unique=False)
        batch_op.create_index("ix_review_items_question", ["module_id", "question_id", "source"], unique=True)
    op.create_table(
        "answer_certainties",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("certainty", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("attempt_id", "question_id"),
    )
    op.create_table(
        "track_options",
        sa.Column("track_id", sa.String(length=80), nullable=False),
        sa.Column("ask_certainty", sa.Boolean(), nullable=False),
        sa.Column("survey", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["track_id"], ["tracks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("track_id"),
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.String(length=80), nullable=False),
        sa.Column("phase", sa.String(length=6), nullable=False),
        sa.Column("item_index", sa.Integer(), nullable=False),
        sa.Column("statement_text", sa.Text(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_answers_track_phase", ["track_id", "phase", "item_index"], unique=True
        )


def downgrade() -> None:
    op.drop_table("survey_answers")
    op.drop_table("track_options")
    op.drop_table("answer_certainties")
    op.drop_table("review_items")
