"""The programme on the learner's screens: Today's due card, driven in the real window.

The sample track (``mandatory: true``) with a programme beside it; the dates are set relative to
the learner's real today, since the window reads the real clock.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel
from pytestqt.qtbot import QtBot

from microlearn.services.startup import AppServices, start_services
from microlearn.services.time_zone import learner_zone
from microlearn.settings.paths import resolve_paths
from microlearn.ui.due_card import short_date
from microlearn.ui.main_window import MainWindow
from microlearn.ui.sections import PROGRESS
from tests.support.content_samples import content
from tests.support.gui_driver import open_window, press
from tests.support.learners import play_module

__all__ = ["content"]

pytestmark = pytest.mark.gui


def today() -> date:
    return datetime.now(learner_zone()).date()


def programme(overdue: date, soon: date) -> str:
    return f"""\
assignments:
  - groups: [designated-staff]
    modules: [second-module]
    due:
      date: {overdue.isoformat()}
  - groups: [designated-staff]
    modules: [first-module]
    due:
      date: {soon.isoformat()}
"""


@pytest.fixture
def dates() -> tuple[date, date]:
    return today() - timedelta(days=3), today() + timedelta(days=3)


def start(
    content: Path, dates: tuple[date, date], groups: str, monkeypatch: pytest.MonkeyPatch
) -> AppServices:
    (content / "programme.yaml").write_text(programme(*dates), encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_CONTENT_DIR", str(content))
    monkeypatch.setenv("MICROLEARN_AUDIENCE_GROUPS", groups)
    return start_services(resolve_paths())


@pytest.fixture
def staff(content: Path, dates: tuple[date, date], monkeypatch: pytest.MonkeyPatch) -> Iterator[AppServices]:
    services = start(content, dates, "designated-staff", monkeypatch)
    yield services
    services.close()


@pytest.fixture
def outsider(
    content: Path, dates: tuple[date, date], monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppServices]:
    services = start(content, dates, "visitors", monkeypatch)
    yield services
    services.close()


def test_today_shows_overdue_first_then_due_soon_and_the_totals(
    qtbot: QtBot, staff: AppServices, dates: tuple[date, date]
) -> None:
    overdue = dates[0]
    titles = {m.id: m.title for t in staff.catalog.library() for m in t.modules}
    window = open_window(qtbot, staff)
    card = window.today.due_card
    assert card is not None
    lines = [line.text() for line in card.lines]
    assert lines == [
        f"{titles['second-module']} — Overdue since {short_date(overdue)}",
        f"{titles['first-module']} — Due in 3 days",
    ]
    totals = card.totals.text()
    assert totals.startswith("2 modules left · about ")
    assert totals.endswith(f" · next due {short_date(overdue)}")
    # The overdue module's button has the focus and opens it from the keyboard.
    assert card.buttons[0].hasFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert window.player is not None and window.player.view.module.id == "second-module"


def test_a_learner_outside_the_group_sees_the_track_as_optional(qtbot: QtBot, outsider: AppServices) -> None:
    window = open_window(qtbot, outsider)
    assert window.today.due_card is None
    shown = [w.text() for w in window.today.findChildren(type(window.today.title))]
    assert not any("required module" in text for text in shown), shown
    assert not any("Required" in text.split(" · ") for text in shown), shown
    # Still free to open any module.
    window.open_module("first-module")
    assert window.player is not None and window.player.view.module.id == "first-module"


def module_titles(window: MainWindow) -> list[str]:
    return [
        frame.accessibleName()
        for frame in window.library.findChildren(QFrame)
        if frame.property("role") == "card"
    ]


def test_library_shows_due_dates_and_filters_what_is_required_for_me(
    qtbot: QtBot, content: Path, dates: tuple[date, date], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the second module is assigned: the first stays in the Library, optional.
    (content / "programme.yaml").write_text(
        f"assignments:\n  - groups: [designated-staff]\n    modules: [second-module]\n"
        f"    due:\n      date: {dates[0].isoformat()}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("MICROLEARN_CONTENT_DIR", str(content))
    monkeypatch.setenv("MICROLEARN_AUDIENCE_GROUPS", "designated-staff")
    services = start_services(resolve_paths())
    try:
        titles = {m.id: m.title for t in services.catalog.library() for m in t.modules}
        window = open_window(qtbot, services)
        window.navigation.setCurrentRow(1)
        library = window.library
        assert set(module_titles(window)) == {titles["first-module"], titles["second-module"]}
        texts = [w.text() for w in library.findChildren(QLabel)]
        assert any(f"Overdue since {short_date(dates[0])}" in t for t in texts), texts
        assert library.required_filter is not None and library.required_filter.accessibleName()
        library.required_filter.setFocus()
        press(qtbot, Qt.Key.Key_Space)
        assert library.required_only
        assert module_titles(window) == [titles["second-module"]]
        window.open_module("first-module")  # still free to open a module that is not required
        assert window.player is not None and window.player.view.module.id == "first-module"
    finally:
        services.close()


def test_one_reminder_while_the_app_runs_and_none_after_a_restart_the_same_day(
    qtbot: QtBot, staff: AppServices
) -> None:
    window = open_window(qtbot, staff)
    assert window.reminders is not None
    qtbot.waitUntil(lambda: bool(window.reminders and window.reminders.shown))
    assert window.reminders.shown == [
        "1 module overdue · 1 module due this week · next due " + short_date(today() - timedelta(days=3))
    ]
    window.reminders.check()  # the hourly check, the same day
    window.close()
    again = start_services(resolve_paths())
    try:
        second = open_window(qtbot, again)
        assert second.reminders is not None
        second.reminders.check()
        qtbot.wait(300)  # the worker's answer (none) has come back by now
        assert second.reminders.shown == []
    finally:
        second.close()
        again.close()


def test_no_reminder_when_the_policy_turns_them_off(
    qtbot: QtBot, content: Path, dates: tuple[date, date], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "it" / "policy.toml"
    policy.parent.mkdir()
    policy.write_text("[reminders]\nenabled = false\n", encoding="utf-8")
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    services = start(content, dates, "designated-staff", monkeypatch)
    try:
        window = open_window(qtbot, services)
        assert window.reminders is not None
        window.reminders.check()
        qtbot.wait(300)
        assert window.reminders.shown == [] and window.reminders.tray is None
    finally:
        services.close()


def card_text(frame: QFrame) -> str:
    return "\n".join(w.text() for w in frame.findChildren(QLabel))


def test_progress_shows_status_due_date_every_attempt_and_what_was_missed(
    qtbot: QtBot, staff: AppServices, dates: tuple[date, date]
) -> None:
    play_module(staff.learning, "second-module", passing=False)
    play_module(staff.learning, "second-module", passing=False)
    play_module(staff.learning, "first-module")
    window = open_window(qtbot, staff)
    window.navigation.setCurrentRow(PROGRESS)
    page = window.sections.progress
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: "second-module" in page.module_frames)
    assert page.minutes is not None and "this week" in page.minutes.text()
    failed = card_text(page.module_frames["second-module"])
    assert f"Overdue since {short_date(dates[0])}" in failed
    assert failed.count("not passed") == 2 and "score " in failed
    assert "Missed: " in failed and "the right answer is" in failed
    passed = card_text(page.module_frames["first-module"])
    assert "passed" in passed.split(" · ") and "Done on " in passed
    assert "Missed: " not in passed


# Offscreen Qt has no desktop to hand the PDF to, and says so; the file is what is checked.
@pytest.mark.qt_log_ignore("does not support QPlatformServices::openDocument")
def test_a_finished_track_gives_a_certificate_pdf_opened_and_saved_from_progress(
    qtbot: QtBot, content: Path, dates: tuple[date, date], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROLEARN_IDENTITY_DISPLAY_NAME", "Ana García López")
    services = start(content, dates, "designated-staff", monkeypatch)
    try:
        play_module(services.learning, "first-module")
        window = open_window(qtbot, services)
        window.navigation.setCurrentRow(PROGRESS)
        page = window.sections.progress
        qtbot.waitUntil(lambda: "first-module" in page.module_frames)
        assert page.certificate_buttons == {}  # one module of two: no certificate yet
        play_module(services.learning, "second-module")
        window.refresh()
        qtbot.waitUntil(lambda: bool(page.certificate_buttons))
        ((certificate_id, (open_button, save_button)),) = page.certificate_buttons.items()
        assert open_button.accessibleName() and save_button.accessibleName()
        open_button.click()
        (opened,) = page.opened
        assert oct(opened.stat().st_mode & 0o777) == "0o600"
        (record,) = services.certificates.certificates()
        text = subprocess.run(
            ["pdftotext", "-layout", str(opened), "-"], capture_output=True, text=True, check=True
        )
        words = " ".join(text.stdout.split())
        assert "Ana García López" in words
        assert record.track_title in words and record.verification_code in words
        for _, title, version in record.modules:
            assert f"{title} (version {version})" in words
        saved = page.save_certificate(record, tmp_path / "mine.pdf")
        assert saved.read_bytes().startswith(b"%PDF")
        # Opening Progress again gives no second certificate for the same track.
        window.refresh()
        qtbot.wait(300)
        assert [c.id for c in services.certificates.certificates()] == [certificate_id]
    finally:
        services.close()


def test_the_certificate_is_given_when_the_track_is_finished_without_visiting_progress(
    qtbot: QtBot, staff: AppServices
) -> None:
    window = open_window(qtbot, staff)
    play_module(staff.learning, "first-module")
    play_module(staff.learning, "second-module")
    window.refresh()  # as leaving the results page does
    qtbot.waitUntil(lambda: len(staff.certificates.certificates()) == 1)
