"""Confidence surveys: before a track's first module opens, and on Today once it is finished.

The "before" survey comes between the learner's choice of a module and the module itself
(answered or skipped, the module opens next). The "after" one is offered as a card on Today,
not forced on the learner when the results appear.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from microlearn.ui.page import focus_soon, module_card
from microlearn.ui.sections import TODAY, Sections
from microlearn.ui.translation import args

if TYPE_CHECKING:
    from microlearn.services.catalog import TrackSummary
    from microlearn.services.startup import AppServices
    from microlearn.services.surveys import SurveyPrompt
    from microlearn.ui.survey_page import SurveyPage
    from microlearn.ui.today_page import TodayPage


class SurveyFlow(QObject):
    open_module = Signal(str)  # the survey before it is done with: open the module now
    left = Signal()

    def __init__(self, window: QWidget, sections: Sections) -> None:
        super().__init__(window)
        self._sections = sections
        self.page: SurveyPage | None = None
        self.after_buttons: list[QPushButton] = []

    def before_module(self, services: AppServices, module_id: str) -> bool:
        """Show the track's "before" survey if it is still to be asked; False if there is none."""
        from microlearn.services.surveys import SurveyPhase

        track = next(
            (t for t in services.catalog.library() if any(m.id == module_id for m in t.modules)), None
        )
        if track is None:
            return False
        prompt = services.surveys.prompt(track.id, SurveyPhase.BEFORE)
        if prompt is None:
            return False
        self._show(services, prompt, then=module_id)
        return True

    def show_offers(self, services: AppServices, today: TodayPage, tracks: list[TrackSummary]) -> None:
        """A card on Today for each finished track whose "after" survey is still to be asked."""
        from microlearn.services.surveys import SurveyPhase

        self.after_buttons = []
        for track in tracks:
            if not track.modules or track.done_count < len(track.modules):
                continue
            prompt = services.surveys.prompt(track.id, SurveyPhase.AFTER)
            if prompt is None:
                continue
            frame, go = module_card(
                args(QCoreApplication.translate("SurveyFlow", "You finished “%1”"), track.title),
                QCoreApplication.translate("SurveyFlow", "1 minute"),
                [
                    (
                        QCoreApplication.translate(
                            "SurveyFlow", "How sure do you feel now? Rate a few statements, or skip it."
                        ),
                        None,
                    )
                ],
                QCoreApplication.translate("SurveyFlow", "Rate how sure I feel"),
                track.title,
            )
            go.clicked.connect(lambda _=False, p=prompt: self._show(services, p, then=None))
            today.body.insertWidget(today.extras_at, frame)
            self.after_buttons.append(go)

    def _show(self, services: AppServices, prompt: SurveyPrompt, then: str | None) -> None:
        from microlearn.ui.survey_page import SurveyPage

        self.page = page = SurveyPage(prompt)
        page.submitted.connect(lambda ratings: self._done(services, prompt, ratings, then))
        page.skipped.connect(lambda: self._done(services, prompt, None, then))
        self._sections.show_page(page, deselect=False)
        self._sections.navigation.hide()
        page.show_soon()

    def _done(
        self, services: AppServices, prompt: SurveyPrompt, ratings: dict[int, int] | None, then: str | None
    ) -> None:
        if ratings is None:
            services.surveys.skip(prompt)
        else:
            services.surveys.submit(prompt, ratings)
        if self.page is not None:
            self._sections.drop(self.page)
            self.page = None
        self._sections.navigation.show()
        if then is not None:
            self.open_module.emit(then)
            return
        self._sections.go(TODAY)
        self.left.emit()
        first = self._sections.today.first_button
        focus_soon(first if first is not None else self._sections.navigation)
