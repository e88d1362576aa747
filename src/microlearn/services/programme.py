"""The learner's programme: what is assigned to them, by when, and where each module stands.

A read model over the store's plain sqlite3 owners (content, results, attempts, assignments,
programme), safe on the Today path: no ORM, YAML or pydantic. It returns facts (dates,
statuses, counts, minutes); ``ui/`` turns them into words.

Without a programme file nothing has a date: a module is required when its track is
``mandatory``, as before. With one, the learner's ``audience.groups`` decide, and a learner
in none of its groups has every module as optional.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from microlearn.domain.attempt import ModuleStatus
from microlearn.domain.due_dates import Completion, DueState, DueStatus, due_state
from microlearn.domain.programme import ModuleRule, Programme
from microlearn.services.catalog import CatalogService, ModuleSummary, TrackSummary
from microlearn.services.time_zone import learner_zone
from microlearn.settings.config import Config
from microlearn.store import assignments, programme_rules, results
from microlearn.store.opening import Store

log = logging.getLogger(__name__)

# Overdue first, then due soon, then the rest; within each, the earliest date first.
STATUS_ORDER = (DueStatus.OVERDUE, DueStatus.DUE_SOON, DueStatus.LATER, DueStatus.DONE, DueStatus.OPTIONAL)


@dataclass(frozen=True)
class AssignedModule:
    module: ModuleSummary
    state: DueState

    @property
    def required(self) -> bool:
        return self.state.required


@dataclass(frozen=True)
class ProgrammeTotals:
    """ "4 modules left · about 60 minutes · next due 15 Jan", as data."""

    modules_left: int
    minutes_left: int
    next_due: date | None
    overdue: int
    due_soon: int
    required: int


@dataclass(frozen=True)
class ProgrammeView:
    today: date
    has_programme: bool  # False: no programme file, so no dates (required = mandatory tracks)
    groups: tuple[str, ...]
    modules: tuple[AssignedModule, ...]  # every module, overdue → due soon → later → done → optional
    totals: ProgrammeTotals

    @property
    def due_now(self) -> tuple[AssignedModule, ...]:
        """Overdue or due within the week: what a reminder is about."""
        return tuple(m for m in self.modules if m.state.status in (DueStatus.OVERDUE, DueStatus.DUE_SOON))

    @property
    def required_ids(self) -> frozenset[str] | None:
        """What the programme requires of this learner; None without a programme file."""
        if not self.has_programme:
            return None
        return frozenset(m.module.id for m in self.modules if m.required)

    def state_of(self, module_id: str) -> DueState | None:
        return next((m.state for m in self.modules if m.module.id == module_id), None)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _sort_key(item: AssignedModule) -> tuple[int, date]:
    return STATUS_ORDER.index(item.state.status), item.state.due or date.max


def totals_of(modules: Sequence[AssignedModule]) -> ProgrammeTotals:
    left = [m for m in modules if m.state.open]
    dates = [m.state.due for m in left if m.state.due is not None]
    return ProgrammeTotals(
        modules_left=len(left),
        minutes_left=sum(m.module.minutes for m in left),
        next_due=min(dates, default=None),
        overdue=sum(1 for m in left if m.state.status is DueStatus.OVERDUE),
        due_soon=sum(1 for m in left if m.state.status is DueStatus.DUE_SOON),
        required=sum(1 for m in modules if m.required),
    )


class ProgrammeService:
    """``learner``: the account name in the record; ``groups``: the policy's audience.groups."""

    def __init__(
        self,
        store: Store,
        learner: str,
        groups: Iterable[str],
        zone: tzinfo,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._store = store
        self._learner = learner
        self._groups = tuple(dict.fromkeys(groups))
        self._zone = zone
        self._clock = clock
        self._catalog = CatalogService(store)

    def _rules(
        self, programme: Programme | None, tracks: Sequence[TrackSummary]
    ) -> dict[str, tuple[ModuleRule, ...]]:
        if programme is None:
            return {}
        return programme.rules_for(self._groups, {t.id: [m.id for m in t.modules] for t in tracks})

    def record_new_assignments(self) -> int:
        """Note now as the first-assigned instant of every newly assigned module.

        A write: call it off the GUI thread (at start-up, after a content install). Until it
        runs, a new assignment counts from today, which is what it will record.
        """
        if self._store.read_only:
            return 0
        with self._store.read() as db:
            programme = programme_rules.installed_programme(db)
        rules = self._rules(programme, self._catalog.library())
        if not rules:
            return 0
        try:
            with self._store.connection() as db:
                return assignments.record_first_assigned(db, self._learner, sorted(rules), self._clock())
        except sqlite3.OperationalError as exc:
            # Busy past the timeout, or the disk full: nothing is lost, the next start records it
            # (until then the assignment counts from today, as it would have).
            log.warning("could not note new assignments yet: %s", exc)
            return 0

    def view(self, tracks: list[TrackSummary] | None = None) -> ProgrammeView:
        """``tracks``: the library, if the caller has just read it."""
        tracks = self._catalog.library() if tracks is None else tracks
        today = self._clock().astimezone(self._zone).date()
        with self._store.read() as db:
            programme = programme_rules.installed_programme(db)
            assigned = assignments.first_assigned(db, self._learner) if programme else {}
            passed = results.latest_passes(db) if programme else []
        rules = self._rules(programme, tracks)
        history: dict[str, list[Completion]] = {}
        for record in passed:
            at = assignments.parse_db_timestamp(record.recorded_at)
            history.setdefault(record.module_id, []).append(Completion(at, record.lessons_done))
        items = []
        for track in tracks:
            for module in track.modules:
                if programme is None:
                    state = _without_programme(module)
                else:
                    state = due_state(
                        rules.get(module.id, ()),
                        assigned.get(module.id),
                        history.get(module.id, ()),
                        today,
                        self._zone,
                    )
                items.append(AssignedModule(module, state))
        items.sort(key=_sort_key)  # stable: track order within the same status and date
        return ProgrammeView(
            today=today,
            has_programme=programme is not None,
            groups=self._groups,
            modules=tuple(items),
            totals=totals_of(items),
        )


def programme_service(store: Store, config: Config) -> ProgrammeService:
    """The learner's programme service, from the configuration's identity and audience groups."""
    return ProgrammeService(store, config.learner_name, config.get("audience.groups"), learner_zone())


def _without_programme(module: ModuleSummary) -> DueState:
    """As before the programme: a mandatory track's modules are required, with no date."""
    if not module.mandatory:
        return DueState(DueStatus.OPTIONAL)
    if module.status is ModuleStatus.DONE:
        return DueState(DueStatus.DONE)
    return DueState(DueStatus.LATER)
