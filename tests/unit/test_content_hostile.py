"""Hostile content: the checker never crashes, never hangs, and reports each case at file:line.

The cases are what authors and IT produce by accident (an impossible date, a file saved as
UTF-16, a folder named like a card) and what a fuzzer finds (alias bombs, a pipe for a card).
Cases that once hung or ate memory run in a child process with a time and memory limit, so
a regression fails the test instead of taking the machine down with it.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from microlearn.cli.content_commands import EXIT_CHECKER_FAILED, EXIT_CONTENT_ERRORS
from microlearn.cli.main import main
from microlearn.content.loader import load_catalog
from microlearn.content.problems import MAX_ERRORS_PER_FILE, MAX_MESSAGE_CHARACTERS
from tests.support.hostile_content import CRASHERS, HANGERS, Breaker
from tests.support.processes import child_env

CHILD_SECONDS = 20  # far above the few tenths of a second each case takes: only a hang reaches it
CHILD_MEMORY = 1 << 30


def _errors(content: Path) -> list[tuple[str, int, str]]:
    result = load_catalog(content)
    assert result.catalog is None
    return [(p.path.relative_to(content).as_posix(), p.line, p.message) for p in result.problems.errors]


@pytest.mark.parametrize("breaker", CRASHERS.values(), ids=CRASHERS.keys())
def test_hostile_content_is_an_error_at_its_file_and_line(content: Path, breaker: Breaker) -> None:
    file, line, phrase = breaker(content)
    errors = _errors(content)
    matches = [(f, n, m) for f, n, m in errors if f == file and phrase in m]
    assert matches, f"no error at {file} with {phrase!r}; got {errors}"
    assert line < 0 or any(n == line for _, n, _ in matches), f"expected line {line}; got {matches}"
    assert all(n >= 1 for _, n, _ in matches)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def _check_in_child(content: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "microlearn", "content", "check", str(content)],
        env=child_env(),
        cwd=content,
        capture_output=True,
        text=True,
        timeout=CHILD_SECONDS,
        preexec_fn=_limit_memory,
        check=False,
    )


@pytest.mark.parametrize("breaker", HANGERS.values(), ids=HANGERS.keys())
def test_hostile_content_neither_hangs_nor_eats_memory(content: Path, breaker: Breaker) -> None:
    file, line, phrase = breaker(content)
    completed = _check_in_child(content)
    lines = completed.stderr.splitlines() + completed.stdout.splitlines()
    assert all(len(text) < MAX_MESSAGE_CHARACTERS + 300 for text in lines), "an error line is unbounded"
    if not phrase:  # text that is fine, only slow to check in the past
        assert completed.returncode == 0, completed.stderr
        return
    assert completed.returncode == EXIT_CONTENT_ERRORS, completed.stderr[-2000:]
    reported = [
        text for text in completed.stderr.splitlines() if text.startswith(f"{file}:") and phrase in text
    ]
    assert reported, completed.stderr[-2000:]
    if line >= 0:
        assert any(text.startswith(f"{file}:{line}: error:") for text in reported), reported


def test_a_checker_crash_has_its_own_exit_code(
    content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The checker has no known crash left to provoke, so one is injected: exit 1 would tell
    # CI "your content has errors" and point at no file.
    def crash(root: Path, today: object = None) -> None:
        raise RuntimeError("an unexpected failure")

    monkeypatch.setattr("microlearn.content.loader.load_catalog", crash)
    code = main(["content", "check", str(content)])
    err = capsys.readouterr().err
    assert code == EXIT_CHECKER_FAILED != EXIT_CONTENT_ERRORS
    assert "bug in Microlearn" in err and "an unexpected failure" in err


def test_a_file_with_thousands_of_errors_lists_a_readable_number(content: Path) -> None:
    pool = content / "sample-track" / "first-module" / "questions.yaml"
    pool.write_text("questions:\n" + "  - not a question\n" * 2000, encoding="utf-8")
    errors = [p for p in load_catalog(content).problems.errors if p.path == pool]
    assert 1 < len(errors) <= MAX_ERRORS_PER_FILE + 1
    assert [p.line for p in errors[:3]] == [2, 3, 4]  # each item on its own line
    assert "the rest are not listed" in errors[-1].message
