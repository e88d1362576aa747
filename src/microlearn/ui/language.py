"""Which language the interface speaks, and loading its translation.

The language follows the system (QLocale.system()) unless Settings or the policy name one
(``display.language``). English is the source language; its translation file holds only
the plural forms ("1 result" / "2 results"). A language we do not ship falls back to English.
``MICROLEARN_TRANSLATION_FILE`` names a .qm to load instead: the pseudo-translation the tests
build (accented, longer) to find text that skipped translation or is cut off, or a
translator's work in progress.
"""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

SHIPPED = ("en", "es")
FILE_ENV = "MICROLEARN_TRANSLATION_FILE"


def translations_dir() -> Path:
    return Path(str(resources.files("microlearn.ui") / "translations"))


def chosen_language(setting: str, system: QLocale | None = None) -> str:
    """The shipped language to use for ``setting`` ("system", "en" or "es")."""
    if setting in SHIPPED:
        return setting
    names = (system or QLocale.system()).uiLanguages()
    for name in names:
        code = name.replace("_", "-").split("-")[0].lower()
        if code in SHIPPED:
            return code
    return "en"


def install_language(app: QCoreApplication, setting: str) -> str:
    """Load the translation for ``setting`` into ``app`` and make its locale the default
    (numbers and dates follow it); returns the language used ("en" or "es")."""
    language = chosen_language(setting)
    system = QLocale.system()
    # The system's own locale when it speaks this language: its country's date order and separators.
    locale = system if QLocale(language).language() == system.language() else QLocale(language)
    QLocale.setDefault(locale)
    translator = QTranslator(app)
    qm = Path(os.environ.get(FILE_ENV) or translations_dir() / f"microlearn_{language}.qm")
    if translator.load(str(qm)):
        app.installTranslator(translator)
    else:
        log.warning("no translation file %s; the interface stays in English", qm)
    # Qt's own words (a message box's OK, a text field's Copy), where the install has them.
    qt_words = QTranslator(app)
    if qt_words.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_words)
    return language
