"""``microlearn content preview``: the learner's real player on a module straight from its folder.

The window is driven offscreen the way an author uses it: open a module, move through it,
save files in another program, break one and fix it again. The learner's own data must
never be touched.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from pytestqt.qtbot import QtBot

from microlearn.domain.attempt import Phase
from microlearn.services.content_install import install
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import open_store
from microlearn.ui.markdown_view import MarkdownView, render_picture
from microlearn.ui.player_page import PlayerPage
from microlearn.ui.preview_window import PreviewWindow
from tests.support.content_samples import FIRST, SAMPLE, line_of
from tests.support.processes import child_env, run_microlearn

pytestmark = pytest.mark.gui
RELOAD_TIMEOUT_MS = 5000


@pytest.fixture
def module_dir(tmp_path: Path) -> Path:
    target = tmp_path / "authoring" / "first-module"
    shutil.copytree(SAMPLE / FIRST, target)
    return target


def open_preview(qtbot: QtBot, folder: Path) -> PreviewWindow:
    window = PreviewWindow(folder)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.loaded, timeout=RELOAD_TIMEOUT_MS) as first_load:
        window.reload()
    assert first_load.args == [True], [window.problems.problem_list.item(i).text() for i in range(3)]
    return window


@pytest.fixture
def window(qtbot: QtBot, module_dir: Path) -> Iterator[PreviewWindow]:
    window = open_preview(qtbot, module_dir)
    yield window
    window.close()


def player(window: PreviewWindow) -> PlayerPage:
    assert window.player is not None, "the player is not shown"
    assert window.stack.currentWidget() is window.player
    return window.player


def card_text(window: PreviewWindow) -> str:
    if window.player is None:
        return ""
    return "\n".join(view.toPlainText() for view in window.player.findChildren(MarkdownView))


def problems_shown(window: PreviewWindow) -> list[str]:
    if window.stack.currentWidget() is not window.problems:
        return []
    shown = window.problems.problem_list
    return [shown.item(row).text() for row in range(shown.count())]


def save_like_an_editor(path: Path, text: str) -> None:
    """Write a new file and move it over the old one, as many editors do (the watch is lost)."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def edit(path: Path, old: str, new: str, replace_file: bool = True) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    if replace_file:
        save_like_an_editor(path, text.replace(old, new))
    else:
        path.write_text(text.replace(old, new), encoding="utf-8")


def answer_with_option_1(qtbot: QtBot, window: PreviewWindow) -> None:
    """Press the first option's number, then Enter, as a keyboard user does."""
    question = player(window).question
    assert question is not None
    question.focus_first_option()
    qtbot.keyClicks(question, "1")
    qtbot.keyClick(question, Qt.Key.Key_Return)
    if question.asking_certainty:  # "How sure are you?", as the learner sees it
        qtbot.keyClicks(question, "3")
    assert question.verdict.text() != "", "the answer was not taken"


def next_card(qtbot: QtBot, window: PreviewWindow) -> None:
    current = player(window).view.card_index
    qtbot.mouseClick(player(window).next_button, Qt.MouseButton.LeftButton)
    assert player(window).view.card_index == current + 1


# -- opening and reloading --------------------------------------------------------------------------


def test_the_module_opens_in_the_learners_player(window: PreviewWindow) -> None:
    page = player(window)
    assert page.position_label.text().startswith("Card 1 of 3")
    assert "This is the first card of the sample module." in card_text(window)
    assert page.question is not None and page.question.prompt.text() == "What is this card for?"
    assert window.warnings_panel.isHidden()
    assert "first-module" in window.banner_text.text()


def test_saving_a_card_shows_the_new_text_on_the_same_card(
    qtbot: QtBot, window: PreviewWindow, module_dir: Path
) -> None:
    next_card(qtbot, window)
    card = module_dir / "02-picture.md"

    edit(card, "This card shows a small picture.", "This card was edited while it was open.")
    qtbot.waitUntil(lambda: "edited while it was open" in card_text(window), timeout=RELOAD_TIMEOUT_MS)

    assert player(window).view.card_index == 1
    assert player(window).position_label.text().startswith("Card 2 of 3")
    # The editor replaced the file, which drops a file watch: the preview watches it again.
    assert str(card) in window.watcher.files()
    edit(card, "edited while it was open", "edited a second time", replace_file=False)
    qtbot.waitUntil(lambda: "edited a second time" in card_text(window), timeout=RELOAD_TIMEOUT_MS)
    assert player(window).view.card_index == 1


