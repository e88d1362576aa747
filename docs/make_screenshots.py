"""Screenshots of every screen at 1366×768, for the README and for looking at what learners see.

Run under a real X server (Xvfb) to see the real platform plugin:
    xvfb-run -s "-screen 0 1366x768x24" python docs/make_screenshots.py docs/screenshots
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from microlearn.paths import resolve_paths
from microlearn.services.startup import start_services
from microlearn.ui.main_window import MainWindow
from microlearn.ui.theme import apply_theme


def main(out: Path, scheme: str = "light") -> None:
    out.mkdir(parents=True, exist_ok=True)
    os.environ["MICROLEARN_DATA_DIR"] = tempfile.mkdtemp(prefix="microlearn-shots-")
    os.environ["MICROLEARN_POLICY"] = ""
    app = QApplication(sys.argv)
    apply_theme(app, scheme, 0, app.font())
    services = start_services(resolve_paths())
    services.learning._rng = random.Random(7)  # the same draw every time
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    window.services_ready(services)
    suffix = "" if scheme == "light" else f"-{scheme}"

    def shot(name: str) -> None:
        app.processEvents()
        window.grab().save(str(out / f"{name}{suffix}.png"))

    # A learner who has finished one module and is part-way through the other.
    learning = services.learning
    view = learning.open_attempt("reading-model-outputs")
    for index in range(len(view.module.cards)):
        view = learning.show_card(view.attempt_id, index, 60.0 * index)
    view = learning.start_check(view.attempt_id, 500)
    for drawn in view.drawn:
        question = view.module.question(drawn.question_id)
        learning.answer_question(view.attempt_id, question.id, question.correct_ids, 600)
    learning.finish_check(view.attempt_id, 700)
    learning.leave(view.attempt_id, 700)
    window.refresh()
    shot("01-today-first")
    window.navigation.setCurrentRow(1)
    shot("02-library")
    window.open_module("data-privacy-and-security")
    player = window.player
    assert player is not None
    shot("03-card")
    player.go_next()
    player.go_next()
    player.go_next()
    if player.question is not None:
        first = next(iter(player.question.option_buttons.values()))
        first.setChecked(True)
        player.question.submit.click()
    shot("04-inline-check-feedback")
    while player.view.phase.value == "lessons":
        player.go_next()
    shot("05-knowledge-check")
    question = player.question
    assert question is not None
    wrong = [o for o in question.option_buttons if o not in question.question.correct_ids]
    question.option_buttons[wrong[0]].setChecked(True)
    question.submit.click()
    shot("06-answer-feedback")
    while window.player is not None:
        q = player.question
        if q is not None and not q.answered:
            wrong = [o for o in q.option_buttons if o not in q.question.correct_ids]
            q.option_buttons[(wrong or list(q.option_buttons))[0]].setChecked(True)
            q.submit.click()
        player.go_next()
    shot("07-results")
    window._go_section(0)
    shot("08-today")
    window.navigation.setCurrentRow(2)
    shot("09-settings")
    window.navigation.setCurrentRow(3)
    shot("10-about")
    QTimer.singleShot(0, app.quit)
    app.exec()
    services.close()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    main(target, sys.argv[2] if len(sys.argv) > 2 else "light")
