"""summaries for Today: module results and outbox counts kept by triggers; open attempts indexed

Also drops ix_answers_attempt_id, which ix_answers_attempt_question covers.

Today's reads stay the same size however long the history grows (issue 12): the Library
read one row per result ever earned and the status line counted the whole outbox.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen copies of store/results.py's and store/outbox.py's trigger text as of this revision
# (a migration must not change when the app's code does); a test checks that a store created
# from the models and one migrated step by step have the same schema.
TRIGGERS = (
    "CREATE TRIGGER module_results_add AFTER INSERT ON results BEGIN INSERT OR IGNORE INTO module_results (module_id, kind) VALUES (NEW.module_id, NEW.kind); UPDATE module_results SET best_raw = NEW.score_raw, best_max = NEW.score_max WHERE module_id = NEW.module_id AND kind = NEW.kind AND NEW.score_max > 0 AND NEW.score_raw >= 0 AND (coalesce(best_max > 0 AND best_raw >= 0, 0) = 0 OR NEW.score_raw * best_max > best_raw * NEW.score_max); END",
    "CREATE TRIGGER module_results_drop AFTER DELETE ON results BEGIN DELETE FROM module_results WHERE module_id = OLD.module_id AND kind = OLD.kind; INSERT INTO module_results SELECT module_id, kind, score_raw, score_max FROM results WHERE module_id = OLD.module_id AND kind = OLD.kind ORDER BY score_max > 0 AND score_raw >= 0 DESC, 1.0 * score_raw / score_max DESC LIMIT 1; END",
    "CREATE TRIGGER results_unchanged BEFORE UPDATE ON results BEGIN SELECT RAISE(ABORT, 'results are never changed'); END",
    "CREATE TRIGGER outbox_tally_add AFTER INSERT ON outbox BEGIN INSERT OR IGNORE INTO outbox_tally VALUES (NEW.status, 0); UPDATE outbox_tally SET count = count + 1 WHERE status = NEW.status; END",
    "CREATE TRIGGER outbox_tally_drop AFTER DELETE ON outbox BEGIN UPDATE outbox_tally SET count = count - 1 WHERE status = OLD.status; END",
    "CREATE TRIGGER outbox_tally_move AFTER UPDATE OF status ON outbox WHEN NEW.status IS NOT OLD.status BEGIN UPDATE outbox_tally SET count = count - 1 WHERE status = OLD.status; INSERT OR IGNORE INTO outbox_tally VALUES (NEW.status, 0); UPDATE outbox_tally SET count = count + 1 WHERE status = NEW.status; END",
)
BACKFILL = (
    "INSERT INTO module_results (module_id, kind, best_raw, best_max)\n  SELECT module_id, kind, score_raw, score_max FROM (\n    SELECT module_id, kind, score_raw, score_max, row_number() OVER (\n      PARTITION BY module_id, kind\n      ORDER BY score_max > 0 AND score_raw >= 0 DESC, 1.0 * score_raw / score_max DESC) AS rank\n    FROM results)\n  WHERE rank = 1",
    "INSERT INTO outbox_tally (status, count) SELECT status, count(*) FROM outbox GROUP BY status",
)


def upgrade() -> None:
    op.create_table(
        "module_results",
        sa.Column("module_id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("best_raw", sa.Integer(), nullable=True),
        sa.Column("best_max", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("module_id", "kind"),
    )
    op.create_table(
        "outbox_tally",
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status"),
    )
    op.create_index(
        "ix_attempts_open", "attempts", ["finished_at"], sqlite_where=sa.text("finished_at IS NULL")
    )
    # Covered by ix_answers_attempt_question (attempt_id first): one page fewer per answer.
    op.drop_index("ix_answers_attempt_id", table_name="answers")
    for statement in BACKFILL:
        op.execute(statement)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for name in (
        "module_results_add",
        "module_results_drop",
        "results_unchanged",
        "outbox_tally_add",
        "outbox_tally_drop",
        "outbox_tally_move",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.create_index("ix_answers_attempt_id", "answers", ["attempt_id"])
    op.drop_index("ix_attempts_open", table_name="attempts")
    op.drop_table("outbox_tally")
    op.drop_table("module_results")
