"""Due-date math: calendar days in the learner's zone, across DST, zones, leap days and clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microlearn.domain.due_dates import (
    DUE_SOON_DAYS,
    Completion,
    DueStatus,
    add_months,
    due_state,
)
from microlearn.domain.programme import Assignment, DueRule, ModuleRule, Programme, Recurrence

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def within(days: int, *, every: int | None = None, after: int = 0, test_out: bool = False) -> ModuleRule:
    recurrence = Recurrence(every, after) if every else None
    return ModuleRule(DueRule(days_after_assigned=days), recurrence, test_out)


def by(day: date) -> ModuleRule:
    return ModuleRule(DueRule(on=day))


def test_no_rule_is_optional() -> None:
    state = due_state([], None, [], date(2026, 12, 4), UTC)
    assert state.status is DueStatus.OPTIONAL and not state.required and state.due is None


def test_statuses_around_the_due_day() -> None:
    assigned = datetime(2026, 12, 1, 12, tzinfo=UTC)
    rule = within(30)  # due 31 Dec
    assert due_state([rule], assigned, [], date(2026, 12, 1), UTC).status is DueStatus.LATER
    assert due_state([rule], assigned, [], date(2026, 12, 24), UTC).status is DueStatus.DUE_SOON
    today = due_state([rule], assigned, [], date(2026, 12, 31), UTC)
    assert today.status is DueStatus.DUE_SOON and today.days_left == 0  # due today is not late
    late = due_state([rule], assigned, [], date(2027, 1, 1), UTC)
    assert late.status is DueStatus.OVERDUE and late.due == date(2026, 12, 31) and late.days_left == -1


def test_the_assigned_day_is_the_learners_day_not_utcs_nor_a_fixed_offset() -> None:
    # 04:30 UTC on 10 June is 00:30 in New York (summer time): the learner's 10 June. Today is
    # in winter, so using today's offset (-5) would put it on 9 June.
    assigned = datetime(2026, 6, 10, 4, 30, tzinfo=UTC)
    state = due_state([within(30)], assigned, [], date(2026, 12, 1), NEW_YORK)
    assert state.due == date(2026, 7, 10)


def test_days_are_calendar_days_across_the_autumn_change() -> None:
    # 00:30 on 20 Oct in Berlin (summer time); 30 days later crosses the change back to winter
    # time. Thirty 24-hour days would land at 23:30 on 18 Nov; the learner means 19 Nov.
    assigned = datetime(2026, 10, 20, 0, 30, tzinfo=BERLIN)
    assert due_state([within(30)], assigned, [], date(2026, 11, 1), BERLIN).due == date(2026, 11, 19)


def test_days_are_calendar_days_across_the_spring_change() -> None:
    assigned = datetime(2027, 3, 27, 23, 30, tzinfo=BERLIN)  # the night before clocks go forward
    assert due_state([within(1)], assigned, [], date(2027, 3, 27), BERLIN).due == date(2027, 3, 28)


def test_the_same_instant_is_a_different_day_in_tokyo_and_los_angeles() -> None:
    assigned = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # 05:00 on 2 Dec in Tokyo, 12:00 on 1 Dec in LA
    assert due_state([within(10)], assigned, [], date(2026, 12, 5), TOKYO).due == date(2026, 12, 12)
    assert due_state([within(10)], assigned, [], date(2026, 12, 5), LOS_ANGELES).due == date(2026, 12, 11)


def test_a_completion_late_at_night_counts_on_the_learners_day() -> None:
    # Completed at 23:30 on 31 Jan in New York (04:30 UTC on 1 Feb); yearly: due again 31 Jan.
    done = Completion(datetime(2027, 2, 1, 4, 30, tzinfo=UTC))
    state = due_state([within(30, every=12)], None, [done], date(2027, 6, 1), NEW_YORK)
    assert state.status is DueStatus.DONE and state.done_on == date(2027, 1, 31)
    assert state.valid_until == date(2028, 1, 31)


def test_due_n_days_after_a_leap_day() -> None:
    assigned = datetime(2028, 2, 29, 9, tzinfo=UTC)
    assert due_state([within(1)], assigned, [], date(2028, 2, 29), UTC).due == date(2028, 3, 1)
    assert due_state([within(365)], assigned, [], date(2028, 2, 29), UTC).due == date(2029, 2, 28)


def test_yearly_recurrence_from_a_leap_day() -> None:
    done = Completion(datetime(2028, 2, 29, 9, tzinfo=UTC))
    rule = within(30, every=12, after=30)
    before = due_state([rule], None, [done], date(2029, 2, 27), UTC)
    assert before.status is DueStatus.DONE and before.valid_until == date(2029, 2, 28)
    lapsed = due_state([rule], None, [done], date(2029, 2, 28), UTC)
    assert lapsed.status is DueStatus.LATER and lapsed.due == date(2029, 3, 30)
    # Four years on, 29 Feb exists again.
    assert add_months(date(2028, 2, 29), 48) == date(2032, 2, 29)


def test_recurrence_runs_from_the_last_completion() -> None:
    rule = within(30, every=12, after=30)
    first = Completion(datetime(2026, 1, 10, tzinfo=UTC))
    again = Completion(datetime(2027, 2, 1, tzinfo=UTC))
    state = due_state([rule], None, [first, again], date(2027, 6, 1), UTC)
    assert state.status is DueStatus.DONE and state.valid_until == date(2028, 2, 1)
    assigned = datetime(2025, 12, 1, tzinfo=UTC)
    overdue = due_state([rule], assigned, [first], date(2027, 6, 1), UTC)
    assert overdue.status is DueStatus.OVERDUE and overdue.due == date(2027, 2, 9)


def test_a_new_assignment_after_a_lapsed_anniversary_gets_the_normal_window() -> None:
    long_ago = Completion(datetime(2023, 5, 1, tzinfo=UTC))
    assigned = datetime(2026, 12, 1, tzinfo=UTC)
    state = due_state([within(60, every=12, after=30)], assigned, [long_ago], date(2026, 12, 4), UTC)
    assert state.status is DueStatus.LATER and state.due == date(2027, 1, 30)


def test_without_recurrence_done_stays_done() -> None:
    done = Completion(datetime(2026, 12, 2, tzinfo=UTC))
    for today in (date(2026, 12, 3), date(2040, 1, 1)):
        state = due_state([within(30)], None, [done], today, UTC)
        assert state.status is DueStatus.DONE and state.valid_until is None


def test_a_clock_set_back_moves_no_deadline_and_loses_no_completion() -> None:
    assigned = datetime(2026, 12, 1, 10, tzinfo=UTC)
    # The clock now says 1 Nov: the deadline stays 31 Dec; there is simply more time left.
    state = due_state([within(30)], assigned, [], date(2026, 11, 1), UTC)
    assert state.due == date(2026, 12, 31) and state.status is DueStatus.LATER and state.days_left == 60
    # A completion stamped "in the future" by the earlier clock still counts.
    done = Completion(datetime(2026, 12, 3, tzinfo=UTC))
    assert (
        due_state([within(30, every=12)], assigned, [done], date(2026, 11, 1), UTC).status is DueStatus.DONE
    )


def test_two_groups_with_different_dates_the_earliest_wins() -> None:
    assigned = datetime(2026, 12, 1, tzinfo=UTC)
    staff, managers = within(60), by(date(2027, 1, 15))
    for rules in ([staff, managers], [managers, staff]):
        state = due_state(rules, assigned, [], date(2026, 12, 4), UTC)
        assert state.due == date(2027, 1, 15)
    assert due_state([within(20), managers], assigned, [], date(2026, 12, 4), UTC).due == date(2026, 12, 21)


def test_test_out_counts_only_where_the_rule_allows_it() -> None:
    tested_out = Completion(datetime(2026, 12, 2, tzinfo=UTC), lessons_done=False)
    today = date(2026, 12, 4)
    assert due_state([within(30, test_out=True)], None, [tested_out], today, UTC).status is DueStatus.DONE
    assert due_state([within(30)], None, [tested_out], today, UTC).status is DueStatus.LATER
    # One group lets the learner test out, the other does not: the module stays open.
    both = [within(30, test_out=True), within(40)]
    assert due_state(both, None, [tested_out], today, UTC).open


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError):
        due_state([within(3)], datetime(2026, 12, 1), [], date(2026, 12, 4), UTC)


# -- properties ---------------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
zones = st.sampled_from([UTC, NEW_YORK, BERLIN, TOKYO, LOS_ANGELES, ZoneInfo("Australia/Lord_Howe")])
instants = st.datetimes(
    min_value=datetime(2000, 1, 2), max_value=datetime(2090, 12, 30), timezones=st.just(UTC)
)
rules = st.builds(
    ModuleRule,
    due=st.one_of(
        st.builds(DueRule, on=days),
        st.builds(DueRule, days_after_assigned=st.integers(0, 3650)),
    ),
    recurrence=st.one_of(st.none(), st.builds(Recurrence, st.integers(1, 120), st.integers(0, 365))),
    test_out=st.booleans(),
)
completions = st.lists(st.builds(Completion, instants, st.booleans()), max_size=3)


@settings(max_examples=150, deadline=None)
@given(st.lists(rules, min_size=1, max_size=3), instants, completions, days, zones)
def test_status_always_agrees_with_the_days_left(
    rule_list: list[ModuleRule], assigned: datetime, done: list[Completion], today: date, zone: tzinfo
) -> None:
    state = due_state(rule_list, assigned, done, today, zone)
    if state.open:
        assert state.due is not None
        left = (state.due - today).days
        assert state.days_left == left
        expected = (
            DueStatus.OVERDUE
            if left < 0
            else DueStatus.DUE_SOON
            if left <= DUE_SOON_DAYS
            else DueStatus.LATER
        )
        assert state.status is expected
    else:
        assert state.status is DueStatus.DONE and state.due is None and state.done_on is not None


@settings(max_examples=150, deadline=None)
@given(st.lists(rules, min_size=1, max_size=3), rules, instants, completions, days, zones)
def test_another_group_never_makes_a_module_due_later(
    rule_list: list[ModuleRule],
    extra: ModuleRule,
    assigned: datetime,
    done: list[Completion],
    today: date,
    zone: tzinfo,
) -> None:
    alone = due_state(rule_list, assigned, done, today, zone)
    more = due_state([*rule_list, extra], assigned, done, today, zone)
    if alone.open:
        assert more.open and more.due is not None and alone.due is not None and more.due <= alone.due


@settings(max_examples=100, deadline=None)
@given(rules, instants, days, st.integers(1, 400), zones)
def test_without_completions_time_only_makes_things_more_urgent(
    rule: ModuleRule, assigned: datetime, today: date, step: int, zone: tzinfo
) -> None:
    order = [DueStatus.LATER, DueStatus.DUE_SOON, DueStatus.OVERDUE]
    now = due_state([rule], assigned, [], today, zone)
    later = due_state([rule], assigned, [], today + timedelta(days=step), zone)
    assert now.due == later.due
    assert order.index(later.status) >= order.index(now.status)


@settings(max_examples=200, deadline=None)
@given(days, st.integers(0, 240))
def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


assignments = st.builds(
    Assignment,
    groups=st.lists(st.sampled_from(["a", "b", "managers"]), min_size=1, max_size=2).map(tuple),
    tracks=st.lists(st.sampled_from(["t1", "t2"]), max_size=2).map(tuple),
    modules=st.lists(st.sampled_from(["m1", "m3"]), max_size=2).map(tuple),
    rule=rules,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(assignments, max_size=4), st.lists(st.sampled_from(["a", "b", "managers", "x"]), max_size=3))
def test_the_stored_programme_assigns_exactly_what_the_authored_one_does(
    items: list[Assignment], groups: list[str]
) -> None:
    programme = Programme(tuple(items))
    stored = Programme.from_json(programme.to_json())
    tracks = {"t1": ["m1", "m2"], "t2": ["m3"]}
    assert stored == programme
    assigned = stored.rules_for(groups, tracks)
    expected = {
        m
        for a in items
        if set(a.groups) & set(groups)
        for m in [*[x for t in a.tracks for x in tracks[t]], *a.modules]
    }
    assert set(assigned) == expected
