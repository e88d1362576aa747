"""Quick reviews: Today's card when questions are due, the review page, and the way from a
question to the card that teaches it.

Like a module, a review hides the navigation while it is open; leaving it refreshes Today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from microlearn.ui.page import focus_soon
from microlearn.ui.review_card import review_card
from microlearn.ui.sections import TODAY, Sections

if TYPE_CHECKING:
    from microlearn.services.startup import AppServices
    from microlearn.ui.module_flow import ModuleFlow
    from microlearn.ui.review_page import ReviewPage
    from microlearn.ui.today_page import TodayPage


class ReviewFlow(QObject):
    left = Signal()

    def __init__(self, window: QWidget, sections: Sections, modules: ModuleFlow) -> None:
        super().__init__(window)
        self._sections = sections
        self._modules = modules
        self._services: AppServices | None = None
        self.page: ReviewPage | None = None

    def show_offer(self, services: AppServices, today: TodayPage) -> None:
        """Add the quick-review card to Today when questions are due (one indexed count)."""
        self._services = services
        offer = services.reviews.offer()
        if offer is None:
            return
        frame, go = review_card(offer)
        go.clicked.connect(lambda: self.start())
        today.body.insertWidget(today.extras_at, frame)
        self.start_button = go
        if today.first_button is None:
            today.first_button = go

    def start(self, size: int | None = None) -> None:
        """``size``: the questions a plan promised; by default a quick review's five."""
        # Late: the page brings the question widget and the review service, which the first
        # paint must not wait for (tests/integration/test_first_paint.py).
        from microlearn.ui.review_page import ReviewPage

        services = self._services
        if services is None:
            return
        session = services.reviews.start_session() if not size else services.reviews.start_session(size)
        if not session.questions:
            return
        self.page = ReviewPage(services.reviews, session, services.learning.asks_certainty)
        self.page.exit_requested.connect(self.exit)
        self.page.open_card.connect(self._open_card)
        self._sections.show_page(self.page, deselect=False)
        self._sections.navigation.hide()

    def _close(self) -> None:
        if self.page is not None:
            self._sections.drop(self.page)
            self.page = None
        self._sections.navigation.show()

    def exit(self) -> None:
        if self.page is None:
            return
        self._close()
        self._sections.go(TODAY)
        self.left.emit()
        first = self._sections.today.first_button
        focus_soon(first if first is not None else self._sections.navigation)

    def _open_card(self, module_id: str, card_index: int) -> None:
        """Leave the review (its answers are saved) for the module, at the card that teaches it."""
        self._close()
        if self._services is not None:
            self._modules.open(self._services, module_id, card_index)
