"""Today's quick-review card: "Quick review · 5 questions · about 4 minutes", shown when items are due."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QPushButton

from microlearn.ui.page import module_card

if TYPE_CHECKING:
    from microlearn.services.reviews import ReviewOffer


def offer_words(offer: ReviewOffer) -> str:
    """The card's one line. Minutes are rounded up: a plan never promises less time than it takes."""
    questions = QCoreApplication.translate("ReviewCard", "%n question(s)", "", offer.questions)
    minutes = QCoreApplication.translate(
        "ReviewCard", "about %n minute(s)", "", max(1, math.ceil(offer.minutes))
    )
    title = QCoreApplication.translate("ReviewCard", "Quick review")
    return " · ".join([title, questions, minutes])


def review_card(offer: ReviewOffer) -> tuple[QFrame, QPushButton]:
    """The card and its "Start the review" button."""
    lines: list[tuple[str, str | None]] = [(offer_words(offer), None)]
    lines.append(
        (
            QCoreApplication.translate(
                "ReviewCard",
                "Questions you met before, back when they are due, so what you learned stays learned.",
            ),
            "muted",
        )
    )
    status = QCoreApplication.translate("ReviewCard", "%n due", "", offer.due)
    return module_card(
        QCoreApplication.translate("ReviewCard", "Quick review"),
        status,
        lines,
        QCoreApplication.translate("ReviewCard", "Start the review"),
        QCoreApplication.translate("ReviewCard", "Quick review"),
    )
