"""When the app syncs, as one state and one transition function (no Qt, no clock, no I/O).

The sync controller feeds every event here (the store is open, a trigger, a run or a read
ended, the network came back, the window closed) and carries out the actions it gets back
(start a run in the worker, arm a timer, say something). Keeping the decisions here means
the rules of DESIGN.md "Sync engine" (triggers, one run at a time, nothing waiting → no
call) can be read in one place and tested without a window, a worker or a wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum, auto

from microlearn.ui.sync_state import AUTOMATIC, Trigger


class Phase(Enum):
    WAITING_FOR_STORE = auto()  # the window shows; the services are not ready yet
    IDLE = auto()
    RESTORING = auto()  # rebuilding progress from the central record (a new laptop)
    SYNCING = auto()
    CLOSED = auto()  # the window closed: nothing starts any more


RUNNING = frozenset((Phase.RESTORING, Phase.SYNCING))


class Do(Enum):
    """What the controller does in answer to an event."""

    START_STATUS_CLOCK = auto()  # "Synced 2 minutes ago" stays true
    READ_STATE = auto()  # read where things stand, in the read worker
    READ_FIRST_STATE = auto()  # the same, then tell the machine with FirstStateRead
    WATCH_NETWORK = auto()
    START_RESTORE = auto()
    START_SYNC = auto()
    STOP_SYNC_TIMERS = auto()  # the first-sync, interval and network timers
    SCHEDULE_FIRST_SYNC = auto()  # a few seconds after the window shows its data
    SCHEDULE_NEXT_SYNC = auto()  # the jittered interval
    SCHEDULE_NETWORK_SYNC = auto()  # the network came back: soon, spread out
    SYNC_AGAIN_SOON = auto()  # a module was finished during the run
    SAY_ALREADY_RUNNING = auto()
    SAY_NOT_SET_UP = auto()
    SAY_FAILED = auto()
    SAY_LOCKED = auto()  # `microlearn sync` is running in another process
    STOP_EVERYTHING = auto()


@dataclass(frozen=True)
class SyncMachine:
    """The controller's whole state; every field changes only through :func:`step`."""

    phase: Phase = Phase.WAITING_FOR_STORE
    again: bool = False  # a module was finished during a run: sync once more after it
    reading: bool = False  # a status read is in flight
    read_again: bool = False  # a read was asked for during one: read once more after it
    configured: bool | None = None  # from the last state read (None: not read yet)
    pending: int | None = None  # results waiting, from the last state read

    @property
    def running(self) -> bool:
        return self.phase in RUNNING


# -- events ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServicesReady:
    """The store is open."""


@dataclass(frozen=True)
class StateRead:
    """A state was read (or came back with a run's result) and is now shown."""

    configured: bool
    pending: int | None


@dataclass(frozen=True)
class FirstStateRead:
    """The first read after start-up ended (its StateRead came first)."""


@dataclass(frozen=True)
class Triggered:
    trigger: Trigger


@dataclass(frozen=True)
class SyncEnded:
    cancelled: bool = False  # the window closed during the run: no result
    locked: bool = False  # another process held the sync lock
    trigger: Trigger = Trigger.MANUAL


@dataclass(frozen=True)
class RestoreEnded:
    cancelled: bool = False


@dataclass(frozen=True)
class RunFailed:
    """The sync or the restore raised (the worker logged it)."""


@dataclass(frozen=True)
class ReadRequested:
    first: bool = False  # the read that decides whether to restore and sync at all


@dataclass(frozen=True)
class ReadEnded:
    failed: bool = False


@dataclass(frozen=True)
class NetworkBack:
    """The network went from down to online (not the backend settling at start-up)."""


@dataclass(frozen=True)
class Closed:
    pass


Event = (
    ServicesReady
    | StateRead
    | FirstStateRead
    | Triggered
    | SyncEnded
    | RestoreEnded
    | RunFailed
    | ReadRequested
    | ReadEnded
    | NetworkBack
    | Closed
)


