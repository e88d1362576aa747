"""programme.yaml: checked by the content checker with file:line, optional, and shipped valid.

Each test writes a programme beside the sample track, breaks one thing, and checks what the
author is told and on which line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microlearn.content.loader import load_catalog
from microlearn.content.problems import Problem
from microlearn.domain.programme import DueRule, Programme, Recurrence
from tests.support.content_samples import TRACK, content, line_of
from tests.support.locations import REPO
from tests.support.processes import run_microlearn

__all__ = ["content"]  # the fixture, used by name

TODAY = date(2026, 12, 4)
GOOD = """\
assignments:
  - groups: [designated-staff]
    tracks: [sample-track]
    due:
      days_after_assigned: 30
    recurrence:
      every_months: 12
      due_days_after_anniversary: 30
  - groups: managers
    modules: [second-module]
    due:
      date: 2027-01-15
    test_out: true
"""


def write_programme(content: Path, text: str) -> Path:
    path = content / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(content: Path) -> list[Problem]:
    result = load_catalog(content, today=TODAY)
    assert result.catalog is None, "the broken programme was accepted"
    return result.problems.errors


def only_error(content: Path) -> Problem:
    errors = errors_of(content)
    assert len(errors) == 1, "\n".join(p.render() for p in errors)
    return errors[0]


def test_without_a_programme_file_nothing_has_a_due_date(content: Path) -> None:
    result = load_catalog(content, today=TODAY)
    assert result.catalog is not None and result.catalog.programme is None


def test_a_valid_programme_becomes_the_domain_programme(content: Path) -> None:
    write_programme(content, GOOD)
    result = load_catalog(content, today=TODAY)
    assert result.catalog is not None, [p.render() for p in result.problems]
    programme = result.catalog.programme
    assert programme is not None
    staff, managers = programme.assignments
    assert staff.rule.due == DueRule(days_after_assigned=30)
    assert staff.rule.recurrence == Recurrence(12, 30) and not staff.rule.test_out
    assert managers.groups == ("managers",) and managers.rule.due == DueRule(on=date(2027, 1, 15))
    assert managers.rule.test_out
    # What a learner in each group must do, from the installed tracks.
    tracks = {TRACK: ["first-module", "second-module"]}
    assert set(programme.rules_for(["designated-staff"], tracks)) == {"first-module", "second-module"}
    assert set(programme.rules_for(["managers"], tracks)) == {"second-module"}
    assert programme.rules_for(["sales"], tracks) == {}
    # The store keeps it as JSON; reading it back gives the same programme.
    assert Programme.from_json(programme.to_json()) == programme


def test_unknown_track_is_reported_on_its_line(content: Path) -> None:
    path = write_programme(content, GOOD.replace("tracks: [sample-track]", "tracks: [sample-trak]"))
    problem = only_error(content)
    assert problem.path == path and problem.line == line_of(path, "sample-trak")
    assert "unknown track 'sample-trak'" in problem.message and "sample-track" in problem.message


def test_unknown_module_is_reported_on_its_line(content: Path) -> None:
    text = GOOD.replace("modules: [second-module]", "modules:\n      - first-module\n      - third-module")
    path = write_programme(content, text)
    problem = only_error(content)
    assert problem.line == line_of(path, "third-module")
    assert "unknown module 'third-module'" in problem.message


def test_a_track_listed_as_a_module_says_where_it_belongs(content: Path) -> None:
    write_programme(content, GOOD.replace("modules: [second-module]", "modules: [sample-track]"))
    assert "list it under 'tracks'" in only_error(content).message


@pytest.mark.parametrize("bad", ["2027-02-30", "2027-13-01", "15/01/2027", "2027-01-15T09:00:00"])
def test_a_bad_date_is_reported_on_its_line(content: Path, bad: str) -> None:
    path = write_programme(content, GOOD.replace("date: 2027-01-15", f"date: {bad}"))
    problem = only_error(content)
    assert problem.line == line_of(path, bad)
    assert "YYYY-MM-DD" in problem.message


def test_a_past_fixed_date_is_a_warning_not_an_error(content: Path) -> None:
    path = write_programme(content, GOOD.replace("date: 2027-01-15", "date: 2026-01-15"))
    result = load_catalog(content, today=TODAY)
    assert result.catalog is not None
    assert [p.line for p in result.problems.warnings] == [line_of(path, "2026-01-15")]


def test_unknown_keys_are_reported_with_a_suggestion(content: Path) -> None:
    path = write_programme(content, GOOD.replace("test_out: true", "testout: true"))
    problem = only_error(content)
    assert problem.line == line_of(path, "testout")
    assert "unknown field 'testout'" in problem.message and "test_out" in problem.message


def test_unknown_key_in_the_recurrence(content: Path) -> None:
    path = write_programme(content, GOOD.replace("every_months: 12", "every_month: 12"))
    errors = errors_of(content)
    assert any(p.line == line_of(path, "every_month") and "every_months" in p.message for p in errors)


def test_due_needs_exactly_one_rule(content: Path) -> None:
    path = write_programme(
        content,
        GOOD.replace("      date: 2027-01-15\n", "      date: 2027-01-15\n      days_after_assigned: 5\n"),
    )
    problem = only_error(content)
    assert problem.line == line_of(path, "due:", occurrence=2) and "exactly one" in problem.message


def test_negative_days_and_zero_months_are_refused(content: Path) -> None:
    text = GOOD.replace("days_after_assigned: 30", "days_after_assigned: -3").replace(
        "every_months: 12", "every_months: 0"
    )
    path = write_programme(content, text)
    lines = {p.line for p in errors_of(content)}
    assert {line_of(path, "-3"), line_of(path, "every_months")} <= lines


def test_an_assignment_with_nothing_to_do_is_refused(content: Path) -> None:
    write_programme(content, GOOD.replace("    modules: [second-module]\n", ""))
    assert "names no tracks and no modules" in only_error(content).message


def test_a_group_name_must_be_a_plain_name(content: Path) -> None:
    path = write_programme(content, GOOD.replace("groups: managers", "groups: [People Managers]"))
    problem = only_error(content)
    assert problem.line == line_of(path, "People Managers") and "group 'People Managers'" in problem.message


def test_broken_yaml_is_reported_with_its_line(content: Path) -> None:
    path = write_programme(content, GOOD.replace("tracks: [sample-track]", "tracks: [sample-track"))
    problem = errors_of(content)[0]
    assert problem.path == path and "not valid YAML" in problem.message


def test_content_check_reports_the_programme_with_file_and_line(content: Path) -> None:
    path = write_programme(content, GOOD.replace("tracks: [sample-track]", "tracks: [nope]"))
    done = run_microlearn("content", "check", str(content), "--today", TODAY.isoformat())
    assert done.returncode == 1
    assert f"programme.yaml:{line_of(path, '[nope]')}: error: unknown track 'nope'" in done.stderr


def test_the_shipped_programme_is_valid_and_assigns_the_mandatory_track() -> None:
    result = load_catalog(REPO / "content", today=TODAY)
    assert result.catalog is not None, [p.render() for p in result.problems.errors]
    programme = result.catalog.programme
    assert programme is not None
    assert {"designated-staff", "managers", "ai-tool-users"} <= programme.groups
    tracks = {t.id: [m.id for m in t.modules] for t in result.catalog.tracks}
    mandatory = next(t for t in result.catalog.tracks if t.mandatory)
    assert set(tracks[mandatory.id]) <= set(programme.rules_for(["designated-staff"], tracks))
    assert programme.rules_for(["nobody-in-particular"], tracks) == {}


# -- bad input by classes: the checker never crashes and always says where ------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.sampled_from(
        ["2027-02-30", "2027-01-15", "sample-track", "first-module", "", "x" * 300, "[", "{a: 1}"]
    ),
    st.text(max_size=20),
)
fields = st.sampled_from(
    [
        "groups",
        "tracks",
        "modules",
        "due",
        "date",
        "days_after_assigned",
        "recurrence",
        "every_months",
        "due_days_after_anniversary",
        "test_out",
        "assignments",
        "extra",
    ]
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(fields, inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(trees, st.builds(lambda a: {"assignments": a}, st.lists(trees, max_size=3))))
def test_any_programme_file_gets_an_answer_never_a_crash(content: Path, tree: object) -> None:
    path = write_programme(content, yaml.safe_dump(tree, allow_unicode=True))
    result = load_catalog(content, today=TODAY)
    if result.catalog is None:
        lines = len(path.read_text(encoding="utf-8").split("\n"))
        programme_errors = [p for p in result.problems.errors if p.path == path]
        assert programme_errors and all(1 <= p.line <= lines for p in programme_errors)
    else:
        assert result.catalog.programme is not None


def test_a_broken_track_does_not_make_the_programme_report_its_ids_as_unknown(content: Path) -> None:
    write_programme(content, GOOD)
    module_file = content / TRACK / "first-module" / "module.yaml"
    module_file.write_text(
        module_file.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8"
    )
    errors = errors_of(content)
    assert errors and all(p.path == module_file for p in errors), [p.render() for p in errors]
