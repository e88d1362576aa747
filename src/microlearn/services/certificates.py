"""Certificates: when every module of a track is done, the learner is given one.

A certificate is kept in the store with the track's cmi5 ``satisfied`` statement queued in the
same transaction (store/certificates.py), so the organisation can look its verification code
up in the LRS. With recurrence, it is valid until the earliest anniversary among the track's
modules, and a new one is given when the track is done again after it lapsed.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo

from microlearn.domain.attempt import ModuleStatus
from microlearn.records.statements import Actor, CertificateFacts, track_satisfied
from microlearn.services.catalog import CatalogService, TrackSummary
from microlearn.services.programme import ProgrammeService, ProgrammeView
from microlearn.settings.config import Config
from microlearn.store import certificates
from microlearn.store.certificates import CertificateRecord
from microlearn.store.opening import Store

# No 0/O, 1/I/L: a code read aloud over the phone or typed from paper is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def verification_code() -> str:
    """Sixteen random characters in four groups, e.g. ``K7QM-3XRT-9PWA-2HDN`` (~79 bits)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def os_full_name() -> str:
    """The full name the computer keeps for the signed-in user (its GECOS field), or ""."""
    try:
        import pwd  # late: POSIX only

        return pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError, AttributeError):
        return ""


def display_name(config: Config) -> str:
    """The policy's display name, else the full name from the OS, else the account name."""
    return str(config.get("identity.display_name")) or os_full_name() or config.learner_name


def _utc_now() -> datetime:
    return datetime.now(UTC)


def earned(track: TrackSummary, view: ProgrammeView) -> bool:
    """Every module done (completed and passed), and none due again under the programme."""
    if not track.modules or any(m.status is not ModuleStatus.DONE for m in track.modules):
        return False
    states = [view.state_of(m.id) for m in track.modules]
    return not any(s is not None and s.open for s in states)


def valid_until(track: TrackSummary, view: ProgrammeView) -> date | None:
    dates = [s.valid_until for m in track.modules if (s := view.state_of(m.id)) and s.valid_until]
    return min(dates, default=None)


class CertificateService:
    def __init__(
        self,
        store: Store,
        config: Config,
        programme: ProgrammeService,
        zone: tzinfo,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._store = store
        self._config = config
        self._programme = programme
        self._catalog = CatalogService(store)
        self._zone = zone
        self._clock = clock

    def certificates(self) -> list[CertificateRecord]:
        with self._store.read() as db:
            return certificates.certificates_of(db, self._config.learner_name)

    def issue_earned(self) -> list[CertificateRecord]:
        """Give a certificate for each track newly done; returns the new ones. A write: call it
        off the GUI thread."""
        if self._store.read_only:
            return []
        tracks = self._catalog.library()
        view = self._programme.view(tracks)
        today = self._clock().astimezone(self._zone).date()
        held = self.certificates()
        new = []
        for track in tracks:
            if not earned(track, view):
                continue
            current = [c for c in held if c.track_id == track.id]
            if any(c.valid_until is None or c.valid_until > today for c in current):
                continue  # already holds a valid one
            new.append(self._issue(track, view))
        return new

    def _issue(self, track: TrackSummary, view: ProgrammeView) -> CertificateRecord:
        now = self._clock()
        until = valid_until(track, view)
        record = CertificateRecord(
            id=str(uuid.uuid4()),
            learner=self._config.learner_name,
            display_name=display_name(self._config),
            track_id=track.id,
            track_title=track.title,
            issued_at=now,
            valid_until=until,
            verification_code=verification_code(),
            modules=tuple((m.id, m.title, m.version) for m in track.modules),
        )
        facts = CertificateFacts(
            actor=Actor(self._config.home_page, self._config.learner_name),
            activity_base=self._config.activity_base,
            track_id=track.id,
            track_title=track.title,
            certificate_id=record.id,
            verification_code=record.verification_code,
            valid_until=until.isoformat() if until else None,
            modules={m.id: m.version for m in track.modules},
        )
        statement = track_satisfied(facts, now)
        with self._store.connection() as db:
            certificates.issue(db, record, statement)
        return record
