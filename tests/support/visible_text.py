"""What a learner can read on screen, and which of it is still plain English.

For the pseudo-locale test: with the accented pseudo-translation loaded, every phrase of the
interface is accented, so a word of plain ASCII letters left after the curriculum's and the
learner's own text are taken out is a phrase that skipped translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QListWidget, QTableView, QWidget

from microlearn.domain.courseware import Module, Question

ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def visible_texts(root: QWidget) -> list[str]:
    """The window title, and every shown label, button, list item, drop-down choice and header."""
    texts = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QAbstractButton | QComboBox) and widget.toolTip():
            texts.append(widget.toolTip())
        if isinstance(widget, QListWidget):
            texts += [widget.item(row).text() for row in range(widget.count())]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTableView):
            model = widget.model()
            texts += [
                str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())
            ]
    return [t for t in texts if t]


def question_words(question: Question) -> list[str]:
    words = [question.prompt, question.scenario, question.explanation]
    for option in question.options:
        words += [option.text, option.feedback]
    return words


def module_words(module: Module) -> list[str]:
    """Everything the curriculum's authors wrote for a module."""
    words = [module.title, module.summary, module.version, *module.objectives]
    for card in module.cards:
        words += [card.title, card.body]
        if card.check is not None:
            words += question_words(card.check)
    for question in module.questions:
        words += question_words(question)
    return words


def untranslated(texts: Iterable[str], not_ours: Iterable[str]) -> list[str]:
    """The texts that still hold a plain English word once ``not_ours`` (content, user data,
    names such as "Microlearn" or "Python") is taken out of them."""
    # Spaces and line breaks compared as one space: the screens re-wrap authored text.
    removable = sorted({" ".join(w.split()) for w in not_ours if w.strip()}, key=len, reverse=True)
    found = []
    for text in texts:
        rest = " ".join(text.split())
        for word in removable:
            rest = rest.replace(word, " ")
        if ENGLISH_WORD.search(rest):
            found.append(text)
    return found
