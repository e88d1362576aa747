"""Read authored content (tracks → modules → cards and questions) and check every rule.

``load_catalog`` never stops at the first problem: it reports every one it can find,
each with file:line, and returns a catalog only when there are no errors. It then runs the
lints (``lints.py``), whose warnings never stop an install.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from microlearn.content import rules
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
    IMAGE_SUFFIXES,
    MAX_IMAGE_BYTES,
    MODULE_FILE,
    QUESTIONS_FILE,
    TRACK_FILE,
    fingerprint,
    read_text,
    split_front_matter,
)
from microlearn.content.yaml_lines import LineDict, LineList, YamlError, load_yaml
from microlearn.domain.courseware import Card, Catalog, Module, Question, Track

IMAGE_LINK = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
# The track a module folder loaded on its own is put in (``content check MODULE``, preview).
STANDALONE_TRACK_ID = "preview"


@dataclass
class LoadResult:
    catalog: Catalog | None
    problems: ProblemList
    root: Path
    sources: list[ModuleSource] = field(default_factory=list)  # where each module was written


def _parse_yaml_file(path: Path, problems: ProblemList) -> Any:
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        return load_yaml(text)
    except YamlError as exc:
        problems.error(path, exc.line, str(exc))
        return None


def _report(path: Path, problems: ProblemList, errors: list[tuple[int, str]]) -> None:
    for line, message in errors:
        problems.error(path, line, message)


def _option_lines(raw: object) -> tuple[int, ...]:
    options = raw.get("options") if isinstance(raw, LineDict) else None
    return tuple(options.item_lines) if isinstance(options, LineList) else ()


def _load_card(path: Path, module_dir: Path, problems: ProblemList, source: ModuleSource) -> Card | None:
    text = read_text(path, problems)
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
    _check_images(path, module_dir, front.body, front.body_line, problems, source)
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
    path: Path, module_dir: Path, body: str, first_line: int, problems: ProblemList, source: ModuleSource
) -> None:
    for offset, line_text in enumerate(body.split("\n")):
        for match in IMAGE_LINK.finditer(line_text):
            target = match.group("target")
            line = first_line + offset
            source.images.append(ImageLink(path, line, target, match.group("alt")))
            if target.startswith(("http://", "https://")):
                problems.error(
                    path,
                    line,
                    f"image '{target}' is on the internet; the app works offline, "
                    "so put the file in the module folder",
                )
                continue
            image = (module_dir / target).resolve()
            if module_dir.resolve() not in image.parents or not image.is_file():
                problems.error(path, line, f"image not found: '{target}' (put it in {module_dir.name}/)")
            elif image.suffix.lower() not in IMAGE_SUFFIXES:
                problems.error(path, line, f"image '{target}' is not a PNG, JPEG, SVG, GIF or WebP file")
            elif image.stat().st_size > MAX_IMAGE_BYTES:
                problems.error(path, line, f"image '{target}' is larger than 5 MB; make it smaller")


def _load_questions(path: Path, problems: ProblemList, source: ModuleSource) -> list[Question]:
    if not path.is_file():
        problems.error(path.parent / MODULE_FILE, 1, f"the module has no {QUESTIONS_FILE} question pool")
        return []
    raw = _parse_yaml_file(path, problems)
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
        line = items.line_of(index)
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
    module_dir: Path, problems: ProblemList, sources: list[ModuleSource] | None = None
) -> Module | None:
    """Load one module folder; ``sources`` receives where its parts were written, for the lints."""
    module_file = module_dir / MODULE_FILE
    source = ModuleSource(module_dir)
    if sources is not None:
        sources.append(source)
    errors_before = len(problems.errors)
    raw = _parse_yaml_file(module_file, problems)
    if raw is None:
        if not module_file.exists():
            problems.error(module_file, 1, f"missing: every module folder needs a {MODULE_FILE}")
        return None
    spec, errors = validate(ModuleSpec, raw)
    _report(module_file, problems, errors)
    if isinstance(raw, LineDict):
        source.field_lines = {str(key): line for key, line in raw.key_lines.items()}
    card_files = sorted(module_dir.glob("*.md"))
    cards = [card for path in card_files if (card := _load_card(path, module_dir, problems, source))]
    if not card_files:
        problems.error(module_file, 1, "the module has no lesson cards (files named like 01-intro.md)")
    questions = _load_questions(module_dir / QUESTIONS_FILE, problems, source)
    if spec is None:
        return None
    rules.check_module(spec, raw, module_file, len(questions), problems)
    if len(cards) != len(card_files) or len(problems.errors) > errors_before:
        return None
    media = {
        p.name: p.read_bytes()
        for p in module_dir.iterdir()
        if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file() and p.stat().st_size <= MAX_IMAGE_BYTES
    }
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
        media=media,
    )
    return source.module


def load_track(
    track_dir: Path, problems: ProblemList, sources: list[ModuleSource] | None = None
) -> Track | None:
    track_file = track_dir / TRACK_FILE
    raw = _parse_yaml_file(track_file, problems)
    spec, errors = validate(TrackSpec, raw) if raw is not None else (None, [])
    _report(track_file, problems, errors)
    folders = {p.name: p for p in track_dir.iterdir() if p.is_dir() and not p.name.startswith(".")}
    modules: dict[str, Module] = {}
    # Only listed modules are part of the track: an unlisted folder is a draft in progress
    # (checked on its own with `content check FOLDER`), so it cannot block an install.
    wanted = set(spec.modules) if spec is not None else set(folders)
    for name, folder in sorted(folders.items()):
        if name not in wanted:
            continue
        module = load_module(folder, problems, sources)
        if module is not None:
            if module.id != name:
                problems.error(
                    folder / MODULE_FILE,
                    rules.id_line(folder / MODULE_FILE),
                    f"the module id '{module.id}' must match its folder name '{name}'",
                )
            modules[name] = module
    if spec is None:
        return None
    rules.check_id(spec.id, "track", track_file, raw.line_of("id"), problems)
    listed: LineList = raw["modules"]
    for index, name in enumerate(spec.modules):
        if name not in folders:
            problems.error(
                track_file,
                listed.line_of(index),
                f"lists module '{name}' but there is no folder {track_dir.name}/{name}/",
            )
    for name in folders:
        if name not in spec.modules:
            problems.warning(
                track_file,
                listed.line,
                f"module folder '{name}/' is not listed in modules, so learners will not see it "
                "(a draft is fine; check it on its own with: microlearn content check FOLDER)",
            )
    if any(name not in modules for name in spec.modules):
        return None
    return Track(
        id=spec.id,
        title=spec.title,
        audience=spec.audience,
        description=spec.description,
        mandatory=spec.mandatory,
        modules=tuple(modules[name] for name in spec.modules),
    )


def _is_module_folder(folder: Path) -> bool:
    """A module folder, even one whose module.yaml is missing or being saved just now."""
    if (folder / MODULE_FILE).is_file():
        return True
    if (folder / TRACK_FILE).is_file() or any((p / TRACK_FILE).is_file() for p in folder.iterdir()):
        return False
    return (folder / QUESTIONS_FILE).is_file() or any(folder.glob("*.md"))


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
    if _is_module_folder(root):
        module = load_module(root, problems, sources)
        tracks = (
            [] if module is None else [Track(STANDALONE_TRACK_ID, "Preview", "Authors", "", False, (module,))]
        )
    else:
        track_dirs = (
            [root]
            if (root / TRACK_FILE).is_file()
            else sorted(p for p in root.iterdir() if p.is_dir() and (p / TRACK_FILE).is_file())
        )
        if not track_dirs:
            problems.error(root, 1, f"holds no tracks: expected folders with a {TRACK_FILE}")
        loaded = [(t, d) for d in track_dirs if (t := load_track(d, problems, sources)) is not None]
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
