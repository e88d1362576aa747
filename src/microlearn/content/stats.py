"""Figures about modules for authors: minutes declared against an estimate, counts, review dates.

The estimate lives here, once: the minutes lint and ``microlearn content stats`` both use it.

    estimate = words on the cards ÷ 150 + 0.5 per inline check + 0.75 per drawn question
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from microlearn.domain.courseware import Catalog, Module, QuestionKind

WORDS_PER_MINUTE = 150
MINUTES_PER_INLINE_CHECK = 0.5
MINUTES_PER_DRAWN_QUESTION = 0.75

# No brackets inside the text and no parentheses inside the target: each match attempt
# stops at the next bracket, so text like '![' repeated 150,000 times is one linear pass.
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def card_words(markdown: str) -> int:
    """Words a learner reads in a card's text: pictures, link targets and Markdown marks not counted."""
    text = _LINK.sub(r"\1", _IMAGE.sub(" ", markdown))
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class MinutesEstimate:
    words: int
    inline_checks: int
    drawn_questions: int

    @property
    def reading(self) -> float:
        return self.words / WORDS_PER_MINUTE

    @property
    def total(self) -> float:
        return (
            self.reading
            + self.inline_checks * MINUTES_PER_INLINE_CHECK
            + self.drawn_questions * MINUTES_PER_DRAWN_QUESTION
        )

    def explain(self) -> str:
        """The sum written out, so an author can see which part is large."""
        return (
            f"{self.words} words ÷ {WORDS_PER_MINUTE} = {self.reading:.1f}, "
            f"+ {self.inline_checks} inline check(s) × {MINUTES_PER_INLINE_CHECK}, "
            f"+ {self.drawn_questions} drawn question(s) × {MINUTES_PER_DRAWN_QUESTION}"
        )


def estimate_minutes(module: Module) -> MinutesEstimate:
    return MinutesEstimate(
        words=sum(card_words(card.body) for card in module.cards),
        inline_checks=sum(1 for card in module.cards if card.check is not None),
        drawn_questions=min(module.draw, len(module.questions)),
    )


@dataclass(frozen=True)
class ModuleStats:
    id: str
    title: str
    track: str | None  # None for a module folder checked on its own
    minutes: int
    estimate: MinutesEstimate
    cards: int
    questions: int
    draw: int
    kinds: dict[str, int]  # every question kind, in QuestionKind order, with its count in the pool
    reviewed: date
    review_by: date

    @property
    def inline_checks(self) -> int:
        return self.estimate.inline_checks

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "track": self.track,
            "minutes_declared": self.minutes,
            "minutes_estimated": round(self.estimate.total, 1),
            "words": self.estimate.words,
            "cards": self.cards,
            "inline_checks": self.inline_checks,
            "questions": self.questions,
            "draw": self.draw,
            "kinds": dict(self.kinds),
            "reviewed": self.reviewed.isoformat(),
            "review_by": self.review_by.isoformat(),
        }


def module_stats(module: Module, track: str | None) -> ModuleStats:
    estimate = estimate_minutes(module)
    return ModuleStats(
        id=module.id,
        title=module.title,
        track=track,
        minutes=module.minutes,
        estimate=estimate,
        cards=len(module.cards),
        questions=len(module.questions),
        draw=module.draw,
        kinds={kind.value: sum(1 for q in module.questions if q.kind is kind) for kind in QuestionKind},
        reviewed=module.reviewed,
        review_by=module.review_by,
    )


def catalog_stats(catalog: Catalog, lone_module: bool = False) -> list[ModuleStats]:
    """One row per module, in track order; ``lone_module``: the catalog is one module folder."""
    return [
        module_stats(module, None if lone_module else track.id)
        for track in catalog.tracks
        for module in track.modules
    ]


# (heading, value, right-aligned)
_COLUMNS: tuple[tuple[str, Callable[[ModuleStats], str], bool], ...] = (
    ("Module", lambda s: s.id, False),
    ("Track", lambda s: s.track or "-", False),
    ("Minutes", lambda s: str(s.minutes), True),
    ("Estimate", lambda s: f"{s.estimate.total:.1f}", True),
    ("Cards", lambda s: str(s.cards), True),
    ("Checks", lambda s: str(s.inline_checks), True),
    ("Questions", lambda s: str(s.questions), True),
    ("Draw", lambda s: str(s.draw), True),
    ("Single", lambda s: str(s.kinds["single"]), True),
    ("Multiple", lambda s: str(s.kinds["multiple"]), True),
    ("True/false", lambda s: str(s.kinds["true_false"]), True),
    ("Scenario", lambda s: str(s.kinds["scenario"]), True),
    ("Reviewed", lambda s: s.reviewed.isoformat(), False),
    ("Review by", lambda s: s.review_by.isoformat(), False),
)

LEGEND = (
    f"Estimate = card words ÷ {WORDS_PER_MINUTE} + {MINUTES_PER_INLINE_CHECK} per inline check "
    f"+ {MINUTES_PER_DRAWN_QUESTION} per drawn question. Checks: inline checks on the cards. "
    "Questions: the knowledge-check pool; Draw: how many each attempt uses. "
    "Single … Scenario: questions of each kind in the pool."
)


def render_table(rows: list[ModuleStats]) -> str:
    cells = [[heading for heading, _, _ in _COLUMNS]]
    cells += [[value(row) for _, value, _ in _COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(_COLUMNS))]
    lines = []
    for line in cells:
        parts = [
            text.rjust(width) if right else text.ljust(width)
            for text, width, (_, _, right) in zip(line, widths, _COLUMNS, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([*lines, "", *textwrap.wrap(LEGEND, width=100)])


def render_json(rows: list[ModuleStats]) -> str:
    return json.dumps({"modules": [row.as_json() for row in rows]}, ensure_ascii=False, indent=2)
