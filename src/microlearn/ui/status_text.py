"""Plain words for where things stand: module status and results waiting to sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microlearn.domain.attempt import ModuleStatus, Phase

if TYPE_CHECKING:
    from microlearn.services.catalog import ModuleSummary, OutboxCounts

STATUS_WORDS = {
    ModuleStatus.NOT_STARTED: "Not started",
    ModuleStatus.IN_PROGRESS: "In progress",
    ModuleStatus.DONE: "Done",
    ModuleStatus.NOT_PASSED: "Not passed yet",
}


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def outbox_status(counts: OutboxCounts) -> str:
    if counts.pending:
        return f"{plural(counts.pending, 'result')} waiting to sync"
    if counts.sent:
        return "All results are synced"
    return "No results to sync yet"


def action_word(module: ModuleSummary) -> str:
    if module.status is ModuleStatus.IN_PROGRESS:
        return "Continue"
    if module.status is ModuleStatus.NOT_PASSED:
        return "Try again"
    if module.status is ModuleStatus.DONE:
        return "Review"
    return "Start"


def where_you_stopped(module: ModuleSummary) -> str:
    if module.resume_phase is Phase.CHECK:
        return "You stopped in the knowledge check."
    return f"You stopped at card {module.resume_card + 1} of {module.card_count}."
