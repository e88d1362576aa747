"""Writing a checked catalog into the store, in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from microlearn.domain.courseware import Catalog, Module
from microlearn.store import track_options
from microlearn.store.courseware_rows import card_rows, question_rows
from microlearn.store.models import CardRow, ContentInstall, MediaRow, ModuleRow, QuestionRow, TrackRow
from microlearn.store.opening import Store
from microlearn.store.plain_sql import session_connection
from microlearn.store.programme_rules import replace_programme


class UnversionedChangeError(Exception):
    """Installed content changed without a new version: records would name the wrong text."""

    def __init__(self, modules: list[str]) -> None:
        super().__init__(", ".join(modules))
        self.modules = modules


def _changed_without_new_version(session: Session, catalog: Catalog) -> list[str]:
    changed = []
    for track in catalog.tracks:
        for module in track.modules:
            row = session.scalars(
                select(ModuleRow).where(ModuleRow.id == module.id, ModuleRow.version == module.version)
            ).first()
            if row is None:
                continue
            installed_cards = {
                (c.card_id, c.title, c.body, c.check_json)
                for c in session.scalars(select(CardRow).where(CardRow.module_pk == row.pk))
            }
            installed_questions = {
                q.question_json
                for q in session.scalars(select(QuestionRow).where(QuestionRow.module_pk == row.pk))
            }
            new_cards = {(c.card_id, c.title, c.body, c.check_json) for c in card_rows(row.pk, module)}
            new_questions = {q.question_json for q in question_rows(row.pk, module)}
            if installed_cards != new_cards or installed_questions != new_questions:
                changed.append(module.id)
    return changed


def write_catalog(store: Store, catalog: Catalog, source: Path) -> int:
    """Write every track and module; refuse content whose text changed under an old version."""
    count = 0
    with store.sessions.begin() as session:
        changed = _changed_without_new_version(session, catalog)
        if changed:
            raise UnversionedChangeError(changed)
        session.execute(update(TrackRow).values(active=False))
        for track_position, track in enumerate(catalog.tracks):
            row = session.get(TrackRow, track.id) or TrackRow(id=track.id)
            row.title, row.audience, row.description = track.title, track.audience, track.description
            row.mandatory, row.position, row.active = track.mandatory, track_position, True
            row.language = track.language
            session.add(row)
            session.flush()  # the options name the track row
            track_options.write(session_connection(session), track.id, track.ask_certainty, track.survey)
            for position, module in enumerate(track.modules):
                _write_module(session, module, track.id, position)
                count += 1
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


def _write_module(session: Session, module: Module, track_id: str, position: int) -> None:
    session.execute(update(ModuleRow).where(ModuleRow.id == module.id).values(active=False))
    row = session.scalars(
        select(ModuleRow).where(ModuleRow.id == module.id, ModuleRow.version == module.version)
    ).first()
    if row is None:
        row = ModuleRow(id=module.id, version=module.version)
        session.add(row)
    row.track_id, row.position, row.title, row.summary = track_id, position, module.title, module.summary
    row.minutes, row.pass_mark, row.draw = module.minutes, module.pass_mark, module.draw
    row.card_count, row.question_count = len(module.cards), len(module.questions)
    row.objectives = list(module.objectives)
    row.reviewed, row.review_by = module.reviewed.isoformat(), module.review_by.isoformat()
    row.active = True
    session.flush()
    # Same id and version installed again: the text is identical (checked above); rewrite it.
    for table in (CardRow, QuestionRow, MediaRow):
        session.execute(delete(table).where(table.module_pk == row.pk))
    session.add_all(card_rows(row.pk, module))
    session.add_all(question_rows(row.pk, module))
    session.add_all(MediaRow(module_pk=row.pk, name=name, data=data) for name, data in module.media.items())