def test_a_new_card_before_the_current_one_keeps_the_author_on_their_card(
    qtbot: QtBot, window: PreviewWindow, module_dir: Path
) -> None:
    next_card(qtbot, window)
    (module_dir / "01b-extra.md").write_text(
        "---\ntitle: Extra\n---\nA card added later.\n", encoding="utf-8"
    )

    qtbot.waitUntil(
        lambda: window.player is not None and len(window.player.view.module.cards) == 4,
        timeout=RELOAD_TIMEOUT_MS,
    )

    view = player(window).view
    assert view.module.cards[view.card_index].title == "A picture"
    assert player(window).position_label.text().startswith("Card 3 of 4")


def test_broken_yaml_shows_file_and_line_and_the_player_returns_when_fixed(
    qtbot: QtBot, window: PreviewWindow, module_dir: Path
) -> None:
    next_card(qtbot, window)
    pool = module_dir / "questions.yaml"
    good = pool.read_text(encoding="utf-8")

    edit(pool, "prompt: The square in the picture is green.", "prompt: The square: it is green.")
    qtbot.waitUntil(lambda: bool(problems_shown(window)), timeout=RELOAD_TIMEOUT_MS)

    line = line_of(pool, "The square: it is green.")
    assert problems_shown(window) == [f"questions.yaml:{line}: error: is not valid YAML: {_yaml_reason()}"]
    # A plural form ("1 error"), no "(s)".
    assert window.problems.title.text() == "This module cannot be shown yet: 1 error"
    assert window.player is None

    save_like_an_editor(pool, good)
    qtbot.waitUntil(lambda: window.player is not None, timeout=RELOAD_TIMEOUT_MS)
    assert player(window).view.card_index == 1, "the author is back on the card they were reading"


def test_a_module_yaml_missing_while_saving_is_named_then_the_player_returns(
    qtbot: QtBot, window: PreviewWindow, module_dir: Path
) -> None:
    module_file = module_dir / "module.yaml"
    kept = module_file.read_text(encoding="utf-8")
    module_file.unlink()
    qtbot.waitUntil(lambda: bool(problems_shown(window)), timeout=RELOAD_TIMEOUT_MS)
    assert "module.yaml:1: error: missing: every module folder needs a module.yaml" in problems_shown(window)

    module_file.write_text(kept, encoding="utf-8")
    qtbot.waitUntil(lambda: window.player is not None, timeout=RELOAD_TIMEOUT_MS)


def _yaml_reason() -> str:
    from microlearn.content.yaml_lines import YamlError, load_yaml

    try:
        load_yaml("a:\n  prompt: The square: it is green.\n")
    except YamlError as exc:
        return str(exc).removeprefix("is not valid YAML: ")
    raise AssertionError("the text should not parse")


def test_in_the_knowledge_check_a_reload_returns_to_the_same_question(
    qtbot: QtBot, window: PreviewWindow, module_dir: Path
) -> None:
    for _ in range(3):  # two cards on, then "Start the knowledge check"
        qtbot.mouseClick(player(window).next_button, Qt.MouseButton.LeftButton)
    assert player(window).view.phase is Phase.CHECK
    answer_with_option_1(qtbot, window)
    qtbot.mouseClick(player(window).next_button, Qt.MouseButton.LeftButton)
    asked = player(window).view.drawn[1].question_id
    old_player = window.player

    edit(module_dir / "01-welcome.md", "Inline checks are practice", "Inline checks are only practice")
    qtbot.waitUntil(lambda: window.player not in (None, old_player), timeout=RELOAD_TIMEOUT_MS)

    view = player(window).view
    assert (view.phase, view.check_index) == (Phase.CHECK, 1)
    assert view.drawn[1].question_id == asked
    assert player(window).position_label.text().startswith("Question 2 of 3")


def test_start_over_goes_back_to_the_first_card(qtbot: QtBot, window: PreviewWindow) -> None:
    next_card(qtbot, window)
    next_card(qtbot, window)
    qtbot.mouseClick(window.restart_button, Qt.MouseButton.LeftButton)
    assert player(window).view.card_index == 0
    assert player(window).position_label.text().startswith("Card 1 of 3")


def test_content_warnings_are_listed_under_the_player(qtbot: QtBot, module_dir: Path) -> None:
    shutil.copy(module_dir / "pic.png", module_dir / "unused.png")
    window = open_preview(qtbot, module_dir)
    assert window.warnings_panel.isVisible()
    assert window.warnings.count() == 1
    assert (
        window.warnings.item(0)
        .text()
        .startswith("unused.png:1: warning: image file 'unused.png' is not used")
    )
    window.close()


