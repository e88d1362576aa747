"""Screenshots of every screen at 1366×768, for the README and for looking at what learners see.

Run under a real X server (Xvfb) to see the real platform plugin, once per look:
    xvfb-run -s "-screen 0 1366x768x24" python docs/make_screenshots.py docs/screenshots
    xvfb-run -s "-screen 0 1366x768x24" python docs/make_screenshots.py docs/screenshots --scheme dark
    xvfb-run -s "-screen 0 1366x768x24" python docs/make_screenshots.py docs/screenshots --scheme high-contrast
    xvfb-run -s "-screen 0 1366x768x24" python docs/make_screenshots.py docs/screenshots --text-size 24
    xvfb-run -s "-screen 0 1366x768x24" python docs/make_screenshots.py docs/screenshots --language es
    xvfb-run -s "-screen 0 1366x768x24" python docs/make_screenshots.py docs/screenshots --language pseudo
(``pseudo``: the accented, 40% longer pseudo-translation, built on the spot, to see what a
longer language would cut off.)
A window manager (e.g. openbox, started in the background first) gives the window real focus,
so focus rings show as a learner sees them. Each file is named after the screen, then the
scheme and text size when they are not the defaults: ``06-answer-feedback-dark.png``.

The central record is an address that never resolves, so the app's own sync really runs and
really finds itself offline; the "refused" screens then mark records the way the sync
engine does (a 422 for one of them) so Today and the details view show that state.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from microlearn.records.statements import LIKERT_SCALE
from microlearn.records.sync_engine import Outcome, SyncReport, record_sync_meta
from microlearn.services.reviews import ReviewService
from microlearn.services.startup import start_services
from microlearn.services.surveys import SurveyPhase, SurveyPrompt
from microlearn.services.sync import SyncService
from microlearn.settings.paths import resolve_paths
from microlearn.store.plain_sql import db_timestamp
from microlearn.ui.language import FILE_ENV, install_language
from microlearn.ui.main_window import MainWindow
from microlearn.ui.pseudo_locale import build_pseudo_qm
from microlearn.ui.survey_page import SurveyPage
from microlearn.ui.sync_controller import SyncController
from microlearn.ui.theme import apply_theme


def wait_for(app: QApplication, condition: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not settle")
        app.processEvents()
        time.sleep(0.01)


def mark_as_synced_with_one_refused(database: Path) -> SyncReport:
    """What a sync that reached the central record and had one statement refused leaves behind."""
    with closing(sqlite3.connect(database)) as db, db:
        now = db_timestamp(datetime.now(UTC))
        db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, tries = tries + 1, last_error = NULL", (now,)
        )
        db.execute(
            "UPDATE outbox SET status = 'rejected', sent_at = NULL, last_error = ? "
            "WHERE id = (SELECT id FROM outbox WHERE verb = 'answered' ORDER BY id LIMIT 1 OFFSET 2)",
            ("HTTP 422: result.response: Input should be a valid string",),
        )
        (sent,) = db.execute("SELECT count(*) FROM outbox WHERE status = 'sent'").fetchone()
    return SyncReport(Outcome.SOME_REFUSED, sent=sent, rejected=1, refused_total=1)


def main(out: Path, scheme: str = "light", text_size: int = 0, language: str = "en") -> None:
    out.mkdir(parents=True, exist_ok=True)
    os.environ["MICROLEARN_DATA_DIR"] = tempfile.mkdtemp(prefix="microlearn-shots-")
    os.environ["MICROLEARN_POLICY"] = ""
    app = QApplication(sys.argv[:1])
    if language == "pseudo":
        qm = build_pseudo_qm(Path(tempfile.mkdtemp(prefix="microlearn-pseudo-")) / "microlearn_pseudo.qm")
        os.environ[FILE_ENV] = str(qm)
    install_language(app, "en" if language == "pseudo" else language)
    apply_theme(app, scheme, text_size, app.font())
    endpoint = "https://lrs.example.invalid/xAPI/"  # never resolves (RFC 2606): offline
    # The look is also passed as settings, so the Settings screen shows the one in use.
    look = {"display.theme": scheme, "display.font_size": text_size}
    services = start_services(resolve_paths(), overrides={"lrs.endpoint": endpoint, **look})
    # Back-off waits skipped, so the offline sync ends before the next screenshot.
    services.__dict__["sync"] = SyncService(services.store, services.config, sleep=lambda _s: None)
    services.learning._rng = random.Random(7)  # the same draw every time
    window = MainWindow()
    sync = SyncController(window, first_sync_delay_ms=None, watch_network=False)
    window.attach_sync(sync)
    window.resize(1366, 768)
    window.show()
    suffix = ("" if scheme == "light" else f"-{scheme}") + (f"-{text_size}pt" if text_size else "")
    suffix += "" if language == "en" else f"-{language}"

    def shot(name: str) -> None:
        wait_for(app, lambda: sync.state is not None and not sync.running)
        settle_until = time.monotonic() + 0.3  # wrapped labels take a few layout passes
        while time.monotonic() < settle_until:
            app.processEvents()
            time.sleep(0.02)
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
    window.services_ready(services)  # after the first results: no restore from the record
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
    if question.certainty_prompt is not None:  # "How sure are you?" before the answer is sent
        shot("16-certainty-prompt")
        question.certainty_prompt.pick(3)
    shot("06-answer-feedback")
    while window.player is not None:
        q = player.question
        if q is not None and not q.answered:
            wrong = [o for o in q.option_buttons if o not in q.question.correct_ids]
            q.option_buttons[(wrong or list(q.option_buttons))[0]].setChecked(True)
            q.submit.click()
            if q.certainty_prompt is not None:
                q.certainty_prompt.pick(3)
        player.go_next()
    shot("07-results")
    window._go_section(0)
    shot("08-today")
    window.navigation.setCurrentRow(2)
    shot("09-settings")
    window.navigation.setCurrentRow(3)
    shot("10-about")

    # Sync: the module's results went nowhere (offline); then a sync that had one refused.
    window._go_section(0)
    window.today.verticalScrollBar().setValue(window.today.verticalScrollBar().maximum())
    shot("11-today-sync-offline")
    report = mark_as_synced_with_one_refused(services.paths.database)
    record_sync_meta(services.store, report, datetime.now(UTC))
    sync.refresh_state()
    wait_for(app, lambda: sync.state is not None and bool(sync.state.refused))
    window.refresh()
    window.today.verticalScrollBar().setValue(window.today.verticalScrollBar().maximum())
    shot("12-today-sync-refused")
    window.show_sync_details()
    wait_for(app, lambda: window.details is not None and window.details.model.rowCount() > 0)
    shot("13-sync-details-refused")
    assert window.details is not None
    window.details.filter.setCurrentIndex(0)
    window.details.load(0)
    wait_for(app, lambda: window.details is not None and window.details.model.rowCount() > 1)
    shot("14-sync-details-all")
    window.navigation.setCurrentRow(2)
    shot("15-settings-sync")

    # Two days on, the questions missed above are due: Today's review card, the planner, the review.
    later = datetime.now(UTC) + timedelta(days=2)
    services.__dict__["reviews"] = ReviewService(
        services.store, services.config, clock=lambda: later, rng=random.Random(3)
    )
    window._go_section(0)
    window.refresh()
    wait_for(app, lambda: window.planner is not None)
    assert window.planner is not None
    window.planner.show_plan(15)
    planner = window.planner
    # The planner sits below the modules: show it and its plan once the layout has grown.
    settle_until = time.monotonic() + 0.3
    while time.monotonic() < settle_until:
        app.processEvents()
        time.sleep(0.02)
    window.today.ensureWidgetVisible(planner.summary)
    shot("17-today-planner")
    window.reviews.start()
    review = window.reviews.page
    assert review is not None and review.question is not None
    shot("18-quick-review")
    wrong = [o for o in review.question.option_buttons if o not in review.question.question.correct_ids]
    review.question.option_buttons[wrong[0]].setChecked(True)
    review.question.submit.click()
    if review.question.certainty_prompt is not None:
        review.question.certainty_prompt.pick(3)
    shot("19-quick-review-feedback")
    window.reviews.exit()
    # No bundled track has a survey yet: one as a track's confidence_survey would give it.
    prompt = SurveyPrompt(
        "ai-data-literacy",
        "AI and data literacy",
        SurveyPhase.BEFORE,
        (
            "I can explain to a customer why a fraud alert is not a verdict",
            "I know what to check before I paste data into an AI tool",
            "I can tell when a model's score should not be trusted",
        ),
        tuple((int(k), words) for k, words in LIKERT_SCALE),
    )
    survey = SurveyPage(prompt)
    window.sections.show_page(survey, deselect=False)
    window.sections.navigation.hide()  # as when it comes before a module
    survey.rate(4)
    shot("20-survey")
    QTimer.singleShot(0, app.quit)
    app.exec()
    services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Screenshots of every screen at 1366x768.")
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--scheme", default="light", choices=("light", "dark", "high-contrast"))
    parser.add_argument("--text-size", type=int, default=0, help="points; 0 is the system's size")
    parser.add_argument("--language", default="en", choices=("en", "es", "pseudo"))
    args = parser.parse_args()
    main(args.out, args.scheme, args.text_size, args.language)
