"""Reading the installed content: tracks, modules, cards, questions, media, installs.

The content tables are written in one place, ``content_writer.py`` (an install, through
the ORM); every read of them is here. Today, the Library and the answer path read with
plain sqlite3; the player loads a whole module through the ORM, once per version.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from microlearn.store.models import CardRow, ModuleRow, QuestionRow

# The ORM functions import the models when first called: Today's reads use this module
# and must not import SQLAlchemy before the first paint.


@dataclass(frozen=True)
class InstalledTrack:
    id: str
    title: str
    audience: str
    description: str
    mandatory: bool
    language: str = "en"


@dataclass(frozen=True)
class InstalledModule:
    id: str
    track_id: str
    title: str
    summary: str
    version: str
    minutes: int
    review_by: date
    card_count: int


@dataclass(frozen=True)
class ModuleFacts:
    """What every statement of an attempt names: the module, its version, its track."""

    module_id: str
    module_title: str
    module_version: str
    track_id: str
    track_title: str


# -- plain sqlite3 ----------------------------------------------------------------------------------


def active_tracks(db: sqlite3.Connection) -> list[InstalledTrack]:
    rows = db.execute(
        "SELECT id, title, audience, description, mandatory, language FROM tracks WHERE active ORDER BY position"
    )
    return [InstalledTrack(str(r[0]), str(r[1]), str(r[2]), str(r[3]), bool(r[4]), str(r[5])) for r in rows]


def active_modules(db: sqlite3.Connection) -> list[InstalledModule]:
    rows = db.execute(
        "SELECT id, track_id, title, summary, version, minutes, review_by, card_count "
        "FROM modules WHERE active ORDER BY position"
    )
    return [
        InstalledModule(
            str(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            int(r[5]),
            date.fromisoformat(r[6]),
            int(r[7]),
        )
        for r in rows
    ]


def module_facts(db: sqlite3.Connection, module_pk: int) -> ModuleFacts | None:
    row = db.execute(
        "SELECT modules.id, modules.title, modules.version, tracks.id, tracks.title "
        "FROM modules JOIN tracks ON tracks.id = modules.track_id WHERE modules.pk = ?",
        (module_pk,),
    ).fetchone()
    return None if row is None else ModuleFacts(*(str(v) for v in tuple(row)))


def active_module_facts(db: sqlite3.Connection, module_id: str) -> ModuleFacts | None:
    """The facts of the version new attempts (and reviews) start on."""
    row = db.execute(
        "SELECT modules.id, modules.title, modules.version, tracks.id, tracks.title "
        "FROM modules JOIN tracks ON tracks.id = modules.track_id WHERE modules.id = ? AND modules.active",
        (module_id,),
    ).fetchone()
    return None if row is None else ModuleFacts(*(str(v) for v in tuple(row)))


def question_json(db: sqlite3.Connection, module_pk: int, question_id: str) -> str | None:
    row = db.execute(
        "SELECT question_json FROM questions WHERE module_pk = ? AND question_id = ?",
        (module_pk, question_id),
    ).fetchone()
    return None if row is None else str(row[0])


def media_of(db: sqlite3.Connection, module_id: str, version: str) -> dict[str, bytes]:
    rows = db.execute(
        "SELECT media.name, media.data FROM media JOIN modules ON modules.pk = media.module_pk "
        "WHERE modules.id = ? AND modules.version = ?",
        (module_id, version),
    )
    return {str(name): bytes(data) for name, data in rows}


def installed_fingerprint(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT fingerprint FROM content_installs ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else str(row[0])


@dataclass(frozen=True)
class LatestInstall:
    fingerprint: str
    installed_at: str
    source: str
    tracks: int
    modules: tuple[tuple[str, str], ...]  # (module id, version) of the active modules


def latest_install(db: sqlite3.Connection) -> LatestInstall | None:
    """The newest install and what it made active (for doctor and diagnostics)."""
    row = db.execute(
        "SELECT fingerprint, installed_at, source FROM content_installs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    modules = db.execute("SELECT id, version FROM modules WHERE active ORDER BY position, id").fetchall()
    tracks = db.execute("SELECT count(*) FROM tracks WHERE active").fetchone()[0]
    return LatestInstall(
        fingerprint=str(row[0]),
        installed_at=str(row[1]),
        source=str(row[2]),
        tracks=int(tracks),
        modules=tuple((str(m[0]), str(m[1])) for m in modules),
    )


# -- the ORM: a whole module for the player -----------------------------------------------------------


def module_rows(
    session: Session, module_pk: int
) -> tuple[ModuleRow, list[CardRow], list[QuestionRow], str] | None:
    """An installed module version with its cards, questions and its track's title."""
    from sqlalchemy import select

    from microlearn.store.models import CardRow, ModuleRow, QuestionRow, TrackRow

    row = session.get(ModuleRow, module_pk)
    if row is None:
        return None
    cards = list(session.scalars(select(CardRow).where(CardRow.module_pk == module_pk)))
    questions = list(session.scalars(select(QuestionRow).where(QuestionRow.module_pk == module_pk)))
    track = session.get(TrackRow, row.track_id)
    return row, cards, questions, track.title if track else ""


def active_module(session: Session, module_id: str) -> ModuleRow | None:
    """The version of a module new attempts start on."""
    from sqlalchemy import select

    from microlearn.store.models import ModuleRow

    return session.scalars(select(ModuleRow).where(ModuleRow.id == module_id, ModuleRow.active)).first()
