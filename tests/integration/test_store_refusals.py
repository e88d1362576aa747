"""``sync``, ``restore`` and ``due`` on learning data they cannot open: exit 8, the same words, nothing changed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.support.processes import child_env, run_microlearn

COMMANDS = (("sync",), ("restore",), ("due",))


@pytest.fixture
def newer_data(tmp_path: Path) -> Path:
    """A data folder whose database was written by a newer version of the app."""
    env = child_env(MICROLEARN_DATA_DIR=str(tmp_path), MICROLEARN_POLICY="")
    made = run_microlearn("due", env=env)
    assert made.returncode == 0, made.stderr
    with closing(sqlite3.connect(tmp_path / "microlearn.sqlite3")) as db, db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    return tmp_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_database_from_a_newer_version_is_refused_in_the_same_words(
    newer_data: Path, command: tuple[str]
) -> None:
    env = child_env(MICROLEARN_DATA_DIR=str(newer_data), MICROLEARN_POLICY="")
    before = _digest(newer_data / "microlearn.sqlite3")

    plain = run_microlearn(*command, env=env)
    as_json = run_microlearn(*command, "--json", env=env)

    assert plain.returncode == 8 and as_json.returncode == 8, plain.stderr + as_json.stderr
    assert "The learning data could not be opened" in plain.stderr
    assert "newer version" in plain.stderr
    answer = json.loads(as_json.stdout)
    assert answer["outcome"] == "store_error"
    assert "newer version" in answer["summary"]
    assert _digest(newer_data / "microlearn.sqlite3") == before
