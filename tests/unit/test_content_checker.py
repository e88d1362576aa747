"""The content checker: every problem reported with its file, its line and a plain sentence.

Each test copies the valid sample tree, breaks one thing, and checks what an author
would be told. Expected lines are found by looking for the broken text in the file, so
the assertion is exact without hard-coding the sample's layout.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from microlearn.content.loader import load_catalog
from microlearn.content.problems import Problem
from microlearn.content.source_files import MAX_TEXT_BYTES
from microlearn.domain.courseware import QuestionKind
from tests.support.content_samples import FIRST, SAMPLE, SECOND, TRACK, line_of, replace
from tests.support.locations import REPO
from tests.support.processes import run_microlearn


def only_error(content: Path) -> Problem:
    result = load_catalog(content)
    assert result.catalog is None
    errors = result.problems.errors
    assert len(errors) == 1, "expected exactly one error, got:\n" + "\n".join(p.render() for p in errors)
    return errors[0]


# -- the sample itself ----------------------------------------------------------------------


def test_sample_content_is_valid_and_has_what_the_other_tests_rely_on() -> None:
    result = load_catalog(SAMPLE)
    assert list(result.problems) == []
    assert result.catalog is not None
    (track,) = result.catalog.tracks
    assert track.id == TRACK
    assert [m.id for m in track.modules] == ["first-module", "second-module"]
    for module in track.modules:
        assert len(module.cards) == 3
        assert len(module.questions) == 5
        assert {q.kind for q in module.questions} == set(QuestionKind)
        assert (module.draw, module.pass_mark) == (3, 80)
    first = track.modules[0]
    assert sum(1 for c in first.cards if c.check is not None) == 1
    assert "![" in first.cards[1].body and "(pic.png)" in first.cards[1].body
    assert set(first.media) == {"pic.png"}


def test_sample_picture_is_a_well_formed_png() -> None:
    data = (SAMPLE / FIRST / "pic.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, kinds, idat = 8, [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        kinds.append(kind)
        idat += body if kind == b"IDAT" else b""
        offset += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert len(zlib.decompress(idat)) == height * (1 + width * 3) and (depth, colour) == (8, 2)


# -- one broken thing at a time ---------------------------------------------------------------

Breaker = Callable[[Path], tuple[str, int, str]]  # breaks the tree; returns (file, line, phrase)


def _missing_module_field(root: Path) -> tuple[str, int, str]:
    replace(root / FIRST / "module.yaml", 'title: "First module: the basics"\n', "")
    return f"{FIRST}/module.yaml", 1, "missing required field 'title'"


def _missing_question_field(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    replace(path, "    explanation: The module has the cards Welcome, A picture and Wrapping up.\n", "")
    return (
        f"{FIRST}/questions.yaml",
        line_of(path, "- id: pick-several"),
        "missing required field 'explanation'",
    )


def _unknown_module_field(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "module.yaml"
    replace(path, "minutes: 5\n", "minutes: 5\nsumary: A misspelt field.\n")
    return (
        f"{FIRST}/module.yaml",
        line_of(path, "sumary:"),
        "unknown field 'sumary' — did you mean 'summary'?",
    )


def _unknown_option_field(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    replace(
        path,
        "        correct: true\n        feedback: Yes, it is blue.",
        "        corect: true\n        feedback: Yes, it is blue.",
    )
    return (
        f"{FIRST}/questions.yaml",
        line_of(path, "corect:"),
        "unknown field 'corect' — did you mean 'correct'?",
    )


def _unknown_kind(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    replace(path, "kind: multiple", "kind: multi")
    return f"{FIRST}/questions.yaml", line_of(path, "kind: multi"), "unknown question kind 'multi'"


def _no_correct_option(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    replace(path, "      - text: Blue\n        correct: true\n", "      - text: Blue\n")
    return (
        f"{FIRST}/questions.yaml",
        line_of(path, "- id: pick-one"),
        "question 'pick-one' has no correct option",
    )


def _two_correct_for_single(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    replace(path, "      - text: Green\n", "      - text: Green\n        correct: true\n")
    return f"{FIRST}/questions.yaml", line_of(path, "- id: pick-one"), "has more than one correct option"


def _duplicate_question_id(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    first = line_of(path, "- id: pick-one")
    replace(path, "- id: how-many-cards", "- id: pick-one")
    return (
        f"{FIRST}/questions.yaml",
        line_of(path, "- id: pick-one", occurrence=2),
        f"duplicate question id 'pick-one' (first used on line {first})",
    )


def _pass_mark(value: int) -> Breaker:
    def breaker(root: Path) -> tuple[str, int, str]:
        path = root / FIRST / "module.yaml"
        replace(path, "pass_mark: 80", f"pass_mark: {value}")
        return (
            f"{FIRST}/module.yaml",
            line_of(path, "pass_mark:"),
            f"pass_mark must be a percentage from 1 to 100, not {value}",
        )

    return breaker


def _broken_image(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "02-picture.md"
    replace(path, "(pic.png)", "(pics.png)")
    return f"{FIRST}/02-picture.md", line_of(path, "(pics.png)"), "image not found: 'pics.png'"


def _too_many_minutes(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "module.yaml"
    replace(path, "minutes: 5", "minutes: 16")
    return f"{FIRST}/module.yaml", line_of(path, "minutes:"), "minutes must be from 1 to 15, not 16"


def _review_by_before_reviewed(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "module.yaml"
    replace(path, "review_by: 2027-02-01", "review_by: 2026-10-01")
    return f"{FIRST}/module.yaml", line_of(path, "review_by:"), "review_by must be after reviewed"


def _bad_yaml_in_questions(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    replace(path, "prompt: The square in the picture is green.", "prompt: The square: it is green.")
    return f"{FIRST}/questions.yaml", line_of(path, "The square: it is green."), "is not valid YAML"


def _bad_yaml_in_card_header(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "01-welcome.md"
    replace(path, "prompt: What is this card for?", "prompt: Note: what is this card for?")
    return f"{FIRST}/01-welcome.md", line_of(path, "Note: what is"), "is not valid YAML"


def _not_utf8(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "03-wrap-up.md"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-8") + "A caf\u00e9 saved as Latin-1.\n".encode("latin-1"))
    return f"{FIRST}/03-wrap-up.md", text.count("\n") + 1, "is not valid UTF-8"


def _huge_file(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    with path.open("a", encoding="utf-8") as stream:
        stream.write("# " + "x" * MAX_TEXT_BYTES + "\n")
    return f"{FIRST}/questions.yaml", 1, "is larger than 512 KB"


def _track_lists_missing_folder(root: Path) -> tuple[str, int, str]:
    path = root / TRACK / "track.yaml"
    replace(path, "  - second-module\n", "  - second-module\n  - ghost-module\n")
    return (
        f"{TRACK}/track.yaml",
        line_of(path, "- ghost-module"),
        "lists module 'ghost-module' but there is no folder",
    )


def _unlisted_module_folder(root: Path) -> tuple[str, int, str]:
    path = root / TRACK / "track.yaml"
    replace(path, "  - second-module\n", "")
    # The problem is about the list as a whole: it points at where the list starts.
    return (
        f"{TRACK}/track.yaml",
        line_of(path, "- first-module"),
        "module folder 'second-module/' is not listed",
    )


def _true_false_with_options(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    replace(
        path,
        "    answer: false\n",
        "    answer: false\n    options:\n      - text: Right\n      - text: Wrong\n",
    )
    return (
        f"{FIRST}/questions.yaml",
        line_of(path, "- id: sky-is-green"),
        "question 'sky-is-green' is true_false: write 'answer: true' or 'answer: false' instead of options",
    )


def _scenario_without_text(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "questions.yaml"
    replace(
        path,
        "    scenario: |\n      A colleague asks you what the sample module is for. They are busy\n"
        "      and want a one-line answer.\n",
        "",
    )
    return (
        f"{FIRST}/questions.yaml",
        line_of(path, "- id: colleague-asks"),
        "is a scenario but has no 'scenario' text",
    )


def _draw_more_than_pool(root: Path) -> tuple[str, int, str]:
    path = root / FIRST / "module.yaml"
    replace(path, "draw: 3", "draw: 6")
    return (
        f"{FIRST}/module.yaml",
        line_of(path, "draw:"),
        "draw must be from 1 to the number of questions in the pool (5), not 6",
    )


BREAKERS: dict[str, Breaker] = {
    "missing field in module.yaml": _missing_module_field,
    "missing field in a question": _missing_question_field,
    "unknown field in module.yaml": _unknown_module_field,
    "unknown field in an option": _unknown_option_field,
    "unknown question kind": _unknown_kind,
    "no correct option": _no_correct_option,
    "two correct options for single": _two_correct_for_single,
    "duplicate question id": _duplicate_question_id,
    "pass mark 0": _pass_mark(0),
    "pass mark 101": _pass_mark(101),
    "broken image path": _broken_image,
    "minutes over 15": _too_many_minutes,
    "review_by before reviewed": _review_by_before_reviewed,
    "bad YAML in questions.yaml": _bad_yaml_in_questions,
    "bad YAML in a card header": _bad_yaml_in_card_header,
    "file not UTF-8": _not_utf8,
    "file over 512 KB": _huge_file,
    "track lists a missing folder": _track_lists_missing_folder,
    "true_false with options": _true_false_with_options,
    "scenario without scenario text": _scenario_without_text,
    "draw larger than the pool": _draw_more_than_pool,
}


def test_an_unlisted_module_folder_is_a_draft_that_cannot_block_the_track(content: Path) -> None:
    file, line, phrase = _unlisted_module_folder(content)
    (content / TRACK / "second-module" / "questions.yaml").write_text("questions: [oops", encoding="utf-8")
    result = load_catalog(content)
    assert result.catalog is not None, [p.render() for p in result.problems]
    assert [m.id for t in result.catalog.tracks for m in t.modules] == ["first-module"]
    (warning,) = result.problems.warnings
    assert warning.path == content / file and warning.line == line and phrase in warning.message
    assert not result.problems.errors


@pytest.mark.parametrize("breaker", BREAKERS.values(), ids=BREAKERS.keys())
def test_one_broken_thing_is_reported_at_its_file_and_line(content: Path, breaker: Breaker) -> None:
    file, line, phrase = breaker(content)
    problem = only_error(content)
    assert problem.path == content / file
    assert problem.line == line
    assert phrase in problem.message


def test_duplicate_module_id_across_tracks_is_refused(content: Path) -> None:
    other = content / "other-track"
    other.mkdir()
    (other / "track.yaml").write_text(
        "id: other-track\ntitle: Other track\naudience: Everyone\nmodules:\n  - first-module\n",
        encoding="utf-8",
    )
    shutil.copytree(content / FIRST, other / "first-module")
    problem = only_error(content)
    assert "duplicate module id 'first-module'" in problem.message
    assert "'other-track'" in problem.message and "'sample-track'" in problem.message


def test_duplicate_module_id_points_at_a_module_file(content: Path) -> None:
    other = content / "other-track"
    other.mkdir()
    (other / "track.yaml").write_text(
        "id: other-track\ntitle: Other track\naudience: Everyone\nmodules:\n  - first-module\n",
        encoding="utf-8",
    )
    shutil.copytree(content / FIRST, other / "first-module")
    problem = only_error(content)
    # Tracks load in folder order, so sample-track's copy is the second one seen.
    assert problem.path == content / FIRST / "module.yaml"
    assert problem.line == line_of(content / FIRST / "module.yaml", "id:")


def test_duplicate_track_id_points_at_the_second_track_file(content: Path) -> None:
    copy = content / "a-copy-of-the-track"  # sorts first, so sample-track is the duplicate
    shutil.copytree(content / TRACK, copy)
    for name in ("first-module", "second-module"):
        (copy / name).rename(copy / f"{name}-copy")
        replace(copy / f"{name}-copy" / "module.yaml", f"id: {name}\n", f"id: {name}-copy\n")
    replace(
        copy / "track.yaml",
        "  - first-module\n  - second-module\n",
        "  - first-module-copy\n  - second-module-copy\n",
    )

    problem = only_error(content)

    assert problem.path == content / TRACK / "track.yaml"
    assert problem.line == line_of(content / TRACK / "track.yaml", "id: sample-track")
    assert "duplicate track id 'sample-track'" in problem.message


def test_broken_image_after_a_blank_line_is_reported_on_its_own_line(content: Path) -> None:
    path = content / FIRST / "02-picture.md"
    replace(path, "---\nThis card", "---\n\nThis card")
    replace(path, "(pic.png)", "(pics.png)")
    problem = only_error(content)
    assert problem.path == path
    assert problem.line == line_of(path, "(pics.png)")


def test_unclosed_quote_is_reported_where_the_quote_opens(content: Path) -> None:
    path = content / FIRST / "01-welcome.md"
    replace(path, "title: Welcome", 'title: "Welcome')
    problem = only_error(content)
    assert "is not valid YAML" in problem.message
    assert problem.line == line_of(path, 'title: "Welcome')


def test_every_problem_is_reported_not_only_the_first(content: Path) -> None:
    expected = {
        _track_lists_missing_folder(content),
        _too_many_minutes(content),
        _broken_image(content),
        _no_correct_option(content),
    }
    card = content / SECOND / "01-start.md"
    replace(card, "title: Start", "title: Start: here")
    expected.add((f"{SECOND}/01-start.md", line_of(card, "title: Start: here"), "is not valid YAML"))
    assert len({file for file, _, _ in expected}) == 5

    result = load_catalog(content)

    assert result.catalog is None
    reported = [(p.path.relative_to(content).as_posix(), p.line, p.message) for p in result.problems.errors]
    for file, line, phrase in expected:
        assert any(
            (file, line) == (got_file, got_line) and phrase in message
            for got_file, got_line, message in reported
        ), f"{file}:{line}: {phrase!r} not reported; got {reported}"
    assert len(reported) == 5, reported


def test_an_image_without_a_description_is_a_warning_only(content: Path) -> None:
    path = content / FIRST / "02-picture.md"
    replace(path, "![A small blue square used as a test picture](pic.png)", "![](pic.png)")
    result = load_catalog(content)
    assert result.catalog is not None
    assert result.problems.errors == []
    (warning,) = result.problems.warnings
    assert (warning.path, warning.line) == (path, line_of(path, "![](pic.png)"))
    assert "has no description" in warning.message


# -- the command authors and CI run -----------------------------------------------------------


def run_check(path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_microlearn("content", "check", str(path), cwd=cwd)


def test_cli_exits_1_and_prints_file_and_line_for_broken_content(content: Path, tmp_path: Path) -> None:
    file, line, _ = _too_many_minutes(content)
    _, card_line, _ = _broken_image(content)

    completed = run_check(content, cwd=tmp_path)

    assert completed.returncode == 1, completed.stderr
    assert f"content/{file}:{line}: error: minutes must be" in completed.stderr
    assert f"content/{FIRST}/02-picture.md:{card_line}: error: image not found" in completed.stderr
    assert "2 error(s)" in completed.stderr
    assert "OK:" not in completed.stdout


def test_cli_exits_0_for_the_sample_content(tmp_path: Path) -> None:
    completed = run_check(SAMPLE, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert "OK: 1 track(s), 2 module(s)" in completed.stdout
    assert completed.stderr == ""


def test_cli_exits_0_for_the_repository_content(tmp_path: Path) -> None:
    completed = run_check(REPO / "content", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    # Warnings (lines marked "warning:") may come first; the summary is the last line.
    assert completed.stdout.splitlines()[-1].startswith("OK:")
    assert "error" not in completed.stderr
