"""What the learner sees at a glance: Today and the Library.

These are read models over the store's owners' plain sqlite3 reads (store/content_reads,
results, attempts, outbox), so the Today screen never waits for the ORM to import.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from microlearn.domain.attempt import ModuleStatus, Phase
from microlearn.store import attempts, content_reads, outbox, results
from microlearn.store.opening import Store
from microlearn.store.outbox import OutboxCounts

__all__ = ["CatalogService", "ModuleSummary", "OutboxCounts", "TodayView", "TrackSummary", "module_status"]


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
class TodayView:
    continue_module: ModuleSummary | None
    in_progress: tuple[ModuleSummary, ...]
    up_next: tuple[ModuleSummary, ...]
    required_left: int
    required_total: int
    outbox: OutboxCounts


def module_status(kinds: set[str], has_open_attempt: bool) -> ModuleStatus:
    """Done = passed (a pass needs every card seen, so it implies completed)."""
    if "passed" in kinds:
        return ModuleStatus.DONE
    if has_open_attempt:
        return ModuleStatus.IN_PROGRESS
    if "failed" in kinds:
        return ModuleStatus.NOT_PASSED
    return ModuleStatus.NOT_STARTED


class CatalogService:
    def __init__(self, store: Store, language: str = "en") -> None:
        """Only tracks written in ``language``, the app's, are listed: content is shown in its
        own language (each track's is kept with the installed content)."""
        self._store = store
        self.language = language

    def _in_language(self, written_in: str) -> bool:
        return written_in.split("-")[0].lower() == self.language.split("-")[0].lower()

    def library(self) -> list[TrackSummary]:
        with self._store.read() as db:
            tracks = [t for t in content_reads.active_tracks(db) if self._in_language(t.language)]
            modules = content_reads.active_modules(db)
            earned = results.results_by_module(db)
            open_attempts = attempts.open_attempts(db)
        by_track: dict[str, list[ModuleSummary]] = {}
        track_by_id = {t.id: t for t in tracks}
        for row in modules:
            track = track_by_id.get(row.track_id)
            if track is None:
                continue
            attempt = open_attempts.get(row.id)
            result = earned.get(row.id)
            by_track.setdefault(track.id, []).append(
                ModuleSummary(
                    id=row.id,
                    title=row.title,
                    summary=row.summary,
                    version=row.version,
                    minutes=row.minutes,
                    review_by=row.review_by,
                    track_id=track.id,
                    track_title=track.title,
                    mandatory=track.mandatory,
                    status=module_status(set(result.kinds) if result else set(), attempt is not None),
                    best_percent=result.best_percent if result else None,
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
        with self._store.read() as db:
            return outbox.outbox_counts(db)

    def today(
        self, tracks: list[TrackSummary] | None = None, required_ids: frozenset[str] | None = None
    ) -> TodayView:
        """``tracks``: the library, if the caller has just read it. ``required_ids``: what the
        learner's programme requires of them; without one, a mandatory track's modules."""
        tracks = self.library() if tracks is None else tracks
        modules = [m for t in tracks for m in t.modules]
        if required_ids is not None:
            # The programme decides: a learner outside its groups has the track as optional.
            modules = [replace(m, mandatory=m.id in required_ids) for m in modules]
        with self._store.read() as db:
            latest = attempts.last_worked_on(db)
            counts = outbox.outbox_counts(db)
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
            outbox=counts,
        )

    def media(self, module_id: str, version: str) -> dict[str, bytes]:
        with self._store.read() as db:
            return content_reads.media_of(db, module_id, version)

    def installed_fingerprint(self) -> str | None:
        with self._store.read() as db:
            return content_reads.installed_fingerprint(db)
