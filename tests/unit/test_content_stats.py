"""``microlearn content stats``: exact figures for the sample content, as a table and as JSON.

The sample's figures, counted by hand:
first-module: cards 51 words (23 + 17 + 11), 1 inline check, draws 3 of 5 → 51/150 + 0.5 + 2.25 = 3.09;
second-module: cards 18 words (5 + 8 + 5), 1 inline check, draws 3 of 5 → 18/150 + 0.5 + 2.25 = 2.87.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from microlearn.content.loader import load_catalog
from microlearn.content.stats import (
    MinutesEstimate,
    ModuleStats,
    card_words,
    catalog_stats,
    render_json,
    render_table,
)
from tests.support.content_samples import FIRST, SAMPLE, replace
from tests.support.processes import run_microlearn

EXPECTED_TABLE = """\
Module         Track         Minutes  Estimate  Cards  Checks  Questions  Draw  Single  Multiple  True/false  Scenario  Reviewed    Review by
-------------  ------------  -------  --------  -----  ------  ---------  ----  ------  --------  ----------  --------  ----------  ----------
first-module   sample-track        5       3.1      3       1          5     3       2         1           1         1  2026-11-01  2027-02-01
second-module  sample-track        3       2.9      3       1          5     3       2         1           1         1  2026-11-01  2027-02-01
"""

KINDS = {"single": 2, "multiple": 1, "true_false": 1, "scenario": 1}
EXPECTED_JSON = {
    "modules": [
        {
            "id": "first-module",
            "title": "First module: the basics",
            "track": "sample-track",
            "minutes_declared": 5,
            "minutes_estimated": 3.1,
            "words": 51,
            "cards": 3,
            "inline_checks": 1,
            "questions": 5,
            "draw": 3,
            "kinds": KINDS,
            "reviewed": "2026-11-01",
            "review_by": "2027-02-01",
        },
        {
            "id": "second-module",
            "title": "Second module",
            "track": "sample-track",
            "minutes_declared": 3,
            "minutes_estimated": 2.9,
            "words": 18,
            "cards": 3,
            "inline_checks": 1,
            "questions": 5,
            "draw": 3,
            "kinds": KINDS,
            "reviewed": "2026-11-01",
            "review_by": "2027-02-01",
        },
    ]
}


def run_stats(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_microlearn("content", "stats", *args, cwd=cwd)


def sample_rows() -> list[ModuleStats]:
    result = load_catalog(SAMPLE)
    assert result.catalog is not None
    return catalog_stats(result.catalog)


def test_the_estimate_is_words_over_150_plus_minutes_per_check_and_per_drawn_question() -> None:
    assert MinutesEstimate(words=300, inline_checks=3, drawn_questions=4).total == pytest.approx(2 + 1.5 + 3)
    rows = sample_rows()
    assert [row.estimate.total for row in rows] == [pytest.approx(3.09), pytest.approx(2.87)]


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("This is the **first card** of the sample module.", 9),
        ("![A long description of a picture](pic.png) Two words", 2),
        ("Read [the policy](https://example.org/a/b) today.", 4),
        ("A true-or-false check isn't hard — is it?", 7),
    ],
)
def test_card_words_count_what_a_learner_reads(markdown: str, words: int) -> None:
    assert card_words(markdown) == words


def test_table_for_the_sample_content() -> None:
    table = render_table(sample_rows())
    assert table.startswith(EXPECTED_TABLE + "\n")
    assert "Estimate = card words ÷ 150 + 0.5 per inline check + 0.75 per drawn question." in table


def test_json_for_the_sample_content() -> None:
    assert json.loads(render_json(sample_rows())) == EXPECTED_JSON


def test_command_prints_the_table_and_the_json(tmp_path: Path) -> None:
    table = run_stats(str(SAMPLE), cwd=tmp_path)
    as_json = run_stats(str(SAMPLE), "--json", cwd=tmp_path)
    assert table.returncode == 0 and as_json.returncode == 0, table.stderr + as_json.stderr
    assert table.stdout.startswith(EXPECTED_TABLE)
    assert json.loads(as_json.stdout) == EXPECTED_JSON


def test_a_module_folder_on_its_own_has_no_track(tmp_path: Path) -> None:
    completed = run_stats(str(SAMPLE / FIRST), "--json", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    (row,) = json.loads(completed.stdout)["modules"]
    assert row == {**EXPECTED_JSON["modules"][0], "track": None}


def test_content_with_errors_gets_the_errors_and_no_figures(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    replace(content / FIRST / "module.yaml", "minutes: 5", "minutes: 16")
    completed = run_stats(str(content), cwd=tmp_path)
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert f"content/{FIRST}/module.yaml:4: error: minutes must be from 1 to 15" in completed.stderr
    assert "fix the errors first" in completed.stderr
