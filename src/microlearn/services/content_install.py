"""Installing content into the store: all of it in one transaction, or nothing.

Content is compiled into the store the first time and whenever its fingerprint changes,
never re-parsed on an ordinary start. Invalid content is refused as a whole and the
store keeps what it had.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from microlearn.content.loader import load_catalog
from microlearn.content.problems import Problem
from microlearn.content.source_files import fingerprint
from microlearn.domain.courseware import Catalog, Module
from microlearn.store.courseware_rows import card_rows, question_rows
from microlearn.store.models import (
    CardRow,
    ContentInstall,
    MediaRow,
    ModuleRow,
    QuestionRow,
    TrackRow,
)
from microlearn.store.opening import Store


@dataclass(frozen=True)
class InstallReport:
    installed: bool
    up_to_date: bool
    module_count: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return not self.installed and not self.up_to_date


def installed_fingerprint(session: Session) -> str | None:
    return session.scalars(
        select(ContentInstall.fingerprint).order_by(ContentInstall.id.desc()).limit(1)
    ).first()


def install_if_changed(store: Store, source: Path) -> InstallReport:
    """Install ``source`` unless exactly this content is already installed."""
    if not source.is_dir():
        return InstallReport(
            installed=False,
            up_to_date=False,
            problems=[Problem(source, 1, "the content folder is missing; reinstall Microlearn or ask IT")],
        )
    current = fingerprint(source)
    with store.sessions() as session:
        if installed_fingerprint(session) == current:
            return InstallReport(installed=False, up_to_date=True)
    return install(store, source)


def install(store: Store, source: Path) -> InstallReport:
    result = load_catalog(source)
    if result.catalog is None:
        return InstallReport(installed=False, up_to_date=False, problems=list(result.problems))
    count = _write_catalog(store, result.catalog, source)
    return InstallReport(installed=True, up_to_date=False, module_count=count, problems=list(result.problems))


def _write_catalog(store: Store, catalog: Catalog, source: Path) -> int:
    count = 0
    with store.sessions.begin() as session:
        session.execute(update(TrackRow).values(active=False))
        for track_position, track in enumerate(catalog.tracks):
            row = session.get(TrackRow, track.id) or TrackRow(id=track.id)
            row.title, row.audience, row.description = track.title, track.audience, track.description
            row.mandatory, row.position, row.active = track.mandatory, track_position, True
            session.add(row)
            for position, module in enumerate(track.modules):
                _write_module(session, module, track.id, position)
                count += 1
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
    # Same id and version re-installed: replace its text in place (attempts keep working).
    for table in (CardRow, QuestionRow, MediaRow):
        session.query(table).filter(table.module_pk == row.pk).delete()
    session.add_all(card_rows(row.pk, module))
    session.add_all(question_rows(row.pk, module))
    session.add_all(MediaRow(module_pk=row.pk, name=name, data=data) for name, data in module.media.items())
