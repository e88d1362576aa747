"""The interface in English and Spanish: chosen by the system, Settings or the policy."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from microlearn.services.catalog import OutboxCounts
from microlearn.services.startup import AppServices, start_services
from microlearn.settings.config import load_config
from microlearn.settings.paths import resolve_paths
from microlearn.ui.language import chosen_language, install_language, translations_dir
from microlearn.ui.status_text import outbox_status
from tests.support.gui_driver import open_window

pytestmark = pytest.mark.gui

LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")
LRELEASE = Path(sys.executable).with_name("pyside6-lrelease")
UI = Path(__file__).resolve().parents[2] / "src" / "microlearn" / "ui"


@pytest.fixture
def services() -> Iterator[AppServices]:
    services = start_services(resolve_paths())
    yield services
    services.close()


def speak(app: QApplication, setting: str) -> str:
    """Swap the translation the autouse ``english`` fixture installed for ``setting``'s."""
    for translator in app.findChildren(QTranslator):
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()
    return install_language(app, setting)


def counts(pending: int) -> OutboxCounts:
    return OutboxCounts(pending=pending, sent=0, rejected=0, conflict=0)


@pytest.mark.parametrize(
    ("setting", "system", "expected"),
    [
        ("system", "es_US", "es"),
        ("system", "es_MX", "es"),
        ("system", "en_GB", "en"),
        ("system", "fr_FR", "en"),  # a language we do not ship: English
        ("en", "es_US", "en"),  # Settings or the policy win over the system
        ("es", "en_US", "es"),
    ],
)
def test_the_language_follows_the_system_unless_one_is_chosen(
    setting: str, system: str, expected: str
) -> None:
    assert chosen_language(setting, QLocale(system)) == expected


def test_plurals_read_right_in_english_and_spanish(qapp: QApplication) -> None:
    assert outbox_status(counts(1)) == "1 result waiting to sync"
    assert outbox_status(counts(2)) == "2 results waiting to sync"
    assert speak(qapp, "es") == "es"
    assert outbox_status(counts(1)) == "1 resultado pendiente de sincronizar"
    assert outbox_status(counts(2)) == "2 resultados pendientes de sincronizar"


def test_the_window_speaks_spanish(qtbot: QtBot, qapp: QApplication, services: AppServices) -> None:
    speak(qapp, "es")
    window = open_window(qtbot, services)
    names = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert names == ["Hoy", "Biblioteca", "Configuración", "Acerca de", "Progreso"]
    first = window.today.first_button
    assert isinstance(first, QPushButton) and first.text() == "Empezar"
    assert "pendiente" in window.sync_status.text() or "sincronizar" in window.sync_status.text()
    window.navigation.setCurrentRow(2)
    assert window.settings.language.currentText() == "Como el sistema"


def test_the_policy_sets_the_language_and_settings_shows_it_locked(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "it" / "policy.toml"
    policy.parent.mkdir()
    policy.write_text(
        '[display]\nlanguage = "es"\n\n[locked]\nkeys = ["display.language"]\n', encoding="utf-8"
    )
    monkeypatch.setenv("MICROLEARN_POLICY", str(policy))
    config = load_config(resolve_paths())
    assert speak(qapp, config.get("display.language")) == "es"
    services = start_services(resolve_paths())
    try:
        window = open_window(qtbot, services)
        window.navigation.setCurrentRow(2)
        combo = window.settings.language
        assert combo.currentData() == "es" and combo.currentText() == "Español"
        assert not combo.isEnabled()
        assert combo.toolTip() == "Lo fija tu organización"
    finally:
        services.close()


def test_every_phrase_of_the_interface_has_its_spanish_translation(tmp_path: Path) -> None:
    """lupdate over the code as it is now: a new phrase without Spanish fails here."""
    fresh = tmp_path / "fresh_es.ts"
    shipped = translations_dir() / "microlearn_es.ts"
    fresh.write_bytes(shipped.read_bytes())
    sources = sorted(str(p) for p in UI.rglob("*.py"))
    subprocess.run([str(LUPDATE), "-silent", "-no-obsolete", *sources, "-ts", str(fresh)], check=True)
    untranslated = []
    for message in ET.parse(fresh).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            untranslated.append(message.findtext("source"))
    assert untranslated == []
    # The shipped .qm is the .ts compiled (`make translations` after editing either).
    compiled = tmp_path / "fresh_es.qm"
    subprocess.run([str(LRELEASE), "-silent", str(shipped), "-qm", str(compiled)], check=True)
    assert compiled.read_bytes() == (translations_dir() / "microlearn_es.qm").read_bytes()


def test_choosing_a_language_in_settings_saves_it_and_says_when_it_shows(
    qtbot: QtBot, services: AppServices
) -> None:
    window = open_window(qtbot, services)
    window.navigation.setCurrentRow(2)
    combo = window.settings.language
    assert combo.isEnabled() and combo.currentData() == "system"
    with qtbot.waitSignal(window.setting_changed) as changed:
        combo.setCurrentIndex(combo.findData("es"))
        combo.activated.emit(combo.currentIndex())
    assert changed.args == ["display.language", "es"]
    assert window.settings.language_note.isVisible()
    assert "next time" in window.settings.language_note.text()
