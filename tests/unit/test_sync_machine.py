"""When the app syncs: the sync controller's state and transition function, without Qt.

Each test feeds events as the controller would (the store opened, a trigger, a run ended)
and checks what the machine decides: whether a run starts, which timer is armed, what the
learner is told. No window, no worker and no clock: timers are actions, not waits.
"""

from __future__ import annotations

import random

import pytest

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
from microlearn.ui.sync_state import Trigger


def feed(machine: SyncMachine, *events: Event) -> tuple[SyncMachine, list[Do]]:
    """Every action the events cause, in order."""
    done: list[Do] = []
    for event in events:
        machine, actions = step(machine, event)
        done.extend(actions)
    return machine, done


def started(configured: bool = True, pending: int = 3) -> SyncMachine:
    """The machine once the store is open, the first state read and any restore over."""
    machine, _ = feed(
        SyncMachine(), ServicesReady(), StateRead(configured, pending), FirstStateRead(), ReadEnded()
    )
    if configured:
        machine, _ = feed(machine, RestoreEnded())
    return machine


def test_start_up_reads_the_state_restores_then_arms_the_first_sync_and_the_timer() -> None:
    machine, actions = feed(SyncMachine(), ServicesReady())
    assert Do.READ_FIRST_STATE in actions and Do.START_STATUS_CLOCK in actions
    assert Do.START_SYNC not in actions  # not before the learner sees where things stand
    machine, actions = feed(machine, StateRead(configured=True, pending=2), FirstStateRead())
    assert machine.phase is Phase.RESTORING and machine.running
    assert Do.START_RESTORE in actions and Do.WATCH_NETWORK in actions
    machine, actions = feed(machine, ReadEnded(), RestoreEnded())
    assert machine.phase is Phase.IDLE
    assert Do.SCHEDULE_FIRST_SYNC in actions and Do.SCHEDULE_NEXT_SYNC in actions


def test_triggers_before_the_store_is_open_do_nothing() -> None:
    for trigger in Trigger:
        machine, actions = feed(SyncMachine(), Triggered(trigger))
        assert actions == [] and machine.phase is Phase.WAITING_FOR_STORE


def test_without_a_central_record_nothing_syncs_and_no_timer_runs() -> None:
    machine = started(configured=False)
    assert machine.phase is Phase.IDLE
    for trigger in (Trigger.STARTUP, Trigger.TIMER, Trigger.NETWORK_BACK, Trigger.MODULE_DONE):
        machine, actions = feed(machine, Triggered(trigger), ReadEnded())
        assert Do.START_SYNC not in actions and Do.SCHEDULE_NEXT_SYNC not in actions
        assert Do.SAY_NOT_SET_UP not in actions
    machine, actions = feed(machine, Triggered(Trigger.MANUAL))
    assert Do.SAY_NOT_SET_UP in actions and Do.READ_STATE in actions  # "… kept on this computer"
    assert Do.START_SYNC not in actions and not machine.running


@pytest.mark.parametrize("trigger", list(Trigger))
def test_any_trigger_syncs_when_results_are_waiting(trigger: Trigger) -> None:
    machine, actions = feed(started(pending=4), Triggered(trigger))
    assert actions[-1] is Do.START_SYNC and Do.STOP_SYNC_TIMERS in actions
    assert machine.phase is Phase.SYNCING


def test_with_nothing_waiting_only_the_learner_or_a_finished_module_start_a_sync() -> None:
    idle = started(pending=0)
    for trigger in (Trigger.STARTUP, Trigger.TIMER, Trigger.NETWORK_BACK):
        machine, actions = feed(idle, Triggered(trigger))
        assert actions == [Do.SCHEDULE_NEXT_SYNC], trigger  # no lock, no read, no call
        assert machine.phase is Phase.IDLE
    for trigger in (Trigger.MANUAL, Trigger.MODULE_DONE):
        _machine, actions = feed(idle, Triggered(trigger))
        assert Do.START_SYNC in actions, trigger


def test_one_sync_at_a_time_and_sync_now_during_one_says_so() -> None:
    machine, _ = feed(started(), Triggered(Trigger.TIMER))
    for trigger in (Trigger.STARTUP, Trigger.TIMER, Trigger.NETWORK_BACK):
        machine, actions = feed(machine, Triggered(trigger))
        assert actions == [], trigger
    machine, actions = feed(machine, Triggered(Trigger.MANUAL))
    assert actions == [Do.SAY_ALREADY_RUNNING] and machine.phase is Phase.SYNCING
    machine, actions = feed(machine, SyncEnded(trigger=Trigger.TIMER))
    assert machine.phase is Phase.IDLE and Do.SYNC_AGAIN_SOON not in actions
    assert Do.SCHEDULE_NEXT_SYNC in actions