def _next_sync(machine: SyncMachine) -> tuple[Do, ...]:
    # No timer when nothing can be synced to; an unread state does not stop it.
    return () if machine.configured is False else (Do.SCHEDULE_NEXT_SYNC,)


def step(machine: SyncMachine, event: Event) -> tuple[SyncMachine, tuple[Do, ...]]:
    """The new state and what to do, for ``event`` arriving in ``machine``."""
    if machine.phase is Phase.CLOSED:
        return machine, ()  # results arriving after the window closed are dropped
    match event:
        case Closed():
            return replace(machine, phase=Phase.CLOSED), (Do.STOP_EVERYTHING,)
        case ServicesReady():
            ready = (
                replace(machine, phase=Phase.IDLE) if machine.phase is Phase.WAITING_FOR_STORE else machine
            )
            return _read(ready, first=True, actions=(Do.START_STATUS_CLOCK,))
        case StateRead(configured=configured, pending=pending):
            return replace(machine, configured=configured, pending=pending), ()
        case FirstStateRead():
            if machine.configured is False:
                return machine, ()  # nothing to sync to; the status says so, and no timer runs
            return replace(machine, phase=Phase.RESTORING), (Do.WATCH_NETWORK, Do.START_RESTORE)
        case Triggered(trigger=trigger):
            return _triggered(machine, trigger)
        case SyncEnded(cancelled=cancelled, locked=locked, trigger=trigger):
            idle = replace(machine, phase=Phase.IDLE)
            if cancelled:
                return idle, ()
            said = (Do.SAY_LOCKED,) if locked and trigger is Trigger.MANUAL else ()
            again = (Do.SYNC_AGAIN_SOON,) if machine.again else ()
            return replace(idle, again=False), (*said, *_next_sync(idle), *again)
        case RestoreEnded(cancelled=cancelled):
            idle = replace(machine, phase=Phase.IDLE)
            return idle, () if cancelled else (Do.SCHEDULE_FIRST_SYNC, *_next_sync(idle))
        case RunFailed():
            idle = replace(machine, phase=Phase.IDLE)
            return idle, (Do.SAY_FAILED, Do.READ_STATE, *_next_sync(idle))
        case ReadRequested(first=first):
            return _read(machine, first=first, actions=())
        case ReadEnded(failed=failed):
            done = replace(machine, reading=False)
            if failed or not machine.read_again:
                return done, ()
            return replace(done, read_again=False), (Do.READ_STATE,)
        case NetworkBack():
            return machine, (Do.SCHEDULE_NETWORK_SYNC,)
    raise AssertionError(f"unknown event {event!r}")  # pragma: no cover (mypy checks the match)


def _read(
    machine: SyncMachine, *, first: bool, actions: tuple[Do, ...]
) -> tuple[SyncMachine, tuple[Do, ...]]:
    if machine.phase is Phase.WAITING_FOR_STORE:
        return machine, actions
    if machine.reading and not first:
        return replace(machine, read_again=True), actions  # one read at a time; the next covers it
    return replace(machine, reading=True), (*actions, Do.READ_FIRST_STATE if first else Do.READ_STATE)


def _triggered(machine: SyncMachine, trigger: Trigger) -> tuple[SyncMachine, tuple[Do, ...]]:
    if machine.phase is Phase.WAITING_FOR_STORE:
        return machine, ()
    if machine.running:
        if trigger is Trigger.MODULE_DONE:
            return replace(machine, again=True), ()  # its results should not wait for the next timer
        return machine, (Do.SAY_ALREADY_RUNNING,) if trigger is Trigger.MANUAL else ()
    if machine.configured is False:
        # "Not connected … N results kept on this computer"
        read, actions = _read(machine, first=False, actions=())
        return read, (*actions, Do.SAY_NOT_SET_UP) if trigger is Trigger.MANUAL else actions
    if trigger in AUTOMATIC and machine.pending == 0:
        return machine, _next_sync(machine)  # nothing waiting: no need to lock, read or call anyone
    return replace(machine, phase=Phase.SYNCING), (Do.STOP_SYNC_TIMERS, Do.START_SYNC)
