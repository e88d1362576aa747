"""The track_options table: a track author's choices beyond its modules (certainty, survey).

This module owns the table's SQL. Written with the rest of the content when it is
installed (the caller's ORM transaction, through its sqlite3 connection); read with plain
sqlite3 when an answer is recorded and when Today offers a survey.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class TrackOptions:
    track_id: str
    ask_certainty: bool
    survey: tuple[str, ...]  # the confidence statements, in authored order; () for none


def write(db: sqlite3.Connection, track_id: str, ask_certainty: bool, survey: tuple[str, ...]) -> None:
    db.execute(
        "INSERT INTO track_options (track_id, ask_certainty, survey) VALUES (?, ?, ?) "
        "ON CONFLICT (track_id) DO UPDATE SET ask_certainty = excluded.ask_certainty, "
        "survey = excluded.survey",
        (track_id, ask_certainty, json.dumps(list(survey))),
    )


def of_track(db: sqlite3.Connection, track_id: str) -> TrackOptions:
    """A track installed before these options existed asks for certainty and has no survey."""
    row = db.execute(
        "SELECT ask_certainty, survey FROM track_options WHERE track_id = ?", (track_id,)
    ).fetchone()
    if row is None:
        return TrackOptions(track_id, True, ())
    return TrackOptions(track_id, bool(row[0]), tuple(str(s) for s in json.loads(row[1])))


def of_module(db: sqlite3.Connection, module_id: str) -> TrackOptions | None:
    """The options of the track a module's active version belongs to."""
    row = db.execute("SELECT track_id FROM modules WHERE id = ? AND active", (module_id,)).fetchone()
    return None if row is None else of_track(db, str(row[0]))
