"""When the app syncs with the central record, in a worker, and what it tells the learner.

Triggers (DESIGN.md "Sync engine"): a few seconds after the window shows its data, a
jittered timer, after a module is done, when the network comes back, and "Sync now". One
sync runs at a time in this process (a trigger during a run is ignored); the service's
lock keeps ``microlearn sync`` in another process out too. On a new or wiped laptop the
learner's progress is restored from the central record first.

What to do at each event is decided by ``sync_machine`` (one state, one transition function,
no Qt); this module runs the workers and the timers it asks for. The worker only calls
services and returns values; results come back to the GUI thread as signals, and widgets
listen to ``state_changed``. Reads for the status words and the
details view run on their own worker so they never wait behind a long sync.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation

from microlearn.records.sync_outcome import Outcome
from microlearn.ui.status_text import (
    ALREADY_RUNNING_MESSAGE,
    FAILED_MESSAGE,
    NOT_SET_UP_MESSAGE,
    RESTORING_TEXT,
    SYNCING_TEXT,
    restore_summary,
    say,
    sync_summary,
    syncing_text,
)
from microlearn.ui.sync_machine import (
    Closed,
    Do,
    Event,
    FirstStateRead,
    NetworkBack,
    Phase,
    ReadEnded,
    ReadRequested,
    RestoreEnded,
    RunFailed,
    ServicesReady,
    StateRead,
    SyncEnded,
    SyncMachine,
    Triggered,
    step,
)
from microlearn.ui.sync_state import (
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

# Importing this module stays cheap: microlearn.services.sync and the sync engine (and, at the
# first sync, httpx) are loaded in the workers; the app builds this controller on the GUI
# thread right after the first paint, before the store opens.

log = logging.getLogger(__name__)
_T = TypeVar("_T")

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
    """Carries out what :mod:`sync_machine` decides: the workers, the timers and the words.

    Every decision (start a run or not, arm which timer, say what) is the machine's; this
    class turns Qt's callbacks into its events and its actions into Qt calls.
    """

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
        self._machine = SyncMachine()
        self._state: SyncState | None = None
        self._running_text: str | None = None  # shown instead of the status while running
        self._sync_total = 0  # what was waiting when the sync started, for "300 of 1,200 sent"
        self._trigger = Trigger.MANUAL  # of the run in progress, for its log line
        self._last_report: SyncReport | None = None
        self._stopping = threading.Event()  # read by the workers
        self._network: QNetworkInformation | None = None  # once a backend loaded
        self._reachability: QNetworkInformation.Reachability | None = None

        self._signals = _WorkerSignals(self)
        self._signals.progressed.connect(self._show_progress)
        self._signals.restoring.connect(self._show_restoring)
        self._first_timer = self._single_shot(Trigger.STARTUP)
        self._interval_timer = self._single_shot(Trigger.TIMER)
        self._network_timer = self._single_shot(Trigger.NETWORK_BACK)
        self._minute_timer = QTimer(self)
        self._minute_timer.setInterval(status_refresh_ms)
        self._minute_timer.timeout.connect(self.refresh_state)

    def _single_shot(self, trigger: Trigger) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self.sync_now(trigger))
        return timer

    # -- what the screens read --------------------------------------------------------------------

    @property
    def state(self) -> SyncState | None:
        return self._state

    @property
    def phase(self) -> Phase:
        return self._machine.phase

    @property
    def running(self) -> bool:
        return self._machine.running

    @property
    def next_sync_in_ms(self) -> int | None:
        """The interval the background timer was last set to (``None`` when it is not set)."""
        return self._interval_timer.interval() if self._interval_timer.isActive() else None

    # -- the machine --------------------------------------------------------------------------------

    def _feed(self, event: Event) -> tuple[Do, ...]:
        """Step the machine and carry out what it decides; the actions are returned too."""
        was_running = self._machine.running
        self._machine, actions = step(self._machine, event)
        if was_running != self._machine.running:
            self._running_text = None  # a new run starts from the plain status
        for action in actions:
            self._do(action)
        return actions

    def _do(self, action: Do) -> None:
        services = self._services
        match action:
            case Do.START_STATUS_CLOCK:
                self._minute_timer.start()
            case Do.READ_STATE:
                self._read(first=False)
            case Do.READ_FIRST_STATE:
                self._read(first=True)
            case Do.WATCH_NETWORK:
                QTimer.singleShot(0, self, self._watch_network)
            case Do.START_RESTORE:
                self._sync_worker.run(self._restore_work, self._guarded(self._restore_done), self._failed)
            case Do.START_SYNC:
                if services is not None:
                    self._sync_worker.run(
                        lambda: self._sync_work(services), self._guarded(self._sync_done), self._failed
                    )
            case Do.STOP_SYNC_TIMERS:
                for timer in (self._first_timer, self._interval_timer, self._network_timer):
                    timer.stop()
            case Do.SCHEDULE_FIRST_SYNC:
                if self._first_sync_delay_ms is not None:
                    low, high = self._first_sync_delay_ms
                    self._first_timer.start(self._rng.randint(low, high))
            case Do.SCHEDULE_NEXT_SYNC:
                if services is not None:
                    minutes = int(services.config.get("lrs.sync_interval_minutes"))
                    self._interval_timer.start(jittered_interval_ms(minutes, self._rng))
            case Do.SCHEDULE_NETWORK_SYNC:
                low, high = self._network_back_delay_ms
                self._network_timer.start(self._rng.randint(low, high))
            case Do.SYNC_AGAIN_SOON:
                QTimer.singleShot(0, self, lambda: self.sync_now(Trigger.MODULE_DONE))
            case Do.SAY_ALREADY_RUNNING:
                self.message.emit(say(ALREADY_RUNNING_MESSAGE))
            case Do.SAY_NOT_SET_UP:
                self.message.emit(say(NOT_SET_UP_MESSAGE))
            case Do.SAY_FAILED:
                self.message.emit(say(FAILED_MESSAGE))
            case Do.SAY_LOCKED:
                if self._last_report is not None:  # `microlearn sync` is running in another process
                    self.message.emit(sync_summary(self._last_report))
            case Do.STOP_EVERYTHING:
                self._stopping.set()
                for timer in (
                    self._first_timer,
                    self._interval_timer,
                    self._network_timer,
                    self._minute_timer,
                ):
                    timer.stop()
                if self._network is not None:
                    self._network.reachabilityChanged.disconnect(self._reachability_changed)
                    self._network = None

    def _guarded(self, callback: Callable[[_T], None]) -> Callable[[_T], None]:
        # A result can arrive after the window closed: drop it rather than touch dead objects.
        def call(value: _T) -> None:
            if self._machine.phase is not Phase.CLOSED:
                callback(value)

        return call

    # -- start-up -----------------------------------------------------------------------------------

    def set_services(self, services: AppServices) -> None:
        """The store is open: show where things stand, restore if this laptop is new, then sync."""
        if self._machine.phase is Phase.CLOSED:
            return
        self._services = services
        self._feed(ServicesReady())

    # -- triggers -----------------------------------------------------------------------------------

    def sync_now(self, trigger: Trigger = Trigger.MANUAL) -> bool:
        """Start a sync in the worker; ``False`` if none was started (one is running, or no LRS)."""
        actions = self._feed(Triggered(trigger))
        if Do.START_SYNC not in actions:
            if self._machine.running:
                log.debug("sync trigger ignored (%s): a sync is running", trigger)
            return False
        log.info("sync started (%s)", trigger)
        self._trigger = trigger
        self._sync_total = self._machine.pending or 0
        self._show_running(say(SYNCING_TEXT))
        return True

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

    def _sync_done(self, result: tuple[SyncReport, SyncState] | None) -> None:
        if result is None:
            self._feed(SyncEnded(cancelled=True))
            return
        report, state = result
        log.info(
            "sync ended (%s): %s%s",
            self._trigger,
            sync_summary(report),
            f" ({report.detail})" if report.detail else "",
        )
        self._running_text = None
        self._publish(state)
        self._last_report = report
        self._feed(SyncEnded(locked=report.outcome is Outcome.LOCKED, trigger=self._trigger))
        self.sync_finished.emit(report)

    def _restore_done(self, result: tuple[RestoreReport | None, SyncState] | None) -> None:
        if result is None:
            self._feed(RestoreEnded(cancelled=True))
            return
        report, state = result
        self._running_text = None
        self._publish(state)
        if report is not None:
            log.info("restore: %s%s", restore_summary(report), f" ({report.detail})" if report.detail else "")
            self.message.emit(restore_summary(report))
            self.restored.emit(report)
        self._feed(RestoreEnded())

    def _failed(self, _error: BaseException) -> None:
        # TaskRunner has logged the traceback; the learner gets plain words and a later retry.
        if self._machine.phase is not Phase.CLOSED:
            self._feed(RunFailed())

    def _show_restoring(self) -> None:
        self._show_running(say(RESTORING_TEXT))

    def _show_running(self, text: str) -> None:
        if not self._machine.running:
            return
        self._running_text = text
        if self._state is not None:
            self._publish(self._state)

    def _show_progress(self, settled: int) -> None:
        if self._machine.running:
            self._show_running(syncing_text(settled, self._sync_total))

    def _publish(self, state: SyncState) -> None:
        state = replace(state, running=False)
        self._state = state
        self._feed(StateRead(state.configured, state.counts.pending if state.counts is not None else None))
        text = self._running_text
        shown = replace(state, text=text, running=True) if self._machine.running and text else state
        self.state_changed.emit(shown)

    # -- reads -------------------------------------------------------------------------------------

    def refresh_state(self) -> None:
        """Read where things stand in the worker and tell the screens."""
        self._feed(ReadRequested())

    def _read(self, *, first: bool) -> None:
        services = self._services
        if services is None:
            return

        def done(state: SyncState) -> None:
            self._publish(state)
            if first:
                self._feed(FirstStateRead())
            self._feed(ReadEnded())

        def failed(_error: BaseException) -> None:
            self._feed(ReadEnded(failed=True))

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
        if services is None or self._machine.phase is Phase.CLOSED:
            return
        self._read_worker.run(lambda: read_outbox_page(services, states, offset, limit), self._guarded(done))

    # -- the network coming back --------------------------------------------------------------------

    def _watch_network(self) -> None:
        """Sync when the network comes back, where Qt has a backend for it (else the timer does)."""
        if (
            not self._watch_network_enabled
            or self._network is not None
            or self._machine.phase is Phase.CLOSED
        ):
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

    def _reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        online = QNetworkInformation.Reachability.Online
        unknown = QNetworkInformation.Reachability.Unknown
        before, self._reachability = self._reachability, reachability
        # Unknown → Online is the backend settling at start-up: the first sync covers that.
        if reachability == online and before not in (online, unknown):
            self._feed(NetworkBack())

    # -- closing -----------------------------------------------------------------------------------

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Stop a running sync (after the request in flight) and wait briefly; ``True`` if idle."""
        if self._machine.phase is Phase.CLOSED:
            return True
        self._feed(Closed())
        services = self._services
        # Only a sync service already opened can be running; reading the attribute would open one.
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
