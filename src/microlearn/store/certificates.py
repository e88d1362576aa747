"""The certificates table: one row per track certificate a learner was given (plain sqlite3).

``issue`` writes the row and queues the track's ``satisfied`` statement in one transaction:
a certificate is never kept without the record the organisation verifies it against.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from microlearn.records.statements import FrozenStatement
from microlearn.store import outbox
from microlearn.store.assignments import parse_db_timestamp
from microlearn.store.plain_sql import db_timestamp, write_transaction


@dataclass(frozen=True)
class CertificateRecord:
    id: str
    learner: str
    display_name: str
    track_id: str
    track_title: str
    issued_at: datetime
    valid_until: date | None
    verification_code: str
    modules: tuple[tuple[str, str, str], ...]  # (module id, title, version)


def issue(db: sqlite3.Connection, record: CertificateRecord, statement: FrozenStatement) -> None:
    """Keep ``record`` and queue ``statement``; ``db`` is in autocommit mode: one transaction."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO certificates (id, learner, display_name, track_id, track_title, issued_at, "
            "valid_until, verification_code, modules_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                record.learner,
                record.display_name,
                record.track_id,
                record.track_title,
                db_timestamp(record.issued_at),
                record.valid_until.isoformat() if record.valid_until else None,
                record.verification_code,
                json.dumps([list(m) for m in record.modules]),
            ),
        )
        outbox.queue_statement(db, statement, record.issued_at)


def certificates_of(db: sqlite3.Connection, learner: str) -> list[CertificateRecord]:
    """The learner's certificates, newest first."""
    rows = db.execute(
        "SELECT id, learner, display_name, track_id, track_title, issued_at, valid_until, "
        "verification_code, modules_json FROM certificates WHERE learner = ? ORDER BY issued_at DESC",
        (learner,),
    )
    return [
        CertificateRecord(
            id=str(row[0]),
            learner=str(row[1]),
            display_name=str(row[2]),
            track_id=str(row[3]),
            track_title=str(row[4]),
            issued_at=parse_db_timestamp(str(row[5])),
            valid_until=date.fromisoformat(row[6]) if row[6] else None,
            verification_code=str(row[7]),
            modules=tuple((str(m[0]), str(m[1]), str(m[2])) for m in json.loads(row[8])),
        )
        for row in rows
    ]
