"""Lints: warnings about content that works but will serve learners less well.

A warning never stops content from installing (``content check --strict`` makes warnings
fail the check). Each one names a file and a line and says in a plain sentence what to do,
like the checker's errors. The loader records where each part of a module was written
(``ModuleSource``) while it reads the files, so the lints never parse anything again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from microlearn.content.problems import ProblemList
from microlearn.content.source_files import IMAGE_SUFFIXES, MODULE_FILE
from microlearn.content.stats import estimate_minutes
from microlearn.domain.courseware import Module, Question, QuestionKind

MINUTES_TOLERANCE = 3.0  # minutes between the declared figure and the estimate before we warn
REVIEW_SOON_DAYS = 30
GIVEAWAY_RATIO = 1.5  # the correct option is this many times longer than the longest wrong one…
GIVEAWAY_EXTRA_CHARACTERS = 20  # …and longer by more than this many characters
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ImageLink:
    """A picture written in a card as ``![alt](target)``."""

    path: Path
    line: int
    target: str
    alt: str


@dataclass(frozen=True)
class QuestionSource:
    """A question and where it was written: in the pool, or as a card's inline check."""

    question: Question
    path: Path
    line: int  # where the question starts: its '- id:' line, or the card's 'check:' line
    option_lines: tuple[int, ...] = ()  # one per option, in order, when known
    inline: bool = False

    @property
    def label(self) -> str:
        return "the inline check" if self.inline else f"question '{self.question.id}'"

    def option_line(self, index: int) -> int:
        return self.option_lines[index] if index < len(self.option_lines) else self.line


@dataclass
class ModuleSource:
    """Where the parts of one module were written, filled in by the loader as it reads."""

    folder: Path
    field_lines: dict[str, int] = field(default_factory=dict)  # module.yaml's top-level keys
    questions: list[QuestionSource] = field(default_factory=list)
    images: list[ImageLink] = field(default_factory=list)
    module: Module | None = None  # set once the module has loaded without errors

    @property
    def module_file(self) -> Path:
        return self.folder / MODULE_FILE

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, 1)


def lint(sources: list[ModuleSource], problems: ProblemList, today: date, root: Path) -> None:
    """Add every warning for these modules to ``problems``; ``root`` shortens paths in messages."""
    for source in sources:
        _images_without_description(source, problems)
        _unused_images(source, problems)
        for question in source.questions:
            _correct_option_gives_itself_away(question, problems)
        if source.module is not None:
            _minutes_far_from_estimate(source, source.module, problems)
            _review_due(source, source.module, today, problems)
    _duplicate_question_text(sources, problems, root)


def _minutes_far_from_estimate(source: ModuleSource, module: Module, problems: ProblemList) -> None:
    estimate = estimate_minutes(module)
    if abs(module.minutes - estimate.total) <= MINUTES_TOLERANCE:
        return
    problems.warning(
        source.module_file,
        source.line_of("minutes"),
        f"minutes is {module.minutes} but the module looks like about {estimate.total:.1f} minutes "
        f"({estimate.explain()}); change minutes, or make the module "
        f"{'shorter' if estimate.total > module.minutes else 'longer'}",
    )


def _review_due(source: ModuleSource, module: Module, today: date, problems: ProblemList) -> None:
    days = (module.review_by - today).days
    if days > REVIEW_SOON_DAYS:
        return
    line = source.line_of("review_by")
    after = "then set reviewed to the day you checked it and review_by to the next review date"
    if days < 0:
        message = (
            f"review_by {module.review_by} has passed ({-days} day(s) ago): "
            f"check that the module is still right, {after}"
        )
    elif days == 0:
        message = f"review_by {module.review_by} is today: check that the module is still right, {after}"
    else:
        message = f"review_by {module.review_by} is in {days} day(s): plan the module's review"
    problems.warning(source.module_file, line, message)


def _images_without_description(source: ModuleSource, problems: ProblemList) -> None:
    for image in source.images:
        if not image.alt.strip():
            problems.warning(
                image.path,
                image.line,
                f"image '{image.target}' has no description in its [square brackets]; "
                "screen readers read the description aloud, so say what the picture shows",
            )


def _unused_images(source: ModuleSource, problems: ProblemList) -> None:
    used = {(source.folder / image.target).resolve() for image in source.images}
    try:
        files = sorted(
            p for p in source.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
        )
    except OSError:
        return
    for path in files:
        if path.resolve() not in used:
            problems.warning(
                path,
                1,
                f"image file '{path.name}' is not used by any card, but it is installed with the "
                f"module; show it with ![what it shows]({path.name}) in a card, or delete it",
            )


def _correct_option_gives_itself_away(source: QuestionSource, problems: ProblemList) -> None:
    question = source.question
    if question.kind not in (QuestionKind.SINGLE, QuestionKind.SCENARIO):
        return
    correct = [(i, o) for i, o in enumerate(question.options) if o.correct]
    wrong = [len(o.text) for o in question.options if not o.correct]
    if len(correct) != 1 or not wrong:
        return
    index, option = correct[0]
    longest_wrong = max(wrong)
    if len(option.text) > GIVEAWAY_RATIO * longest_wrong and (
        len(option.text) - longest_wrong > GIVEAWAY_EXTRA_CHARACTERS
    ):
        problems.warning(
            source.path,
            source.option_line(index),
            f"{source.label}: the correct option is much longer than every wrong one "
            f"({len(option.text)} characters against at most {longest_wrong}); learners learn to "
            "pick the longest answer, so shorten it or write the wrong ones as fully",
        )


def question_text(question: Question) -> str:
    """What a learner reads as the question, normalised: case, spacing and punctuation ignored."""
    text = (
        f"{question.scenario} {question.prompt}"
        if question.kind is QuestionKind.SCENARIO
        else question.prompt
    )
    return " ".join(_WORD.findall(text.casefold()))


def _where(source: QuestionSource, root: Path) -> str:
    try:
        shown = source.path.relative_to(root).as_posix()
    except ValueError:
        shown = source.path.as_posix()
    return f"{shown}:{source.line}"


def _duplicate_question_text(sources: list[ModuleSource], problems: ProblemList, root: Path) -> None:
    first: dict[str, QuestionSource] = {}
    for source in sources:
        for question in source.questions:
            text = question_text(question.question)
            if not text:
                continue
            earlier = first.setdefault(text, question)
            if earlier is question:
                continue
            problems.warning(
                question.path,
                question.line,
                f"{question.label} asks the same as {earlier.label} in {_where(earlier, root)}; "
                "learners would meet the same question twice, so reword or remove one",
            )
