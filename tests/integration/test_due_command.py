"""``microlearn due [--json]`` as a scheduled reminder runs it: a real process, a real store.

The sample track with a programme beside it, installed by the command itself; how long ago the
learner was assigned is set in the store, so the dates are relative to the real today.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.content_samples import content
from tests.support.processes import child_env, run_microlearn

__all__ = ["content"]

PROGRAMME = """\
assignments:
  - groups: [designated-staff]
    tracks: [sample-track]
    due:
      days_after_assigned: 30
"""


def due(content: Path, *args: str, groups: str = "designated-staff") -> tuple[int, str, str]:
    env = child_env(
        MICROLEARN_CONTENT_DIR=str(content),
        MICROLEARN_AUDIENCE_GROUPS=groups,
        MICROLEARN_IDENTITY_SOURCE="fixed",
        MICROLEARN_IDENTITY_NAME="learner-7",
        TZ="UTC",
    )
    done = run_microlearn("due", *args, env=env)
    return done.returncode, done.stdout, done.stderr


def due_json(content: Path, groups: str = "designated-staff") -> tuple[int, dict[str, Any]]:
    code, out, err = due(content, "--json", groups=groups)
    assert out.strip(), err
    return code, json.loads(out)


def assigned_days_ago(days: int, module_id: str = "first-module") -> None:
    database = Path(os.environ["MICROLEARN_DATA_DIR"]) / "microlearn.sqlite3"
    moment = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(database) as db:
        changed = db.execute(
            "UPDATE assignments SET first_assigned_at = ? WHERE module_id = ?", (moment, module_id)
        ).rowcount
    assert changed == 1


@pytest.fixture
def with_programme(content: Path) -> Path:
    (content / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    return content


def test_nothing_due_soon_exits_0_with_the_totals(with_programme: Path) -> None:
    code, data = due_json(with_programme)
    assert code == 0 and data["outcome"] == "nothing_due"
    today = date.fromisoformat(data["today"])
    assert (
        data["totals"]["modules_left"] == 2
        and data["totals"]["next_due"] == (today + timedelta(30)).isoformat()
    )
    assert [m["status"] for m in data["modules"]] == ["later", "later"]
    code, text, _ = due(with_programme)
    assert code == 0 and text.startswith("2 module(s) left · about ") and "next due" in text


def test_due_soon_exits_10(with_programme: Path) -> None:
    due_json(with_programme)  # the first run notes the assignment
    assigned_days_ago(25)
    code, data = due_json(with_programme)
    assert code == 10 and data["outcome"] == "due_soon"
    assert data["modules"][0]["id"] == "first-module" and data["modules"][0]["days_left"] == 5


def test_overdue_exits_11_and_comes_first(with_programme: Path) -> None:
    due_json(with_programme)
    assigned_days_ago(40, "second-module")
    code, data = due_json(with_programme)
    assert code == 11 and data["totals"]["overdue"] == 1
    assert (data["modules"][0]["id"], data["modules"][0]["status"]) == ("second-module", "overdue")
    code, text, _ = due(with_programme)
    assert code == 11 and text.split("\n")[1].strip().startswith("overdue since ")


def test_a_learner_outside_the_groups_has_nothing_due(with_programme: Path) -> None:
    code, text, _ = due(with_programme, groups="sales")
    assert code == 0 and "every module is optional" in text


def test_without_a_programme_the_mandatory_track_has_no_dates(content: Path) -> None:
    code, data = due_json(content)
    assert code == 0 and data["has_programme"] is False
    assert data["totals"]["modules_left"] == 2 and data["totals"]["next_due"] is None
