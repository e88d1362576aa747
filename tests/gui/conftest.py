"""GUI tests: the real widgets offscreen, driven by key presses; some sync to a real Ralph."""

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from microlearn.ui.language import install_language
from tests.support.learners import make_learner
from tests.support.lrs.fixtures import fault_proxy, fresh_ralph, ralph, strict_lrs

__all__ = ["english", "fault_proxy", "fresh_ralph", "make_learner", "ralph", "strict_lrs"]


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """The app as it starts in English: its translation holds the plural forms ("1 result")."""
    before = QLocale()
    install_language(qapp, "en")
    yield
    for translator in qapp.findChildren(QTranslator):
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(before)
