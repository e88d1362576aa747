"""A missing tool skips a test on a developer's machine and fails it in CI, everywhere in the suite."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.support.locations import REPO
from tests.support.prerequisites import missing, require_command

NOT_A_COMMAND = "microlearn-no-such-command"


def outcome_of(check: Callable[[], object]) -> tuple[type[BaseException], str]:
    """What a check raised. Caught broadly: a skip escaping here would skip this test itself."""
    try:
        check()
    except BaseException as raised:  # pytest's skip and fail derive from BaseException
        return type(raised), str(raised)
    raise AssertionError("the check raised nothing")


def test_a_missing_command_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    kind, message = outcome_of(lambda: require_command(NOT_A_COMMAND, "nothing"))
    assert kind is pytest.skip.Exception
    assert f"the {NOT_A_COMMAND} command (Debian package nothing)" in message


def test_a_missing_command_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    kind, message = outcome_of(lambda: require_command(NOT_A_COMMAND, "nothing"))
    assert kind is pytest.fail.Exception
    assert "CI must provide it" in message
    assert outcome_of(lambda: missing("root"))[0] is pytest.fail.Exception


def test_a_present_command_is_found_with_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert require_command("sh", "dash").endswith("/sh")


# A skip written straight into a test would pass silently in CI again. Skipping for the platform
# (skipif on sys.platform) is not a missing tool: CI cannot install another operating system.
DIRECT_SKIP = re.compile(
    r"pytest\.skip\(|importorskip\(|mark\.skip\(|mark\.skipif\((?!\s*(not )?sys\.platform)"
)


def test_no_test_skips_around_the_helper() -> None:
    helper = REPO / "tests" / "support" / "prerequisites.py"
    offenders = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        if path not in (helper, REPO / "tests" / "unit" / "test_prerequisites.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DIRECT_SKIP.search(line)
    ]
    assert offenders == [], "use tests.support.prerequisites.missing() instead: " + ", ".join(offenders)