def test_a_module_finished_during_a_sync_is_sent_once_right_after_it() -> None:
    machine, _ = feed(started(), Triggered(Trigger.MANUAL), Triggered(Trigger.MODULE_DONE))
    machine, actions = feed(machine, Triggered(Trigger.MODULE_DONE))  # twice: still one more run
    assert Do.START_SYNC not in actions
    machine, actions = feed(machine, SyncEnded())
    assert actions.count(Do.SYNC_AGAIN_SOON) == 1
    machine, actions = feed(machine, Triggered(Trigger.MODULE_DONE), SyncEnded())
    assert Do.SYNC_AGAIN_SOON not in actions  # the request was used up


def test_a_failed_run_tells_the_learner_rereads_and_tries_again_later() -> None:
    machine, _ = feed(started(), Triggered(Trigger.MANUAL))
    machine, actions = feed(machine, RunFailed())
    assert machine.phase is Phase.IDLE
    assert {Do.SAY_FAILED, Do.READ_STATE, Do.SCHEDULE_NEXT_SYNC} <= set(actions)
    _machine, actions = feed(machine, Triggered(Trigger.MANUAL))
    assert Do.START_SYNC in actions


def test_another_process_holding_the_lock_is_only_mentioned_to_a_learner_who_asked() -> None:
    for trigger, said in ((Trigger.MANUAL, True), (Trigger.TIMER, False)):
        machine, _ = feed(started(), Triggered(trigger))
        _machine, actions = feed(machine, SyncEnded(locked=True, trigger=trigger))
        assert (Do.SAY_LOCKED in actions) is said


def test_the_network_coming_back_arms_its_own_timer_which_then_syncs() -> None:
    machine, actions = feed(started(), NetworkBack())
    assert actions == [Do.SCHEDULE_NETWORK_SYNC]
    _machine, actions = feed(machine, Triggered(Trigger.NETWORK_BACK))
    assert Do.START_SYNC in actions


def test_status_reads_run_one_at_a_time_and_a_request_during_one_is_read_after_it() -> None:
    machine = started()
    machine, actions = feed(machine, ReadRequested(), ReadRequested(), ReadRequested())
    assert actions == [Do.READ_STATE]
    machine, actions = feed(machine, ReadEnded())
    assert actions == [Do.READ_STATE]  # the requests made meanwhile, read once
    machine, actions = feed(machine, ReadEnded())
    assert actions == [] and not machine.reading


def test_after_closing_nothing_starts_whatever_arrives() -> None:
    machine, actions = feed(started(), Triggered(Trigger.MANUAL), Closed())
    assert actions[-1] is Do.STOP_EVERYTHING and machine.phase is Phase.CLOSED
    late: list[Event] = [
        SyncEnded(),
        RunFailed(),
        RestoreEnded(),
        ReadEnded(),
        NetworkBack(),
        ServicesReady(),
        FirstStateRead(),
        *(Triggered(t) for t in Trigger),
    ]
    machine, actions = feed(machine, *late)
    assert actions == [] and machine.phase is Phase.CLOSED


EVENTS: list[Event] = [
    ServicesReady(),
    StateRead(configured=True, pending=0),
    StateRead(configured=True, pending=5),
    FirstStateRead(),
    *(Triggered(t) for t in Trigger),
    SyncEnded(),
    SyncEnded(locked=True),
    RestoreEnded(),
    RunFailed(),
    ReadRequested(),
    ReadEnded(),
    ReadEnded(failed=True),
    NetworkBack(),
]


def test_in_any_order_of_events_a_sync_never_starts_while_one_runs() -> None:
    """Random walks (seeded, bounded): a run starts only from an idle machine, and the
    first-state read is the only read that may overlap another."""
    rng = random.Random(2024)
    for _walk in range(300):
        machine = SyncMachine()
        for _ in range(40):
            event = rng.choice(EVENTS)
            before = machine
            machine, actions = step(machine, event)
            if Do.START_SYNC in actions:
                assert before.phase is Phase.IDLE and machine.phase is Phase.SYNCING
            if Do.READ_STATE in actions and isinstance(event, ReadRequested):
                assert not before.reading
            assert not (Do.START_SYNC in actions and Do.START_RESTORE in actions)


def test_a_run_that_ends_with_no_central_record_left_arms_no_timer() -> None:
    machine, _ = feed(started(), Triggered(Trigger.MANUAL))
    _machine, actions = feed(machine, StateRead(configured=False, pending=3), SyncEnded())
    assert Do.SCHEDULE_NEXT_SYNC not in actions
    _machine, actions = feed(machine, StateRead(configured=True, pending=0), SyncEnded())
    assert Do.SCHEDULE_NEXT_SYNC in actions
