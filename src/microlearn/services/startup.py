"""Everything the app needs before it can show data, built in one readable order.

Runs off the GUI thread: open (and if needed recover or migrate) the store and install
the bundled content if it changed. What is not needed to show Today (the daily backup, the
periodic integrity check) waits for ``AppServices.after_today``, in the worker, once Today
is up: a backup of a large store takes seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microlearn.content.bundled import bundled_content_dir, compiled_seed
from microlearn.services.catalog import CatalogService
from microlearn.services.certificates import CertificateService
from microlearn.services.content_install import InstallReport, install_if_changed, installed_last_time
from microlearn.services.programme import ProgrammeService, programme_service
from microlearn.services.reminders import ReminderService
from microlearn.services.time_zone import learner_zone
from microlearn.settings.config import Config, load_config
from microlearn.settings.paths import AppPaths, resolve_paths
from microlearn.store import outbox
from microlearn.store.health import Health
from microlearn.store.opening import Store, open_store, routine_backup, routine_check

if TYPE_CHECKING:
    from microlearn.services.history import HistoryService
    from microlearn.services.learning import LearningService
    from microlearn.services.progress import ProgressReport
    from microlearn.services.reviews import ReviewService
    from microlearn.services.surveys import SurveyService
    from microlearn.services.sync import SyncService

log = logging.getLogger(__name__)
# Content with thousands of problems must not fill the log; `content check` lists them all.
MAX_LOGGED_PROBLEMS = 50


@dataclass(frozen=True)
class Upkeep:
    """What ``AppServices.after_today`` did that the window shows."""

    notices: list[str] = field(default_factory=list)
    content_changed: bool = False  # newer content was installed: Today and the Library change


@dataclass
class AppServices:
    paths: AppPaths
    config: Config
    store: Store
    catalog: CatalogService
    install: InstallReport
    notices: list[str] = field(default_factory=list)
    # Builds ``sync`` from the store and the configuration: the app's own SyncService unless the
    # caller supplies another (a test's, with a fake clock or back-off waits that do not sleep).
    make_sync: Callable[[Store, Config], SyncService] | None = None
    # Content shown on trust at start-up, to compare with its files once Today is up.
    content_to_verify: Path | None = None

    @cached_property
    def learning(self) -> LearningService:
        # Imports the ORM: created on first use (or warmed up in the background after Today shows).
        from microlearn.services.learning import LearningService

        return LearningService(self.store, self.config)

    @cached_property
    def reviews(self) -> ReviewService:
        # Like ``learning``: created on first use, so nothing of it runs before Today shows.
        from microlearn.services.reviews import ReviewService

        return ReviewService(self.store, self.config)

    @cached_property
    def surveys(self) -> SurveyService:
        from microlearn.services.surveys import SurveyService

        return SurveyService(self.store, self.config)

    @cached_property
    def programme(self) -> ProgrammeService:
        return programme_service(self.store, self.config)

    @cached_property
    def history(self) -> HistoryService:
        # Late: the history reads questions through the ORM's models, which Today must not wait for.
        from microlearn.services.history import HistoryService

        return HistoryService(self.store, learner_zone())

    def progress(self) -> ProgressReport:
        """The Progress screen's facts (reads the store: call it off the GUI thread)."""
        from microlearn.services.progress import read_progress  # late: see ``history``

        return read_progress(self.catalog, self.programme, self.history, self.certificates)

    @cached_property
    def certificates(self) -> CertificateService:
        return CertificateService(self.store, self.config, self.programme, learner_zone())

    @cached_property
    def reminders(self) -> ReminderService:
        return ReminderService(
            self.store, self.programme, bool(self.config.get("reminders.enabled")), learner_zone()
        )

    @cached_property
    def sync(self) -> SyncService:
        # Cheap to build (httpx is imported by the first sync, in the sync worker), but kept
        # lazy like ``learning`` so nothing about the central record runs before Today shows.
        # It keeps the configuration it was built with: the LRS settings come from IT's
        # policy and take effect at the next start.
        if self.make_sync is not None:
            return self.make_sync(self.store, self.config)
        from microlearn.services.sync import SyncService

        return SyncService(self.store, self.config)

    def after_today(self, now: datetime | None = None) -> Upkeep:
        """The upkeep that waits until Today is up (call it in the worker): checking that the
        content shown is still what its files hold (installing it if not), the periodic
        integrity check, pruning old sent statements and the daily backup. The notices it
        returns are added to ``notices``."""
        if self.store.read_only:
            return Upkeep()
        added: list[str] = []
        changed = False
        if self.content_to_verify is not None:
            source, self.content_to_verify = self.content_to_verify, None
            self.install, notice = _install_bundled_content(self.store, source)
            changed = self.install.installed
            if notice:
                added.append(notice)
            if changed:  # a new version may assign new modules: their "N days after" starts now
                programme_service(self.store, self.config).record_new_assignments()
        if routine_check(self.store, now) is Health.DAMAGED:
            # Never back up a damaged file over the good backups; the next start repairs it.
            added.append(
                "Microlearn found a problem in its copy of your learning data and will repair it "
                "from the latest backup the next time it starts. Your answers so far are kept."
            )
        else:
            with self.store.connection() as db:  # before the backup: it copies less
                outbox.prune_sent(db, now or datetime.now(UTC))
            backed_up = routine_backup(self.store)
            if backed_up.disk_full:
                added.append(
                    "Your disk is full, so Microlearn could not make today's backup of your learning "
                    "data. Your answers so far are safe. Please free some space on this computer."
                )
        self.notices.extend(added)
        return Upkeep(notices=added, content_changed=changed)

    def close(self) -> None:
        self.store.close()


