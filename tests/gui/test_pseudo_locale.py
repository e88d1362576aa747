"""Every screen in the pseudo-locale: no plain English left, so every phrase went through tr."""

from __future__ import annotations

import platform
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from microlearn import APP_DISPLAY_NAME, __version__
from microlearn.content.bundled import bundled_content_dir
from microlearn.content.loader import load_catalog
from microlearn.domain.attempt import Phase
from microlearn.services.startup import AppServices, start_services
from microlearn.services.sync import SyncService
from microlearn.settings.config import Config
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import Store
from microlearn.ui.language import FILE_ENV, install_language
from microlearn.ui.main_window import MainWindow
from microlearn.ui.pseudo_locale import build_pseudo_qm
from microlearn.ui.sections import ABOUT, LIBRARY, SETTINGS
from microlearn.ui.sync_controller import SyncController
from tests.support.gui_driver import answer_current, open_window, press
from tests.support.learners import MODULES, closed_port, play_module
from tests.support.visible_text import module_words, untranslated, visible_texts

pytestmark = pytest.mark.gui


@pytest.fixture(scope="session")
def pseudo_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pseudo_qm(tmp_path_factory.mktemp("pseudo") / "microlearn_pseudo.qm")


@pytest.fixture
def pseudo(qapp: QApplication, pseudo_qm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for translator in qapp.findChildren(QTranslator):
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()
    monkeypatch.setenv(FILE_ENV, str(pseudo_qm))
    install_language(qapp, "en")


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    yield services
    services.close()


def not_ours(services: AppServices) -> list[str]:
    """The curriculum's words, the learner's data, and names that are never translated."""
    config = services.config
    words = [APP_DISPLAY_NAME, __version__, pyside_version, platform.python_version(), platform.system()]
    words += [
        "Qt for Python",
        "Python",
        "pt",
        "Ctrl",
        "Esc",
        "F5",
        "English",
        "Español",
    ]  # languages by their own names
    words += [
        config.learner_name,
        config.home_page,
        str(services.paths.data_dir),
        str(services.paths.log_dir),
    ]
    for track in services.catalog.library():
        words += [track.title, track.audience, track.description]
        for module in track.modules:
            words += [module.title, module.summary, module.version, module.track_title]
    catalog = load_catalog(bundled_content_dir()).catalog
    assert catalog is not None
    for content_track in catalog.tracks:  # what a sync record names: questions, cards
        for content_module in content_track.modules:
            words += module_words(content_module)
    return words


def check(window: MainWindow, words: list[str], screen: str, seen: dict[str, list[str]]) -> None:
    left = untranslated(visible_texts(window), words)
    if left:
        seen[screen] = left


def test_no_screen_shows_untranslated_text(qtbot: QtBot, pseudo: None, services: AppServices) -> None:
    window = open_window(qtbot, services)
    words = not_ours(services)
    found: dict[str, list[str]] = {}
    check(window, words, "Today", found)
    for row, name in ((LIBRARY, "Library"), (SETTINGS, "Settings"), (ABOUT, "About")):
        window.navigation.setCurrentRow(row)
        check(window, words, name, found)
    window.navigation.setCurrentRow(0)
    assert window.today.first_button is not None
    window.today.first_button.click()
    player = window.player
    assert player is not None
    words += module_words(player.view.module)
    while player.view.phase is Phase.LESSONS:
        check(window, words, f"card {player.view.card_index + 1}", found)
        if player.question is not None:
            player.question.focus_first_option()
            answer_current(qtbot, player, right=False)
            check(window, words, f"card {player.view.card_index + 1}, checked", found)
        player.go_next()
    while window.player is not None:
        qtbot.waitUntil(lambda: player.question is not None and player.question.first_option.isEnabled())
        check(window, words, f"question {player.view.check_index + 1}", found)
        player.question.focus_first_option()  # type: ignore[union-attr]
        answer_current(qtbot, player, right=False)
        check(window, words, f"question {player.view.check_index + 1}, answered", found)
        press(qtbot, Qt.Key.Key_Return)
    assert window.results is not None
    check(window, words, "Results", found)
    assert found == {}


def without_waits(store: Store, config: Config) -> SyncService:
    return SyncService(store, config, sleep=lambda _s: None)


def test_the_sync_screens_show_no_untranslated_text(qtbot: QtBot, pseudo: None) -> None:
    """Offline with results waiting: Today's sync card, the status bar and the details view."""
    services = start_services(
        resolve_paths(),
        overrides={"lrs.endpoint": f"http://127.0.0.1:{closed_port()}/xAPI/"},
        make_sync=without_waits,
    )
    try:
        play_module(services.learning, MODULES[0])
        window = MainWindow()
        sync = SyncController(window, first_sync_delay_ms=None, watch_network=False)
        window.attach_sync(sync)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.services_ready(services)
        qtbot.waitUntil(lambda: sync.state is not None and not sync.running, timeout=20_000)
        window.sync_now()
        qtbot.waitUntil(lambda: sync.state is not None and not sync.running, timeout=20_000)
        words = not_ours(services)
        found: dict[str, list[str]] = {}
        check(window, words, "Today, offline", found)
        window.show_sync_details()
        qtbot.waitUntil(lambda: window.details is not None and window.details.model.rowCount() > 0)
        assert window.details is not None
        details = window.details
        texts = visible_texts(window) + [
            str(details.model.index(r, c).data())
            for r in range(details.model.rowCount())
            for c in range(details.model.columnCount())
        ]
        words += [m.title for t in services.catalog.library() for m in t.modules]
        words += ["AM", "PM"]  # the locale's own time of day (the pseudo-locale writes dates as en-US)
        with services.store.read() as db:  # what went wrong, as recorded: data, not our words
            words += [
                str(row[0])
                for row in db.execute("SELECT last_error FROM outbox WHERE last_error IS NOT NULL")
            ]
        left = untranslated(texts, words)
        if left:
            found["Sync details"] = left
        assert found == {}
    finally:
        services.close()
