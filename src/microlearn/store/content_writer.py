"""Writing a checked catalog into the store, in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from microlearn.domain.courseware import Catalog, Module
from microlearn.store import track_options
from microlearn.store.courseware_rows import card_rows, card_values, question_rows, question_values
from microlearn.store.models import CardRow, ContentInstall, MediaRow, ModuleRow, QuestionRow, TrackRow
from microlearn.store.opening import Store
from microlearn.store.plain_sql import session_connection
from microlearn.store.programme_rules import replace_programme


class UnversionedChangeError(Exception):
    """Installed content changed without a new version: records would name the wrong text."""

    def __init__(self, modules: list[str]) -> None:
        super().__init__(", ".join(modules))
        self.modules = modules


# Bound parameters per statement stay well under SQLite's limit (32,766 since 3.32).
_CHUNK = 500


def _installed_versions(session: Session) -> dict[tuple[str, str], int]:
    """Every installed (module id, version) and its row: one query, not one per module."""
    return {(i, v): pk for i, v, pk in session.execute(select(ModuleRow.id, ModuleRow.version, ModuleRow.pk))}


def _changed_without_new_version(
    session: Session, catalog: Catalog, installed: dict[tuple[str, str], int]
) -> list[str]:
    changed = []
    for track in catalog.tracks:
        for module in track.modules:
            pk = installed.get((module.id, module.version))
            if pk is None:
                continue
            installed_cards = {
                (c.card_id, c.title, c.body, c.check_json)
                for c in session.scalars(select(CardRow).where(CardRow.module_pk == pk))
            }
            installed_questions = {
                q.question_json
                for q in session.scalars(select(QuestionRow).where(QuestionRow.module_pk == pk))
            }
            new_cards = {(c.card_id, c.title, c.body, c.check_json) for c in card_rows(pk, module)}
            new_questions = {q.question_json for q in question_rows(pk, module)}
            if installed_cards != new_cards or installed_questions != new_questions:
                changed.append(module.id)
    return changed


def write_catalog(store: Store, catalog: Catalog, source: Path) -> int:
    """Write every track and module; refuse content whose text changed under an old version.

    The modules' rows go in through the ORM in one flush, their cards, questions and media
    as bulk inserts: one unit of work per module cost more than parsing it (bench/scale.py).
    """
    count = 0
    with store.sessions.begin() as session:
        installed = _installed_versions(session)
        changed = _changed_without_new_version(session, catalog, installed)
        if changed:
            raise UnversionedChangeError(changed)
        session.execute(update(TrackRow).values(active=False))
        ids = sorted({module.id for track in catalog.tracks for module in track.modules})
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            session.execute(update(ModuleRow).where(ModuleRow.id.in_(chunk)).values(active=False))
        placed: list[tuple[ModuleRow, Module]] = []
        for track_position, track in enumerate(catalog.tracks):
            row = session.get(TrackRow, track.id) or TrackRow(id=track.id)
            row.title, row.audience, row.description = track.title, track.audience, track.description
            row.mandatory, row.position, row.active = track.mandatory, track_position, True
            row.language = track.language
            session.add(row)
            session.flush()  # the options name the track row
            track_options.write(session_connection(session), track.id, track.ask_certainty, track.survey)
            placed += [
                (_module_row(session, installed, m, track.id, i), m) for i, m in enumerate(track.modules)
            ]
            count += len(track.modules)
        session.flush()  # every module row has its key
        _write_texts(session, placed, installed)
        replace_programme(session, catalog.programme)
        session.add(
            ContentInstall(
                fingerprint=catalog.fingerprint,
                source=str(source),
                installed_at=datetime.now(UTC),
                module_count=count,
            )
        )
    return count


def _module_row(
    session: Session, installed: dict[tuple[str, str], int], module: Module, track_id: str, position: int
) -> ModuleRow:
    pk = installed.get((module.id, module.version))
    row = session.get(ModuleRow, pk) if pk is not None else None
    if row is None:
        row = ModuleRow(id=module.id, version=module.version)
        session.add(row)
    row.track_id, row.position, row.title, row.summary = track_id, position, module.title, module.summary
    row.minutes, row.pass_mark, row.draw = module.minutes, module.pass_mark, module.draw
    row.card_count, row.question_count = len(module.cards), len(module.questions)
    row.objectives = list(module.objectives)
    row.reviewed, row.review_by = module.reviewed.isoformat(), module.review_by.isoformat()
    row.active = True
    return row


def _write_texts(
    session: Session, placed: list[tuple[ModuleRow, Module]], installed: dict[tuple[str, str], int]
) -> None:
    # Same id and version installed again: the text is identical (checked above); rewrite it.
    again = sorted(set(installed.values()) & {row.pk for row, _ in placed})
    for start in range(0, len(again), _CHUNK):
        chunk = again[start : start + _CHUNK]
        for table in (CardRow, QuestionRow, MediaRow):
            session.execute(delete(table).where(table.module_pk.in_(chunk)))
    cards = [values for row, module in placed for values in card_values(row.pk, module)]
    questions = [values for row, module in placed for values in question_values(row.pk, module)]
    media = [
        {"module_pk": row.pk, "name": name, "data": data}
        for row, module in placed
        for name, data in module.media.items()
    ]
    for table, values in ((CardRow, cards), (QuestionRow, questions), (MediaRow, media)):
        if values:
            session.execute(insert(table), values)
