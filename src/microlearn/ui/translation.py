"""Putting a phrase in the learner's language: Qt's translation, numbered places, numbers.

QtCore is imported when a phrase is first needed, not with this module: the command line
and the Qt-free status words use it, and Qt's translate works without a QApplication (it
then returns the English source). It brings nothing else, so any screen may import it
before the first paint.
"""

from __future__ import annotations

import re
from datetime import datetime

_ENGLISH_CHOICE = re.compile(r"\((\w*)\|(\w*)\)")  # "(was|were)"
_ENGLISH_PLURAL = re.compile(r"\((\w+)\)")  # "result(s)"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """Marks ``text`` for translation where it is named (a constant); ``translate`` it when shown."""
    del context
    return text


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Qt's translation of ``text``; ``n`` chooses the plural form of a ``%n`` phrase."""
    from PySide6.QtCore import QCoreApplication  # late: see the module's docstring

    translated = QCoreApplication.translate(context, text, disambiguation, n)
    if n >= 0 and translated == text.replace("%n", str(n)):
        # No translation loaded (the command line, or a test without the app's start-up): the
        # English source's own forms, "1 result" / "2 results", rather than "result(s)".
        return english_plural(translated, n)
    return translated


def english_plural(text: str, n: int) -> str:
    """English's form of a phrase for ``n``: "result(s)" and "(was|were)" as one or many."""
    chosen = _ENGLISH_CHOICE.sub(r"\1" if n == 1 else r"\2", text)
    return _ENGLISH_PLURAL.sub("" if n == 1 else r"\1", chosen)


def number(value: int) -> str:
    """A whole number as the learner's language writes it (1,200 / 1.200)."""
    from PySide6.QtCore import QLocale  # late: see the module's docstring

    return QLocale().toString(value)


def local_date_time(moment: datetime) -> str:
    """A moment in the computer's time zone, written the learner's way (short date and time)."""
    from PySide6.QtCore import QDateTime, QLocale  # late: see the module's docstring

    shown = QDateTime(moment.astimezone().replace(tzinfo=None))
    return QLocale().toString(shown, QLocale.FormatType.ShortFormat)


def args(text: str, *values: str) -> str:
    """Fill Qt's numbered places (%1, %2 …) in one pass, so a value holding "%2" stays as it is."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "%" and i + 1 < len(text) and text[i + 1].isdigit():
            place = int(text[i + 1])
            if 1 <= place <= len(values):
                out.append(values[place - 1])
                i += 2
                continue
        out.append(text[i])
        i += 1
    return "".join(out)
