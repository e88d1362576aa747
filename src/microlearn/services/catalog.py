"""What the learner sees at a glance: Today and the Library, built from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from microlearn.domain.attempt import ModuleStatus, Phase
from microlearn.store.models import AttemptRow, MediaRow, ModuleRow, OutboxRow, ResultRow, TrackRow
from microlearn.store.opening import Store


@dataclass(frozen=True)
class ModuleSummary:
    id: str
    title: str
    summary: str
    version: str
    minutes: int
    review_by: date
    track_id: str
    track_title: str
    mandatory: bool
    status: ModuleStatus
    best_percent: int | None
    resume_phase: Phase | None  # where an unfinished attempt stands
    resume_card: int
    card_count: int


@dataclass(frozen=True)
class TrackSummary:
    id: str
    title: str
    audience: str
    description: str
    mandatory: bool
    modules: tuple[ModuleSummary, ...]

    @property
    def done_count(self) -> int:
        return sum(1 for m in self.modules if m.status is ModuleStatus.DONE)


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    sent: int
    conflict: int
    rejected: int


@dataclass(frozen=True)
class TodayView:
    continue_module: ModuleSummary | None
    in_progress: tuple[ModuleSummary, ...]
    up_next: tuple[ModuleSummary, ...]
    required_left: int
    required_total: int
    outbox: OutboxCounts


class CatalogService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def library(self) -> list[TrackSummary]:
        with self._store.sessions() as session:
            tracks = list(
                session.scalars(select(TrackRow).where(TrackRow.active).order_by(TrackRow.position))
            )
            modules = list(
                session.scalars(select(ModuleRow).where(ModuleRow.active).order_by(ModuleRow.position))
            )
            results: dict[str, list[ResultRow]] = {}
            for result in session.scalars(select(ResultRow)):
                results.setdefault(result.module_id, []).append(result)
            open_attempts = {
                a.module_id: a
                for a in session.scalars(
                    select(AttemptRow).where(AttemptRow.finished_at.is_(None)).order_by(AttemptRow.id)
                )
            }
        by_track: dict[str, list[ModuleSummary]] = {}
        track_by_id = {t.id: t for t in tracks}
        for row in modules:
            track = track_by_id.get(row.track_id)
            if track is None:
                continue
            earned = results.get(row.id, [])
            attempt = open_attempts.get(row.id)
            scores = [
                round(100 * r.score_raw / r.score_max)
                for r in earned
                if r.kind in ("passed", "failed") and r.score_raw is not None and r.score_max
            ]
            if any(r.kind == "passed" for r in earned):
                status = ModuleStatus.DONE
            elif attempt is not None:
                status = ModuleStatus.IN_PROGRESS
            elif any(r.kind == "failed" for r in earned):
                status = ModuleStatus.NOT_PASSED
            else:
                status = ModuleStatus.NOT_STARTED
            by_track.setdefault(track.id, []).append(
                ModuleSummary(
                    id=row.id,
                    title=row.title,
                    summary=row.summary,
                    version=row.version,
                    minutes=row.minutes,
                    review_by=date.fromisoformat(row.review_by),
                    track_id=track.id,
                    track_title=track.title,
                    mandatory=track.mandatory,
                    status=status,
                    best_percent=max(scores) if scores else None,
                    resume_phase=Phase(attempt.phase) if attempt else None,
                    resume_card=attempt.card_index if attempt else 0,
                    card_count=row.card_count,
                )
            )
        return [
            TrackSummary(
                id=t.id,
                title=t.title,
                audience=t.audience,
                description=t.description,
                mandatory=t.mandatory,
                modules=tuple(by_track.get(t.id, [])),
            )
            for t in tracks
        ]

    def outbox_counts(self) -> OutboxCounts:
        with self._store.sessions() as session:
            counts = dict(
                session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status)).all()
            )
        return OutboxCounts(
            pending=counts.get("pending", 0),
            sent=counts.get("sent", 0),
            conflict=counts.get("conflict", 0),
            rejected=counts.get("rejected", 0),
        )

    def today(self) -> TodayView:
        tracks = self.library()
        modules = [m for t in tracks for m in t.modules]
        with self._store.sessions() as session:
            latest = session.scalars(
                select(AttemptRow.module_id)
                .where(AttemptRow.finished_at.is_(None))
                .order_by(AttemptRow.updated_at.desc())
            ).first()
        in_progress = tuple(m for m in modules if m.status is ModuleStatus.IN_PROGRESS)
        continue_module = next((m for m in in_progress if m.id == latest), None)
        # Required first, in track order; failed ones before new ones so nothing is left hanging.
        waiting = [m for m in modules if m.status in (ModuleStatus.NOT_PASSED, ModuleStatus.NOT_STARTED)]
        waiting.sort(key=lambda m: (not m.mandatory, m.status is ModuleStatus.NOT_STARTED))
        required = [m for m in modules if m.mandatory]
        return TodayView(
            continue_module=continue_module,
            in_progress=tuple(m for m in in_progress if m is not continue_module),
            up_next=tuple(waiting[:3]),
            required_left=sum(1 for m in required if m.status is not ModuleStatus.DONE),
            required_total=len(required),
            outbox=self.outbox_counts(),
        )

    def media(self, module_id: str, version: str) -> dict[str, bytes]:

        with self._store.sessions() as session:
            row = session.scalars(
                select(ModuleRow).where(ModuleRow.id == module_id, ModuleRow.version == version)
            ).first()
            if row is None:
                return {}
            return {
                m.name: m.data for m in session.scalars(select(MediaRow).where(MediaRow.module_pk == row.pk))
            }
