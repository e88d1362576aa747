"""What ``microlearn doctor`` reports: each check's PASS, WARN or FAIL, and the exit code."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from microlearn import APP_DISPLAY_NAME, __version__

EXIT_PASS, EXIT_WARN, EXIT_FAIL = 0, 1, 2


class Status(StrEnum):
    PASS = "PASS"
    INFO = "INFO"  # worth knowing, nothing wrong: does not change the exit code
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Check:
    id: str  # stable, for scripts reading --json
    title: str
    status: Status
    detail: str  # what was checked and what was found
    where: str = ""  # where to look: a file, a setting, a command
    facts: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "detail": self.detail,
            "where": self.where,
            "facts": self.facts,
        }


@dataclass(frozen=True)
class DoctorReport:
    checks: tuple[Check, ...]
    checked_at: datetime

    @property
    def exit_code(self) -> int:
        statuses = {check.status for check in self.checks}
        if Status.FAIL in statuses:
            return EXIT_FAIL
        return EXIT_WARN if Status.WARN in statuses else EXIT_PASS

    def count(self, status: Status) -> int:
        return sum(1 for check in self.checks if check.status is status)

    def check(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "app": APP_DISPLAY_NAME,
            "version": __version__,
            "checked_at": self.checked_at.isoformat(timespec="seconds"),
            "exit_code": self.exit_code,
            "counts": {status.value: self.count(status) for status in Status},
            "checks": [check.as_json() for check in self.checks],
        }

    def render_text(self) -> str:
        width = max((len(c.title) for c in self.checks), default=10)
        lines = [
            f"{APP_DISPLAY_NAME} {__version__} doctor, {self.checked_at.isoformat(timespec='seconds')}",
            "",
        ]
        for check in self.checks:
            detail_lines = check.detail.splitlines() or [""]
            lines.append(f"{check.status.value}  {check.title:<{width}}  {detail_lines[0]}")
            indent = " " * (width + 8)
            lines.extend(f"{indent}{extra}" for extra in detail_lines[1:])
            if check.where and check.status not in (Status.PASS, Status.INFO):
                lines.append(f"{indent}where to look: {check.where}")
        fails, warns = self.count(Status.FAIL), self.count(Status.WARN)
        verdict = "everything passed" if not (fails or warns) else f"{fails} failed, {warns} warning(s)"
        lines += ["", f"Result: {verdict} (exit code {self.exit_code})."]
        return "\n".join(lines)

    def to_json_text(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)
