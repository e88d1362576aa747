"""What the Progress screen shows, read in one go off the GUI thread: the programme (status and
due date of every module), every attempt, the minutes learned, and the certificates."""

from __future__ import annotations

from dataclasses import dataclass

from microlearn.domain.history import AttemptRecord, MinutesLearned
from microlearn.services.catalog import CatalogService, TrackSummary
from microlearn.services.history import HistoryService
from microlearn.services.programme import ProgrammeService, ProgrammeView


@dataclass(frozen=True)
class ProgressReport:
    tracks: tuple[TrackSummary, ...]
    programme: ProgrammeView
    attempts: dict[str, tuple[AttemptRecord, ...]]  # by module id, newest first
    minutes: MinutesLearned


def read_progress(
    catalog: CatalogService, programme: ProgrammeService, history: HistoryService
) -> ProgressReport:
    tracks = catalog.library()
    return ProgressReport(
        tracks=tuple(tracks),
        programme=programme.view(tracks),
        attempts=history.by_module(),
        minutes=history.minutes_learned(),
    )
