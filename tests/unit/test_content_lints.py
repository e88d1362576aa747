"""The lints: warnings that never stop an install, each with file:line and a plain sentence.

Each test copies the clean sample tree, changes one thing and checks the one warning an
author would be told about; the clean sample itself gets none.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from microlearn.content.loader import load_catalog
from microlearn.content.problems import Problem
from tests.support.content_samples import FIRST, SAMPLE, SECOND, line_of, replace
from tests.support.processes import run_microlearn

# A day on which the sample's review_by (2027-02-01) is comfortably ahead.
CALM_DAY = date(2026, 11, 22)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(SAMPLE, target)
    return target


def warnings_for(content: Path, today: date = CALM_DAY) -> list[Problem]:
    result = load_catalog(content, today=today)
    assert result.problems.errors == [], [p.render() for p in result.problems.errors]
    assert result.catalog is not None, "warnings must never stop the content from loading"
    return result.problems.warnings


def only_warning(content: Path, today: date = CALM_DAY) -> Problem:
    found = warnings_for(content, today)
    assert len(found) == 1, "expected exactly one warning, got:\n" + "\n".join(p.render() for p in found)
    return found[0]


def test_the_clean_sample_has_no_warnings() -> None:
    assert warnings_for(SAMPLE) == []


# -- minutes against the estimate ---------------------------------------------------------------
# first-module: 51 words on its cards, 1 inline check, draws 3 → 51/150 + 0.5 + 2.25 = 3.09 minutes.


def test_minutes_far_above_the_estimate_is_a_warning_at_the_minutes_line(content: Path) -> None:
    path = content / FIRST / "module.yaml"
    replace(path, "minutes: 5", "minutes: 12")
    warning = only_warning(content)
    assert (warning.path, warning.line) == (path, line_of(path, "minutes:"))
    assert warning.message == (
        "minutes is 12 but the module looks like about 3.1 minutes (51 words ÷ 150 = 0.3, "
        "+ 1 inline check(s) × 0.5, + 3 drawn question(s) × 0.75); change minutes, or make the "
        "module longer"
    )


def test_a_module_far_longer_than_declared_is_told_to_get_shorter(content: Path) -> None:
    card = content / SECOND / "01-start.md"
    replace(card, "The second module starts here.", "word " * 750)  # 5 minutes of reading more
    warning = only_warning(content)
    assert warning.path == content / SECOND / "module.yaml"
    assert "about 7.8 minutes" in warning.message and warning.message.endswith("make the module shorter")


@pytest.mark.parametrize(("minutes", "warned"), [(1, False), (6, False), (7, True)])
def test_minutes_within_three_of_the_estimate_are_fine(content: Path, minutes: int, warned: bool) -> None:
    replace(content / FIRST / "module.yaml", "minutes: 5", f"minutes: {minutes}")
    assert len(warnings_for(content)) == int(warned)


# -- review dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "phrase"),
    [
        (date(2027, 1, 2), "review_by 2027-02-01 is in 30 day(s): plan the module's review"),
        (date(2027, 1, 20), "review_by 2027-02-01 is in 12 day(s)"),
        (date(2027, 2, 1), "review_by 2027-02-01 is today: check that the module is still right"),
        (date(2027, 3, 1), "review_by 2027-02-01 has passed (28 day(s) ago)"),
    ],
)
def test_review_by_soon_or_past_is_a_warning_at_the_review_by_line(
    content: Path, today: date, phrase: str
) -> None:
    replace(content / SECOND / "module.yaml", "review_by: 2027-02-01", "review_by: 2027-09-01")
    warning = only_warning(content, today)
    path = content / FIRST / "module.yaml"
    assert (warning.path, warning.line) == (path, line_of(path, "review_by:"))
    assert warning.message.startswith(phrase)


def test_review_by_more_than_30_days_ahead_is_fine() -> None:
    assert warnings_for(SAMPLE, today=date(2027, 1, 1)) == []  # 31 days ahead


# -- pictures ---------------------------------------------------------------------------------------


def test_an_image_without_a_description_is_one_warning(content: Path) -> None:
    path = content / FIRST / "02-picture.md"
    replace(path, "![A small blue square used as a test picture](pic.png)", "![ ](pic.png)")
    warning = only_warning(content)
    assert (warning.path, warning.line) == (path, line_of(path, "![ ](pic.png)"))
    assert warning.message.startswith("image 'pic.png' has no description in its [square brackets]")


def test_an_image_file_no_card_shows_is_a_warning_on_that_file(content: Path) -> None:
    spare = content / FIRST / "old-diagram.png"
    shutil.copy(content / FIRST / "pic.png", spare)
    warning = only_warning(content)
    assert (warning.path, warning.line) == (spare, 1)
    assert warning.message.startswith("image file 'old-diagram.png' is not used by any card")


# -- a correct option that gives itself away -----------------------------------------------------


def test_a_much_longer_correct_option_is_a_warning_at_that_option(content: Path) -> None:
    path = content / FIRST / "questions.yaml"
    long = "Blue, the same blue as the square shown in the picture"
    replace(path, "      - text: Blue\n", f"      - text: {long}\n")
    warning = only_warning(content)
    assert (warning.path, warning.line) == (path, line_of(path, long))
    assert warning.message.startswith(
        f"question 'pick-one': the correct option is much longer than every wrong one ({len(long)} "
        "characters against at most 5)"
    )


def test_the_giveaway_lint_covers_inline_checks_and_scenarios(content: Path) -> None:
    card = content / FIRST / "01-welcome.md"
    replace(card, "    - text: Testing the module player.", "    - text: " + "Testing the player. " * 4)
    pool = content / FIRST / "questions.yaml"
    replace(pool, "      - text: It is for testing the app.", "      - text: " + "For tests. " * 10)
    found = {(p.path, p.line): p.message for p in warnings_for(content)}
    assert set(found) == {
        (card, line_of(card, "Testing the player.")),
        (pool, line_of(pool, "For tests.")),
    }
    assert found[(card, line_of(card, "Testing the player."))].startswith("the inline check: the correct")


@pytest.mark.parametrize(("correct_length", "warned"), [(60, False), (61, True)])
def test_giveaway_needs_one_and_a_half_times_and_twenty_characters(
    content: Path, correct_length: int, warned: bool
) -> None:
    path = content / FIRST / "questions.yaml"
    replace(path, "      - text: Green\n", f"      - text: {'g' * 40}\n")
    replace(path, "      - text: Blue\n", f"      - text: {'b' * correct_length}\n")
    assert len(warnings_for(content)) == int(warned)


def test_long_correct_options_are_fine_in_multiple_select(content: Path) -> None:
    path = content / FIRST / "questions.yaml"
    replace(path, "      - text: Welcome\n", f"      - text: Welcome, the first card{' of the module' * 5}\n")
    assert warnings_for(content) == []


# -- the same question twice --------------------------------------------------------------------------


def test_the_same_question_in_two_modules_points_at_both_files(content: Path) -> None:
    second = content / SECOND / "questions.yaml"
    # Case, spacing and punctuation differ; the words are those of first-module's 'pick-one'.
    replace(second, "prompt: Which module is this?", "prompt: WHICH colour is the square,   in the picture")
    warning = only_warning(content)
    first = content / FIRST / "questions.yaml"
    assert (warning.path, warning.line) == (second, line_of(second, "- id: first-or-second"))
    assert warning.message.startswith(
        "question 'first-or-second' asks the same as question 'pick-one' in "
        f"sample-track/first-module/questions.yaml:{line_of(first, '- id: pick-one')}"
    )


def test_scenarios_with_the_same_prompt_but_other_situations_are_different_questions(content: Path) -> None:
    replace(content / SECOND / "questions.yaml", "prompt: What do you say?", "prompt: What do you tell them?")
    assert warnings_for(content) == []


def test_an_inline_check_repeated_in_the_pool_is_a_duplicate(content: Path) -> None:
    pool = content / FIRST / "questions.yaml"
    replace(pool, "prompt: How many lesson cards does this module have?", "prompt: What is this card for?")
    warning = only_warning(content)
    assert warning.path == pool
    assert "asks the same as the inline check in sample-track/first-module/01-welcome.md:3" in warning.message


# -- what the command prints ----------------------------------------------------------------------


def run_check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_microlearn("content", "check", *args, cwd=cwd)


def test_check_marks_warnings_and_passes_unless_strict(content: Path, tmp_path: Path) -> None:
    path = content / FIRST / "module.yaml"
    replace(path, "minutes: 5", "minutes: 12")
    line = line_of(path, "minutes:")

    relaxed = run_check(str(content), "--today", "2026-11-22", cwd=tmp_path)
    strict = run_check(str(content), "--today", "2026-11-22", "--strict", cwd=tmp_path)

    assert relaxed.returncode == 0, relaxed.stderr
    assert relaxed.stdout.startswith(f"content/{FIRST}/module.yaml:{line}: warning: minutes is 12 but")
    assert "OK: 1 track(s), 2 module(s) checked; 1 warning(s)." in relaxed.stdout
    assert relaxed.stderr == ""
    assert strict.returncode == 1
    assert f"content/{FIRST}/module.yaml:{line}: warning: minutes is 12" in strict.stdout
    assert "--strict: warnings count as failures" in strict.stderr


def test_check_puts_errors_first_and_marks_each_line(content: Path, tmp_path: Path) -> None:
    replace(content / FIRST / "module.yaml", "minutes: 5", "minutes: 16")  # an error
    replace(content / SECOND / "module.yaml", "minutes: 3", "minutes: 9")  # a warning

    completed = run_check(str(content), "--today", "2026-11-22", cwd=tmp_path)

    assert completed.returncode == 1
    assert completed.stderr.splitlines()[0].startswith(
        f"content/{FIRST}/module.yaml:4: error: minutes must be"
    )
    assert completed.stdout.splitlines() == [
        f"content/{SECOND}/module.yaml:4: warning: minutes is 9 but the module looks like about 2.9 "
        "minutes (18 words ÷ 150 = 0.1, + 1 inline check(s) × 0.5, + 3 drawn question(s) × 0.75); "
        "change minutes, or make the module longer"
    ]
    assert "1 error(s) and 1 warning(s)" in completed.stderr
