"""The programme table: the installed programme.yaml, as the domain's JSON.

Written in the content install's transaction (so content and programme change together);
read with plain sqlite3 on the Today path, which must not import the ORM, YAML or pydantic.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from microlearn.domain.programme import Programme
from microlearn.store.plain_sql import session_connection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def installed_programme(db: sqlite3.Connection) -> Programme | None:
    """The installed programme, or None: no programme file, so nothing has a due date."""
    row = db.execute("SELECT rules_json FROM programme WHERE id = 1").fetchone()
    return Programme.from_json(str(row[0])) if row else None


def replace_programme(session: Session, programme: Programme | None) -> None:
    """Install ``programme`` (None removes it) within the session's transaction."""
    db = session_connection(session)
    db.execute("DELETE FROM programme")
    if programme is not None:
        db.execute("INSERT INTO programme (id, rules_json) VALUES (1, ?)", (programme.to_json(),))
