"""What the Progress screen shows, read in one go off the GUI thread: the programme (status and
due date of every module), every attempt, the minutes learned, and the certificates."""

from __future__ import annotations

from dataclasses import dataclass

from microlearn.domain.history import AttemptRecord, MinutesLearned
from microlearn.services.catalog import CatalogService, TrackSummary
from microlearn.services.certificates import CertificateService
from microlearn.services.history import HistoryService
from microlearn.services.programme import ProgrammeService, ProgrammeView
from microlearn.store.certificates import CertificateRecord


@dataclass(frozen=True)
class ProgressReport:
    tracks: tuple[TrackSummary, ...]
    programme: ProgrammeView
    attempts: dict[str, tuple[AttemptRecord, ...]]  # by module id, newest first
    minutes: MinutesLearned
    certificates: tuple[CertificateRecord, ...]  # newest first


def read_progress(
    catalog: CatalogService, programme: ProgrammeService, history: HistoryService, given: CertificateService
) -> ProgressReport:
    """Gives any certificate newly earned first (a write), so Progress shows it at once."""
    given.issue_earned()
    tracks = catalog.library()
    return ProgressReport(
        tracks=tuple(tracks),
        programme=programme.view(tracks),
        attempts=history.by_module(),
        minutes=history.minutes_learned(),
        certificates=tuple(given.certificates()),
    )
