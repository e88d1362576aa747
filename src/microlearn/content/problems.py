"""What the content checker reports: a file, a line and a plain sentence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def render(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None:
            try:
                shown = self.path.relative_to(root)
            except ValueError:
                shown = self.path
        return f"{shown}:{self.line}: {self.severity}: {self.message}"


class ProblemList(list[Problem]):
    def error(self, path: Path, line: int, message: str) -> None:
        self.append(Problem(path, line, message, Severity.ERROR))

    def warning(self, path: Path, line: int, message: str) -> None:
        self.append(Problem(path, line, message, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.severity is Severity.WARNING]
