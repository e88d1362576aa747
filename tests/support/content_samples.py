"""The valid sample content tree and small edits to break it, for the checker, lint, stats and preview tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.locations import SAMPLE_CONTENT as SAMPLE

TRACK = "sample-track"
FIRST = f"{TRACK}/first-module"
SECOND = f"{TRACK}/second-module"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(SAMPLE, target)
    return target


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``text``."""
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line]
    assert len(found) >= occurrence, f"{text!r} not found {occurrence} time(s) in {path}"
    return found[occurrence - 1]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
