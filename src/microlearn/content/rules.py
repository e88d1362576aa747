"""The content rules beyond a file's shape: one correct option, sane pass marks, dates, ids."""

from __future__ import annotations

import re
from pathlib import Path

from microlearn.content.problems import ProblemList
from microlearn.content.schema import CheckSpec, ModuleSpec
from microlearn.content.source_files import MODULE_FILE, TRACK_FILE
from microlearn.content.yaml_lines import LineDict
from microlearn.domain.courseware import Option, Question, QuestionKind, Track

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_MINUTES = 15
MIN_OPTIONS, MAX_OPTIONS = 2, 6
OPTION_IDS = "abcdefghijklmnop"


def check_id(value: str, what: str, path: Path, line: int, problems: ProblemList) -> None:
    if not ID_PATTERN.match(value):
        problems.error(path, line, f"{what} id '{value}' may use only lower-case letters, digits and dashes")


def build_question(
    spec: CheckSpec, question_id: str, path: Path, line: int, problems: ProblemList
) -> Question | None:
    """Check one question's rules and turn it into the domain's Question."""
    kind = QuestionKind(spec.kind)
    label = f"question '{question_id}'"
    before = len(problems.errors)
    if kind is QuestionKind.TRUE_FALSE:
        if spec.options is not None:
            problems.error(
                path,
                line,
                f"{label} is true_false: write 'answer: true' or 'answer: false' instead of options",
            )
        if spec.answer is None:
            problems.error(path, line, f"{label} is true_false but has no 'answer: true' or 'answer: false'")
            return None
        feedback = spec.feedback or {}
        unknown = set(feedback) - {"true", "false"}
        if unknown:
            problems.error(
                path,
                line,
                f"{label}: feedback takes only 'true' and 'false', not {sorted(unknown)}",
            )
        options: tuple[Option, ...] = (
            Option("true", "True", spec.answer is True, feedback.get("true", "")),
            Option("false", "False", spec.answer is False, feedback.get("false", "")),
        )
    else:
        if spec.answer is not None:
            problems.error(
                path,
                line,
                f"{label}: 'answer' is only for true_false questions; mark the "
                "right option with 'correct: true'",
            )
        if spec.feedback is not None:
            problems.error(path, line, f"{label}: put feedback on each option, not on the question")
        authored = spec.options or []
        if not MIN_OPTIONS <= len(authored) <= MAX_OPTIONS:
            problems.error(
                path,
                line,
                f"{label} has {len(authored)} options; give {MIN_OPTIONS} to {MAX_OPTIONS}",
            )
        correct = sum(1 for o in authored if o.correct)
        if correct == 0:
            problems.error(path, line, f"{label} has no correct option; mark one with 'correct: true'")
        elif correct > 1 and kind is not QuestionKind.MULTIPLE:
            problems.error(
                path,
                line,
                f"{label} has more than one correct option; a {kind.value} question "
                "takes exactly one (use kind: multiple for several)",
            )
        texts = [o.text for o in authored]
        if len(set(texts)) != len(texts):
            problems.error(path, line, f"{label} has two options with the same text")
        options = tuple(
            Option(OPTION_IDS[i], o.text, o.correct, o.feedback) for i, o in enumerate(authored[:MAX_OPTIONS])
        )
    if kind is QuestionKind.SCENARIO and not spec.scenario:
        problems.error(
            path, line, f"{label} is a scenario but has no 'scenario' text describing the situation"
        )
    if kind is not QuestionKind.SCENARIO and spec.scenario:
        problems.error(path, line, f"{label}: 'scenario' text is only for kind: scenario")
    if len(problems.errors) != before:
        return None
    return Question(
        id=question_id,
        kind=kind,
        prompt=spec.prompt,
        options=options,
        explanation=spec.explanation,
        scenario=spec.scenario,
    )


def check_module(spec: ModuleSpec, raw: LineDict, path: Path, pool_size: int, problems: ProblemList) -> None:
    check_id(spec.id, "module", path, raw.line_of("id"), problems)
    if not 1 <= spec.minutes <= MAX_MINUTES:
        problems.error(
            path,
            raw.line_of("minutes"),
            f"minutes must be from 1 to {MAX_MINUTES}, not {spec.minutes}; split a longer module in two",
        )
    if not 1 <= spec.pass_mark <= 100:
        problems.error(
            path,
            raw.line_of("pass_mark"),
            f"pass_mark must be a percentage from 1 to 100, not {spec.pass_mark}",
        )
    if spec.review_by <= spec.reviewed:
        problems.error(
            path,
            raw.line_of("review_by"),
            f"review_by must be after reviewed ({spec.review_by} is not after {spec.reviewed})",
        )
    if pool_size and not 1 <= spec.draw <= pool_size:
        problems.error(
            path,
            raw.line_of("draw"),
            f"draw must be from 1 to the number of questions in the pool ({pool_size}), not {spec.draw}",
        )


def check_unique_ids(tracks: list[tuple[Track, Path]], problems: ProblemList) -> None:
    """Ids must be unique across all tracks; each report points at the second file that uses one."""
    seen_tracks: dict[str, Path] = {}
    seen_modules: dict[str, str] = {}
    for track, track_dir in tracks:
        track_file = track_dir / TRACK_FILE
        if track.id in seen_tracks:
            problems.error(
                track_file,
                id_line(track_file),
                f"duplicate track id '{track.id}' (also used in {seen_tracks[track.id]})",
            )
        seen_tracks.setdefault(track.id, track_file)
        for module in track.modules:
            module_file = track_dir / module.id / MODULE_FILE
            if module.id in seen_modules:
                problems.error(
                    module_file,
                    id_line(module_file),
                    f"duplicate module id '{module.id}' in tracks '{seen_modules[module.id]}' "
                    f"and '{track.id}'; every module needs its own id",
                )
            seen_modules.setdefault(module.id, track.id)


def id_line(path: Path) -> int:
    """The line of the top-level `id:` field, for messages about a file as a whole."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if line.startswith("id:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
