"""What the content checker reports: a file, a line and a plain sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

# An error line is read by a person: a message is cut to this many characters, so hostile
# content (an alias bomb, a 300 KB line) can never print megabytes.
MAX_MESSAGE_CHARACTERS = 500
# Python keeps the bytes of a file name that is not UTF-8 as lone surrogates, which cannot
# be printed or stored.
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` safe to print and store: a file name that is not UTF-8 shows U+FFFD for its bytes."""
    return _SURROGATE.sub("\ufffd", text)


def bounded(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARACTERS:
        return message
    return message[: MAX_MESSAGE_CHARACTERS - 1] + "…"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", printable(bounded(self.message)))

    def render(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None:
            try:
                shown = self.path.relative_to(root)
            except ValueError:
                shown = self.path
        return f"{printable(str(shown))}:{self.line}: {self.severity}: {self.message}"


# Past this many errors in one file the rest are counted, not listed: a 512 KB file of
# broken items would otherwise print 100,000 lines nobody reads.
MAX_ERRORS_PER_FILE = 50


class ProblemList(list[Problem]):
    def __init__(self, problems: Iterable[Problem] = ()) -> None:
        super().__init__(problems)
        self._errors_per_file: dict[Path, int] = {}

    def error(self, path: Path, line: int, message: str) -> None:
        count = self._errors_per_file.get(path, 0) + 1
        self._errors_per_file[path] = count
        if count <= MAX_ERRORS_PER_FILE:
            self.append(Problem(path, line, message, Severity.ERROR))
        elif count == MAX_ERRORS_PER_FILE + 1:
            self.append(
                Problem(
                    path,
                    line,
                    f"more than {MAX_ERRORS_PER_FILE} errors in this file; the rest are not listed. "
                    "Fix these, then check again",
                    Severity.ERROR,
                )
            )

    def warning(self, path: Path, line: int, message: str) -> None:
        self.append(Problem(path, line, message, Severity.WARNING))

    def full(self, path: Path) -> bool:
        """Whether ``path`` has more errors than are listed: checking more of it shows nothing new."""
        return self._errors_per_file.get(path, 0) > MAX_ERRORS_PER_FILE

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]
