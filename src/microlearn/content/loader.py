"""Read authored content (tracks → modules → cards and questions) and check every rule.

``load_catalog`` never stops at the first problem: it reports every one it can find,
each with file:line, and returns a catalog only when there are no errors. It then runs the
lints (``lints.py``), whose warnings never stop an install.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from microlearn.content import rules
from microlearn.content.folders import (
    IMAGE_LINK,
    check_names,
    entries,
    image_problem,
    is_folder,
    is_module_folder,
    is_track_folder,
    module_media,
)
from microlearn.content.lints import ImageLink, ModuleSource, QuestionSource, lint
from microlearn.content.problems import ProblemList
from microlearn.content.programme import load_programme
from microlearn.content.schema import (
    CardSpec,
    ModuleSpec,
    QuestionsFileSpec,
    QuestionSpec,
    TrackSpec,
    validate,
)
from microlearn.content.source_files import (
    MODULE_FILE,
    QUESTIONS_FILE,
    TRACK_FILE,
    fingerprint,
    read_text,
    split_front_matter,
)
from microlearn.content.yaml_lines import UNREADABLE, LineDict, LineList, YamlError, load_yaml, read_yaml
from microlearn.domain.courseware import Card, Catalog, Module, Question, Track

# The track a module folder loaded on its own is put in (``content check MODULE``, preview).
STANDALONE_TRACK_ID = "preview"


@dataclass
class LoadResult:
    catalog: Catalog | None
    problems: ProblemList
    root: Path
    sources: list[ModuleSource] = field(default_factory=list)  # where each module was written


def _parse_yaml_file(path: Path, problems: ProblemList, root: Path, needs: str) -> Any:
    """The YAML in ``path``, or None with the problem reported; ``needs`` says what belongs in it."""
    raw = read_yaml(path, problems, root)
    if raw is UNREADABLE:
        return None
    if raw is None:
        problems.error(path, 1, f"is empty; it needs {needs} (see the authoring guide)")
    return raw


def _report(path: Path, problems: ProblemList, errors: list[tuple[int, str]]) -> None:
    for line, message in errors:
        problems.error(path, line, message)


def _option_lines(raw: object) -> tuple[int, ...]:
    options = raw.get("options") if isinstance(raw, LineDict) else None
    return tuple(options.item_lines) if isinstance(options, LineList) else ()


def _load_card(
    path: Path, module_dir: Path, problems: ProblemList, source: ModuleSource, root: Path
) -> Card | None:
    text = read_text(path, problems, root)
    if text is None:
        return None
    front = split_front_matter(path, text, problems)
    if front is None:
        return None
    try:
        raw = load_yaml(front.header, line_offset=front.header_line - 1)
    except YamlError as exc:
        problems.error(path, exc.line, str(exc))
        return None
    spec, errors = validate(CardSpec, raw if raw is not None else {})
    _report(path, problems, errors)
    if not front.body.strip():
        problems.error(path, front.body_line, "the card has no text below its header")
    _check_images(path, module_dir, front.body, front.body_line, problems, source, root)
    if spec is None:
        return None
    check = None
    if spec.check is not None:
        line = raw.line_of("check")
        check = rules.build_question(spec.check, path.stem, path, line, problems)
        if check is not None:
            source.questions.append(
                QuestionSource(check, path, line, _option_lines(raw["check"]), inline=True)
            )
    return Card(id=path.stem, title=spec.title, body=front.body, check=check)


def _check_images(
    path: Path,
    module_dir: Path,
    body: str,
    first_line: int,
    problems: ProblemList,
    source: ModuleSource,
    root: Path,
) -> None:
    for offset, line_text in enumerate(body.split("\n")):
        for match in IMAGE_LINK.finditer(line_text):
            target = match.group("target")
            line = first_line + offset
            source.images.append(ImageLink(path, line, target, match.group("alt")))
            problem = image_problem(module_dir, target)
            if problem is not None:
                problems.error(path, line, problem)


def _load_questions(path: Path, problems: ProblemList, source: ModuleSource, root: Path) -> list[Question]:
    if not os.path.lexists(path):
        problems.error(path.parent / MODULE_FILE, 1, f"the module has no {QUESTIONS_FILE} question pool")
        return []
    raw = _parse_yaml_file(path, problems, root, "a 'questions:' list with at least one question")
    if raw is None:
        return []
    spec, errors = validate(QuestionsFileSpec, raw)
    _report(path, problems, errors)
    if spec is None:
        return []
    items: LineList = raw["questions"]
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if problems.full(path):
            break
        line = items.line_of(index)
        if not isinstance(item, dict):
            problems.error(
                path, line, "each question must be a set of 'field: value' lines (id, kind, prompt, …)"
            )
            continue
        question_spec, item_errors = validate(QuestionSpec, item)
        _report(path, problems, item_errors)
        if question_spec is None:
            continue
        if question_spec.id in seen:
            problems.error(
                path,
                line,
                f"duplicate question id '{question_spec.id}' (first used on line {seen[question_spec.id]})",
            )
            continue
        seen[question_spec.id] = line
        rules.check_id(question_spec.id, "question", path, line, problems)
        question = rules.build_question(question_spec, question_spec.id, path, line, problems)
        if question is not None:
            questions.append(question)
            source.questions.append(QuestionSource(question, path, line, _option_lines(item)))
    return questions


def load_module(
    module_dir: Path,
    problems: ProblemList,
    sources: list[ModuleSource] | None = None,
    root: Path | None = None,
) -> Module | None:
    """Load one module folder; ``sources`` receives where its parts were written, for the lints.

    Only files inside ``root`` (the content folder being loaded; the module folder when
    none is given) are read.
    """
    root = root or module_dir
    module_file = module_dir / MODULE_FILE
    source = ModuleSource(module_dir)
    if sources is not None:
        sources.append(source)
    errors_before = len(problems.errors)
    if not os.path.lexists(module_file):
        problems.error(module_file, 1, f"missing: every module folder needs a {MODULE_FILE}")
        return None
    raw = _parse_yaml_file(module_file, problems, root, "the module's id, title, version and other fields")
    if raw is None:
        return None
    spec, errors = validate(ModuleSpec, raw)
    _report(module_file, problems, errors)
    if isinstance(raw, LineDict):
        source.field_lines = {str(key): line for key, line in raw.key_lines.items()}
    card_files = sorted(p for p in entries(module_dir, problems) if p.suffix == ".md")
    cards = [card for path in card_files if (card := _load_card(path, module_dir, problems, source, root))]
    if not card_files:
        problems.error(module_file, 1, "the module has no lesson cards (files named like 01-intro.md)")
    questions = _load_questions(module_dir / QUESTIONS_FILE, problems, source, root)
    if spec is None:
        return None
    rules.check_module(spec, raw, module_file, len(questions), problems)
    if len(cards) != len(card_files) or len(problems.errors) > errors_before:
        return None
    source.module = Module(
        id=spec.id,
        title=spec.title,
        version=spec.version,
        minutes=spec.minutes,
        summary=spec.summary,
        objectives=tuple(spec.objectives),
        reviewed=spec.reviewed,
        review_by=spec.review_by,
        pass_mark=spec.pass_mark,
        draw=spec.draw,
        cards=tuple(cards),
        questions=tuple(questions),
        media=module_media(module_dir),
    )
    return source.module


def load_track(
    track_dir: Path,
    problems: ProblemList,
    sources: list[ModuleSource] | None = None,
    root: Path | None = None,
) -> Track | None:
    root = root or track_dir
    track_file = track_dir / TRACK_FILE
    if not os.path.lexists(track_file):
        problems.error(
            track_file,
            1,
            f"missing: this folder holds modules but no {TRACK_FILE}, so none of them would be "
            f"installed; add a {TRACK_FILE} with the track's id, title, audience and modules",
        )
        raw = None
    else:
        raw = _parse_yaml_file(track_file, problems, root, "the track's id, title, audience and modules")
    spec, errors = validate(TrackSpec, raw) if raw is not None else (None, [])
    _report(track_file, problems, errors)
    folders = {p.name: p for p in entries(track_dir, problems) if not p.name.startswith(".") and is_folder(p)}
    modules: dict[str, Module] = {}
    # Only listed modules are part of the track: an unlisted folder is a draft in progress
    # (checked on its own with `content check FOLDER`), so it cannot block an install.
    wanted = set(spec.modules) if spec is not None else set(folders)
    for name, folder in sorted(folders.items()):
        if name not in wanted:
            continue
        module = load_module(folder, problems, sources, root)
        if module is not None:
            if module.id != name:
                problems.error(
                    folder / MODULE_FILE,
                    rules.id_line(folder / MODULE_FILE),
                    f"the module id '{module.id}' must match its folder name '{name}'",
                )
            modules[name] = module
    if spec is None or not isinstance(raw, LineDict):
        return None
    rules.check_id(spec.id, "track", track_file, raw.line_of("id"), problems)
    listed: LineList = raw["modules"]
    first_listed: dict[str, int] = {}
    for index, name in enumerate(spec.modules):
        line = listed.line_of(index)
        if name in first_listed:
            problems.error(
                track_file, line, f"lists module '{name}' twice (first on line {first_listed[name]})"
            )
        first_listed.setdefault(name, line)
        if name not in folders:
            problems.error(
                track_file, line, f"lists module '{name}' but there is no folder {track_dir.name}/{name}/"
            )
    for name in folders:
        if name not in spec.modules:
            problems.warning(
                track_file,
                listed.line,
                f"module folder '{name}/' is not listed in modules, so learners will not see it "
                "(a draft is fine; check it on its own with: microlearn content check FOLDER)",
            )
    if any(name not in modules for name in spec.modules) or len(first_listed) != len(spec.modules):
        return None
    return Track(
        id=spec.id,
        title=spec.title,
        audience=spec.audience,
        description=spec.description,
        mandatory=spec.mandatory,
        modules=tuple(modules[name] for name in spec.modules),
        ask_certainty=spec.ask_certainty,
        survey=tuple(spec.confidence_survey or ()),
        language=spec.language,
    )


def load_catalog(root: Path, today: date | None = None) -> LoadResult:
    """Load a content folder: a folder of tracks, one track, or one module; then run the lints.

    ``today`` is the date the review-date lint compares with (the real date unless a test says).
    """
    problems = ProblemList()
    sources: list[ModuleSource] = []
    programme = None
    root = root.resolve()
    if not root.is_dir():
        problems.error(root, 1, "is not a folder of content")
        return LoadResult(None, problems, root)
    check_names(root, problems)
    if is_module_folder(root):
        module = load_module(root, problems, sources, root)
        tracks = (
            [] if module is None else [Track(STANDALONE_TRACK_ID, "Preview", "Authors", "", False, (module,))]
        )
    else:
        track_dirs = (
            [root]
            if os.path.lexists(root / TRACK_FILE)
            else sorted(p for p in entries(root, problems) if is_track_folder(p))
        )
        if not track_dirs:
            if any(is_folder(p) and is_module_folder(p) for p in entries(root, problems)):
                track_dirs = [root]  # a track folder whose track.yaml is missing: load_track says so
            else:
                problems.error(root, 1, f"holds no tracks: expected folders with a {TRACK_FILE}")
        loaded = []
        for track_dir in track_dirs:
            errors_before = len(problems.errors)
            track = load_track(track_dir, problems, sources, root)
            if track is not None:
                loaded.append((track, track_dir))
            elif len(problems.errors) == errors_before:
                # A track is never dropped in silence: it would vanish from the learners' Library.
                problems.error(track_dir / TRACK_FILE, 1, "the track could not be loaded")
        rules.check_unique_ids(loaded, problems)
        tracks = [t for t, _ in loaded]
        if root not in track_dirs:  # programme.yaml sits beside the track folders
            # Ids are checked against the tracks only when every track loaded: a track with an
            # error of its own would make each of its ids look unknown here too.
            known = (
                {t.id: [m.id for m in t.modules] for t in tracks} if len(loaded) == len(track_dirs) else None
            )
            programme = load_programme(root, known, problems, today or date.today())
    lint(sources, problems, today or date.today(), root)
    if problems.errors:
        return LoadResult(None, problems, root, sources)
    catalog = Catalog(tracks=tuple(tracks), fingerprint=fingerprint(root), programme=programme)
    return LoadResult(catalog, problems, root, sources)
