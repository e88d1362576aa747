"""What a screen reader is told, screen by screen, read through the real AT-SPI interface.

The window runs under Xvfb with an accessibility bus (tests/support/accessibility_bus.py);
on each screen another process reads its whole AT-SPI tree with pyatspi, as Orca does
(tests/support/atspi_screens.py, atspi_dump.py). Needs, besides the bus's packages, the
system Python with ``python3-pyatspi``: skipped without it, failed under ``CI=true``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.accessibility_bus import accessibility_bus, run_window_child
from tests.support.prerequisites import missing

pytestmark = pytest.mark.gui

SCREENS = Path(__file__).parents[1] / "support" / "atspi_screens.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # where Debian installs pyatspi
NOT_A_ROLE = {"unknown", "invalid", "filler", "redundant object"}


def _system_python_with_pyatspi() -> str:
    python = shutil.which(SYSTEM_PYTHON) or shutil.which("python3")
    if python is not None:
        probe = subprocess.run([python, "-c", "import pyatspi"], capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return python
    missing("a system Python with pyatspi (Debian package python3-pyatspi)")


@pytest.fixture(scope="module")
def read_back(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Every screen's AT-SPI tree and what was announced, read once for all the tests here."""
    python = _system_python_with_pyatspi()
    data_dir = tmp_path_factory.mktemp("data")
    with accessibility_bus() as bus:
        done = run_window_child([str(SCREENS), python], bus, data_dir, tmp_path_factory.mktemp("cwd"))
    lines = [line for line in done.stdout.splitlines() if line.startswith("screens ")]
    assert done.returncode == 0 and lines, done.stdout[-4000:] + done.stderr[-4000:]
    read = json.loads(lines[0].removeprefix("screens "))
    assert read["errors"] == [], "\n".join(read["errors"])
    yield read


@pytest.fixture
def screens(read_back: dict[str, Any]) -> dict[str, Any]:
    screens: dict[str, Any] = read_back["screens"]
    return screens


def _names(screen: dict[str, Any]) -> list[str]:
    return [o["name"].strip() for o in screen["objects"]]


def test_every_screen_was_read_through_atspi(screens: dict[str, Any]) -> None:
    # The reader found the window itself: a frame named after the app, with its controls.
    for name, screen in screens.items():
        roles = {o["role"] for o in screen["objects"]}
        assert "frame" in roles and "push button" in roles, (name, sorted(roles))


def test_every_focusable_object_has_a_role_and_a_name(screens: dict[str, Any]) -> None:
    unnamed = [
        f"{screen}: {o['role']} {o['name']!r} (text {o['text']!r})"
        for screen, read in screens.items()
        for o in read["objects"]
        if o["focusable"] and o["showing"] and (o["role"] in NOT_A_ROLE or not o["name"].strip())
    ]
    assert not unnamed, "\n".join(unnamed)


def test_what_the_learner_needs_is_read_as_it_is_shown(screens: dict[str, Any]) -> None:
    # The name is what a screen reader speaks: it must be the text on screen, not a caption.
    unread = []
    for screen, read in screens.items():
        names = _names(read)
        for what, text in read["shown"].items():
            if text.strip() not in names:
                unread.append(f"{screen}: the {what} {text!r} is not the name of anything")
    assert not unread, "\n".join(unread)
    shown = {what for read in screens.values() for what in read["shown"]}
    assert shown >= {"position", "verdict", "explanation", "headline", "sync_status"}


def test_after_a_check_the_focus_is_on_a_button_not_on_the_verdict(screens: dict[str, Any]) -> None:
    for screen in ("lesson card, checked", "knowledge check, answered"):
        focused = [o for o in screens[screen]["objects"] if o["focused"]]
        assert [o["role"] for o in focused] == ["push button"], (screen, focused)


def test_back_names_what_it_goes_back_to(screens: dict[str, Any]) -> None:
    names = _names(screens["second question"])
    assert "Previous question" in names and "Previous card" not in names


def test_feedback_and_the_score_are_announced_when_they_appear(
    read_back: dict[str, Any], screens: dict[str, Any]
) -> None:
    # The focus stays on the next action, so the screen reader must be told unasked.
    heard = read_back["announced"]
    for moment, shown in (
        ("lesson card, checked", screens["lesson card, checked"]["shown"]),
        ("knowledge check, answered", screens["knowledge check, answered"]["shown"]),
    ):
        said = " ".join(heard[moment])
        assert shown["verdict"] in said and shown["explanation"] in said, (moment, heard[moment])
    assert any(screens["results"]["shown"]["headline"] in said for said in heard["results"]), heard["results"]
