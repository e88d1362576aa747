"""When the app syncs with the central record, in a worker, and what it tells the learner.

Triggers (DESIGN.md "Sync engine"): a few seconds after the window shows its data, a
jittered timer, after a module is done, when the network comes back, and "Sync now". One
sync runs at a time in this process (a trigger during a run is ignored); the service's
lock keeps ``microlearn sync`` in another process out too. On a new or wiped laptop the
learner's progress is restored from the central record first.

The worker only calls services and returns values; results come back to the GUI thread as
signals, and widgets listen to ``state_changed``. Reads for the status words and the
details view run on their own worker so they never wait behind a long sync.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from microlearn.records.sync_outcome import Outcome
from microlearn.ui.status_text import (
    ALREADY_RUNNING_MESSAGE,
    FAILED_MESSAGE,
    NOT_SET_UP_MESSAGE,
    RESTORING_TEXT,
    SYNCING_TEXT,
    restore_summary,
    sync_summary,
    syncing_text,
)
from microlearn.ui.sync_state import (
    AUTOMATIC,
    OutboxPage,
    SyncState,
    Trigger,
    read_outbox_page,
    read_state,
)
from microlearn.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from microlearn.records.restore import RestoreReport
    from microlearn.records.sync_outcome import SyncProgress, SyncReport
    from microlearn.services.startup import AppServices

# Importing this module stays cheap: microlearn.services.sync (and, at the first sync, httpx)
# is loaded in the workers, never on the path to the first paint.

log = logging.getLogger(__name__)

SYNC_SHORTCUT = "F5"
JITTER = 0.2  # the timer fires at the configured interval ± 20 %
FIRST_SYNC_DELAY_MS = (3_000, 8_000)  # after the window shows its data
NETWORK_BACK_DELAY_MS = (2_000, 15_000)  # let the connection settle; spread the calls
STATUS_REFRESH_MS = 60_000  # "Synced 2 minutes ago" stays true
SHUTDOWN_WAIT_MS = 3_000


def jittered_interval_ms(minutes: int, rng: random.Random) -> int:
    """``minutes`` ± 20 %, so that thousands of laptops started at 9:00 do not all call at once."""
    base_ms = max(1, int(minutes)) * 60_000
    return round(base_ms * rng.uniform(1 - JITTER, 1 + JITTER))


class _WorkerSignals(QObject):
    """Emitted from the sync worker; delivered on the GUI thread (queued)."""

    progressed = Signal(int)  # statements settled so far
    restoring = Signal()


class SyncController(QObject):
    state_changed = Signal(object)  # SyncState
    message = Signal(str)  # a passing message for the status bar
    sync_finished = Signal(object)  # SyncReport
    restored = Signal(object)  # RestoreReport: progress was rebuilt, refresh the screens

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        first_sync_delay_ms: tuple[int, int] | None = FIRST_SYNC_DELAY_MS,
        network_back_delay_ms: tuple[int, int] = NETWORK_BACK_DELAY_MS,
        watch_network: bool = True,
        status_refresh_ms: int = STATUS_REFRESH_MS,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent)
        self._first_sync_delay_ms = first_sync_delay_ms
        self._network_back_delay_ms = network_back_delay_ms
        self._watch_network_enabled = watch_network
        self._rng = rng or random.Random()
        self._sync_worker = TaskRunner(self)  # the sync and the restore, one at a time
        self._read_worker = TaskRunner(self)  # status words and details pages
        self._services: AppServices | None = None
        self._state: SyncState | None = None
        self._running = False
        self._running_text: str | None = None  # shown instead of the status while running
        self._again = False  # a module was finished during a run: sync once more after it
        self._sync_total = 0  # what was waiting when the sync started, for "300 of 1,200 sent"
        self._reading = False
        self._read_again = False
        self._closed = False
        self._stopping = threading.Event()  # read by the workers
        self._network: Any = None  # QNetworkInformation, once a backend loaded
        self._reachability: Any = None

        self._signals = _WorkerSignals(self)
        self._signals.progressed.connect(self._show_progress)
        self._signals.restoring.connect(lambda: self._show_running(RESTORING_TEXT))
        self._first_timer = self._single_shot(lambda: self.sync_now(Trigger.STARTUP))
        self._interval_timer = self._single_shot(lambda: self.sync_now(Trigger.TIMER))
        self._network_timer = self._single_shot(lambda: self.sync_now(Trigger.NETWORK_BACK))
        self._minute_timer = QTimer(self)
        self._minute_timer.setInterval(status_refresh_ms)
        self._minute_timer.timeout.connect(self.refresh_state)

    def _single_shot(self, slot: Callable[[], object]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # -- what the screens read --------------------------------------------------------------------

    @property
    def state(self) -> SyncState | None:
        return self._state

    @property
    def running(self) -> bool:
        return self._running

    @property
    def next_sync_in_ms(self) -> int | None:
        """The interval the background timer was last set to (``None`` when it is not set)."""
        return self._interval_timer.interval() if self._interval_timer.isActive() else None

    # -- start-up -----------------------------------------------------------------------------------

    def set_services(self, services: AppServices) -> None:
        """The store is open: show where things stand, restore if this laptop is new, then sync."""
        if self._closed:
            return
        self._services = services
        self._minute_timer.start()
        self.refresh_state(then=self._after_first_state)

    def _after_first_state(self, state: SyncState) -> None:
        if not state.configured:
            return  # nothing to sync to; the status says so, and no timer runs
        QTimer.singleShot(0, self, self._watch_network)
        self._start_run(self._restore_work, self._restore_done)

    def _schedule_first_sync(self) -> None:
        if self._first_sync_delay_ms is not None and not self._closed:
            low, high = self._first_sync_delay_ms
            self._first_timer.start(self._rng.randint(low, high))

    def _schedule_next(self) -> None:
        services = self._services
        if services is None or self._closed or (self._state is not None and not self._state.configured):
            return
        minutes = int(services.config.get("lrs.sync_interval_minutes"))
        self._interval_timer.start(jittered_interval_ms(minutes, self._rng))

    # -- triggers -----------------------------------------------------------------------------------

    def sync_now(self, trigger: Trigger = Trigger.MANUAL) -> bool:
        """Start a sync in the worker; ``False`` if none was started (one is running, or no LRS)."""
        services = self._services
        if services is None or self._closed:
            return False
        if self._running:
            if trigger is Trigger.MODULE_DONE:
                self._again = True  # its results should not wait for the next timer
            elif trigger is Trigger.MANUAL:
                self.message.emit(ALREADY_RUNNING_MESSAGE)
            log.debug("sync trigger ignored (%s): a sync is running", trigger)
            return False
        if self._state is not None and not self._state.configured:
            self.refresh_state()  # "Not connected … N results kept on this computer"
            if trigger is Trigger.MANUAL:
                self.message.emit(NOT_SET_UP_MESSAGE)
            return False
        counts = self._state.counts if self._state is not None else None
        if trigger in AUTOMATIC and counts is not None and not counts.pending:
            self._schedule_next()  # nothing waiting: no need to lock, read or call anyone
            return False
        log.info("sync started (%s)", trigger)
        self._first_timer.stop()
        self._interval_timer.stop()
        self._network_timer.stop()
        self._sync_total = counts.pending if counts is not None else 0
        self._start_run(lambda: self._sync_work(services), lambda result: self._sync_done(trigger, result))
        self._show_running(SYNCING_TEXT)
        return True

    def _start_run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._running = True
        self._running_text = None
        self._sync_worker.run(work, self._guarded(done), self._guarded(self._run_failed))

    def _end_run(self) -> None:
        self._running = False
        self._running_text = None

    def _guarded(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        # A result can arrive after the window closed: drop it rather than touch dead objects.
        def call(value: Any) -> None:
            if not self._closed:
                callback(value)

        return call

    # -- in the worker (no widgets here) ----------------------------------------------------------

    def _sync_work(self, services: AppServices) -> tuple[SyncReport, SyncState] | None:
        if self._stopping.is_set():
            return None
        report = services.sync.sync_now(progress=self._report_progress)
        return report, read_state(services)

    def _report_progress(self, progress: SyncProgress) -> None:
        if not self._stopping.is_set():
            self._signals.progressed.emit(progress.sent + progress.conflicts + progress.rejected)

    def _restore_work(self) -> tuple[RestoreReport | None, SyncState] | None:
        services = self._services
        if services is None or self._stopping.is_set():
            return None
        report = None
        if services.sync.needs_restore():
            self._signals.restoring.emit()
            report = services.sync.restore()
        return report, read_state(services)

    # -- back on the GUI thread ----------------------------------------------------------------------

    def _sync_done(self, trigger: Trigger, result: tuple[SyncReport, SyncState] | None) -> None:
        self._end_run()
        if result is None:
            return
        report, state = result
        log.info(
            "sync ended (%s): %s%s",
            trigger,
            sync_summary(report),
            f" ({report.detail})" if report.detail else "",
        )
        self._publish(state)
        if trigger is Trigger.MANUAL and report.outcome is Outcome.LOCKED:
            self.message.emit(sync_summary(report))  # `microlearn sync` is running in another process
        self.sync_finished.emit(report)
        self._schedule_next()
        if self._again:
            self._again = False
            QTimer.singleShot(0, self, lambda: self.sync_now(Trigger.MODULE_DONE))

    def _restore_done(self, result: tuple[RestoreReport | None, SyncState] | None) -> None:
        self._end_run()
        if result is None:
            return
        report, state = result
        self._publish(state)
        if report is not None:
            log.info("restore: %s%s", restore_summary(report), f" ({report.detail})" if report.detail else "")
            self.message.emit(restore_summary(report))
            self.restored.emit(report)
        self._schedule_first_sync()
        self._schedule_next()

    def _run_failed(self, error: BaseException) -> None:
        # TaskRunner has logged the traceback; the learner gets plain words and a later retry.
        self._end_run()
        self.message.emit(FAILED_MESSAGE)
        self.refresh_state()
        self._schedule_next()

    def _show_running(self, text: str) -> None:
        if not self._running:
            return
        self._running_text = text
        if self._state is not None:
            self._publish(self._state)

    def _show_progress(self, settled: int) -> None:
        if self._running:
            self._show_running(syncing_text(settled, self._sync_total))

    def _publish(self, state: SyncState) -> None:
        state = replace(state, running=False)
        self._state = state
        text = self._running_text
        shown = replace(state, text=text, running=True) if self._running and text else state
        self.state_changed.emit(shown)

    # -- reads -------------------------------------------------------------------------------------

    def refresh_state(self, then: Callable[[SyncState], None] | None = None) -> None:
        """Read where things stand in the worker and tell the screens."""
        services = self._services
        if services is None or self._closed:
            return
        if self._reading and then is None:
            self._read_again = True
            return
        self._reading = True

        def done(state: SyncState) -> None:
            self._reading = False
            self._publish(state)
            if then is not None:
                then(state)
            if self._read_again:
                self._read_again = False
                self.refresh_state()

        def failed(_error: BaseException) -> None:
            self._reading = False

        self._read_worker.run(lambda: read_state(services), self._guarded(done), self._guarded(failed))

    def load_details(
        self,
        states: Sequence[str] | None,
        offset: int,
        limit: int,
        done: Callable[[OutboxPage], None],
    ) -> None:
        """One page of the details view, read in the worker; ``done`` runs on the GUI thread."""
        services = self._services
        if services is None or self._closed:
            return
        self._read_worker.run(lambda: read_outbox_page(services, states, offset, limit), self._guarded(done))

    # -- the network coming back --------------------------------------------------------------------

    def _watch_network(self) -> None:
        """Sync when the network comes back, where Qt has a backend for it (else the timer does)."""
        if not self._watch_network_enabled or self._network is not None or self._closed:
            return
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:  # a trimmed bundle without QtNetwork: the timer is enough
            return
        feature = QNetworkInformation.Feature.Reachability
        if QNetworkInformation.instance() is None and not QNetworkInformation.loadBackendByFeatures(feature):
            log.info("no network-information backend; syncing on the timer only")
            return
        info = QNetworkInformation.instance()
        if info is None:
            return
        self._network = info
        self._reachability = info.reachability()
        info.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        online = QNetworkInformation.Reachability.Online
        unknown = QNetworkInformation.Reachability.Unknown
        before, self._reachability = self._reachability, reachability
        # Unknown → Online is the backend settling at start-up: the first sync covers that.
        if reachability == online and before not in (online, unknown) and not self._closed:
            low, high = self._network_back_delay_ms
            self._network_timer.start(self._rng.randint(low, high))

    # -- closing -----------------------------------------------------------------------------------

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Stop a running sync (after the request in flight) and wait briefly; ``True`` if idle."""
        if self._closed:
            return True
        self._closed = True
        self._stopping.set()
        for timer in (self._first_timer, self._interval_timer, self._network_timer, self._minute_timer):
            timer.stop()
        if self._network is not None:
            self._network.reachabilityChanged.disconnect(self._reachability_changed)
            self._network = None
        services = self._services
        service = services.__dict__.get("sync") if services is not None else None
        deadline = time.monotonic() + wait_ms / 1000
        idle = False
        while True:
            if service is not None:
                service.cancel()  # again each round: a sync just starting clears the flag
            if self._sync_worker.wait(50):
                idle = True
                break
            if time.monotonic() >= deadline:
                break
        if not idle:
            log.warning("a sync was still finishing when the app closed; it stops after its request")
        self._read_worker.wait(max(0, int((deadline - time.monotonic()) * 1000)))
        return idle