def start_services(
    paths: AppPaths | None = None,
    content_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
    make_sync: Callable[[Store, Config], SyncService] | None = None,
    language: str = "en",
) -> AppServices:
    """``language``: the interface's (the app shows only the tracks written in it)."""
    paths = paths or resolve_paths()
    config = load_config(paths, overrides)
    source = content_dir or bundled_content_dir()
    store = open_store(paths, seed=compiled_seed(source))
    notices = list(store.notices)
    store.forget_damage()  # the learner reads of it on Today now: said once, not at every start
    if store.read_only:
        # Nothing can be installed, backed up or recorded: show what is there, and say why.
        notices.append(
            "Microlearn cannot save to the folder that holds your learning data, so you can see "
            "your progress but new answers will not be kept. Please ask IT to make the folder "
            f"writable again: {paths.data_dir}"
        )
        return AppServices(
            paths=paths,
            config=config,
            store=store,
            catalog=CatalogService(store, language),
            install=InstallReport(installed=False, up_to_date=True),
            notices=notices,
        )
    if installed_last_time(store, source):
        # The folder installed last time: Today shows it now, and after_today checks whether
        # its files changed since (walking 2,000 modules' files costs Today a tenth of a second).
        report, verify = InstallReport(installed=False, up_to_date=True), source
    else:
        verify = None
        report, content_notice = _install_bundled_content(store, source)
        if content_notice:
            notices.append(content_notice)
    # Off the GUI thread, after any install: a new assignment's "N days after" starts now.
    programme_service(store, config).record_new_assignments()
    return AppServices(
        paths=paths,
        config=config,
        store=store,
        catalog=CatalogService(store, language),
        install=report,
        notices=notices,
        make_sync=make_sync,
        content_to_verify=verify,
    )


def _install_bundled_content(store: Store, source: Path) -> tuple[InstallReport, str | None]:
    """Install the bundled content if it changed; never stops the app.

    Content with errors is refused and the installed content kept. IT reads why in the log
    (and in ``microlearn doctor``); the learner, who cannot fix it, is told only when there
    is nothing to learn from yet.
    """
    report = install_if_changed(store, source)
    if not report.refused:
        return report, None
    log.error(
        "the content in %s was refused (%d problem(s)); the installed content is kept. "
        "Run: microlearn content check %s",
        source,
        len(report.problems),
        source,
    )
    for problem in report.problems[:MAX_LOGGED_PROBLEMS]:
        log.error("content refused: %s", problem.render())
    if CatalogService(store).installed_fingerprint() is not None:
        return report, None
    return report, (
        "Your learning modules are not ready yet. Please let IT know; they can see what to fix "
        "in the app's log."
    )