# -- the learner's data is never touched --------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    return {
        path.relative_to(folder).as_posix(): (
            path.stat().st_mtime_ns,
            hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_preview_never_touches_the_learners_store(qtbot: QtBot, module_dir: Path, data_dir: Path) -> None:
    learner = open_store(resolve_paths())  # MICROLEARN_DATA_DIR, as the app would open it
    assert install(learner, SAMPLE).installed
    learner.close()
    before = snapshot(data_dir)
    assert "microlearn.sqlite3" in before

    window = open_preview(qtbot, module_dir)
    preview_root = window.store.root
    assert data_dir not in preview_root.parents
    page = player(window)
    answer_with_option_1(qtbot, window)  # a practice answer is written to the preview's store
    edit(module_dir / "03-wrap-up.md", "This is the last card.", "This is the final card.")
    qtbot.waitUntil(lambda: window.player not in (None, page), timeout=RELOAD_TIMEOUT_MS)
    window.close()

    assert snapshot(data_dir) == before
    assert not preview_root.exists(), "the preview's throwaway store is removed when it closes"


def run_preview_command(folder: Path, learner: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = child_env(QT_QPA_PLATFORM="offscreen", MICROLEARN_DATA_DIR=str(learner), TMPDIR=str(tmp))
    return run_microlearn("content", "preview", str(folder), "--quit-after-load", env=env)


def test_the_preview_command_creates_no_learner_data(module_dir: Path, tmp_path: Path) -> None:
    learner, tmp = tmp_path / "learner-data", tmp_path / "tmp"
    tmp.mkdir()

    completed = run_preview_command(module_dir, learner, tmp)

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "preview: showing 'first-module', card 1 of 3"
    assert not learner.exists()
    assert list(tmp.iterdir()) == [], "the throwaway store is cleaned up"


def test_the_preview_command_on_broken_content_shows_problems_not_a_crash(
    module_dir: Path, tmp_path: Path
) -> None:
    (module_dir / "questions.yaml").write_text("questions: [\n", encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    completed = run_preview_command(module_dir, tmp_path / "learner-data", tmp)
    assert completed.returncode == 1
    assert "preview: 1 problem(s) shown" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_the_preview_command_wants_a_module_folder(tmp_path: Path) -> None:
    completed = run_preview_command(SAMPLE, tmp_path / "learner-data", tmp_path)
    assert completed.returncode == 2
    assert "holds a track, not a module" in completed.stderr


# -- pictures on cards ------------------------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">'
    b'<rect x="10" y="10" width="280" height="80" fill="navy"/></svg>'
)


@pytest.mark.parametrize(
    ("name", "data", "max_width", "ratio", "device_size", "shown_size"),
    [
        ("photo.png", png(400, 200), 1000, 1.0, QSize(400, 200), (400, 200)),
        ("photo.png", png(400, 200), 1000, 2.0, QSize(800, 400), (400, 200)),
        ("photo.png", png(400, 200), 1000, 1.5, QSize(600, 300), (400, 200)),
        ("chart@2x.png", png(400, 200), 1000, 2.0, QSize(400, 200), (200, 100)),
        ("chart@2x.png", png(400, 200), 1000, 1.0, QSize(200, 100), (200, 100)),
        ("wide.png", png(2000, 500), 800, 2.0, QSize(1600, 400), (800, 200)),
        ("bar.svg", SVG, 1000, 1.5, QSize(450, 150), (300, 100)),
        ("bar.svg", SVG, 150, 2.0, QSize(300, 100), (150, 50)),
    ],
)
def test_pictures_are_drawn_for_the_screens_scale(
    name: str, data: bytes, max_width: int, ratio: float, device_size: QSize, shown_size: tuple[int, int]
) -> None:
    picture = render_picture(name, data, max_width, ratio)
    assert picture is not None
    assert picture.size() == device_size, "one device pixel per image pixel: nothing is stretched on screen"
    assert picture.devicePixelRatio() == ratio
    shown = picture.deviceIndependentSize()
    assert (round(shown.width()), round(shown.height())) == shown_size


def test_a_card_picture_is_shown_and_described_for_screen_readers(qtbot: QtBot) -> None:
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    media = {"pic.png": (SAMPLE / FIRST / "pic.png").read_bytes(), "bar.svg": SVG}
    view.show_markdown("Text.\n\n![A small blue square](pic.png)\n\n![A navy bar](bar.svg)\n", media)
    for name, size in (("pic.png", (8, 8)), ("bar.svg", (300, 100))):
        picture = view.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert isinstance(picture, QImage) and not picture.isNull(), f"{name} is not shown"
        shown = picture.deviceIndependentSize()
        assert (round(shown.width()), round(shown.height())) == size
    assert view.accessibleDescription() == "Pictures: A small blue square; A navy bar"
    assert view.height() > 100 + 8, "the view grows to show the pictures"


def test_the_sample_picture_card_in_the_preview_names_its_picture(
    qtbot: QtBot, window: PreviewWindow
) -> None:
    next_card(qtbot, window)
    (text,) = player(window).findChildren(MarkdownView)
    assert text.accessibleDescription() == "Picture: A small blue square used as a test picture"
    picture = text.document().resource(QTextDocument.ResourceType.ImageResource, QUrl("pic.png"))
    assert isinstance(picture, QImage) and not picture.isNull()
