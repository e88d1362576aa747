"""tracks: the language each track is written in

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:40:00

Kept with the installed content, so that listing only the tracks in the app's language needs
no look at the content's files at start-up (a built app's first start copies its content and
parses nothing). Tracks installed before this revision were all written in English.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tracks", sa.Column("language", sa.String(length=35), nullable=False, server_default="en"))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; batch mode would rebuild the table, which the
    # modules' foreign keys to it forbid.
    op.execute("ALTER TABLE tracks DROP COLUMN language")
