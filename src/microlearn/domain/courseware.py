"""The courseware model: tracks, modules, cards and questions, as the learner meets them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microlearn.domain.programme import Programme


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SCENARIO = "scenario"


@dataclass(frozen=True)
class Option:
    id: str  # "a", "b", … in authored order; stable for a module version
    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    prompt: str
    options: tuple[Option, ...]
    explanation: str
    scenario: str = ""

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options if o.correct)

    def option(self, option_id: str) -> Option:
        for candidate in self.options:
            if candidate.id == option_id:
                return candidate
        raise KeyError(option_id)

    def is_correct(self, selected: frozenset[str] | set[str]) -> bool:
        return frozenset(selected) == self.correct_ids


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    body: str  # Markdown
    check: Question | None = None


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    version: str
    minutes: int
    summary: str
    objectives: tuple[str, ...]
    reviewed: date
    review_by: date
    pass_mark: int  # percent
    draw: int
    cards: tuple[Card, ...]
    questions: tuple[Question, ...]
    media: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    def question(self, question_id: str) -> Question:
        for candidate in self.questions:
            if candidate.id == question_id:
                return candidate
        raise KeyError(question_id)


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    audience: str
    description: str
    mandatory: bool
    modules: tuple[Module, ...]
    ask_certainty: bool = True  # "How sure are you?" with each knowledge-check answer
    survey: tuple[str, ...] = ()  # confidence statements rated 1–5 before and after the track
    language: str = "en"  # a BCP 47 tag: the language the track is written in


@dataclass(frozen=True)
class Catalog:
    tracks: tuple[Track, ...]
    fingerprint: str
    programme: Programme | None = None  # from programme.yaml; None: nothing has a due date
