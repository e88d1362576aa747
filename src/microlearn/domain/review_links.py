"""Which card teaches a knowledge-check question, for the review's "read it again" link.

Authors do not say which card a question comes from, so the link goes to the card whose
words the question (prompt, scenario, options, explanation) shares most; the first card
when nothing is shared.
"""

from __future__ import annotations

import re

from microlearn.domain.courseware import Module, Question

_WORD = re.compile(r"\w{4,}")  # short words (the, and, is) say nothing about the topic


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def teaching_card(module: Module, question: Question | None) -> int:
    if question is None or not module.cards:
        return 0
    asked = _words(
        " ".join(
            [question.prompt, question.scenario, question.explanation, *(o.text for o in question.options)]
        )
    )
    shared = [len(asked & _words(card.title + " " + card.body)) for card in module.cards]
    best = max(shared)
    return shared.index(best) if best else 0
