"""Turning the courseware model into rows and back, so content is parsed once at install."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from microlearn.domain.courseware import Card, Module, Option, Question, QuestionKind
from microlearn.store.models import CardRow, ModuleRow, QuestionRow


def question_to_json(question: Question) -> str:
    return json.dumps(
        {
            "id": question.id,
            "kind": question.kind.value,
            "prompt": question.prompt,
            "scenario": question.scenario,
            "explanation": question.explanation,
            "options": [
                {"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback}
                for o in question.options
            ],
        },
        ensure_ascii=False,
    )


def question_from_json(text: str) -> Question:
    data: dict[str, Any] = json.loads(text)
    return Question(
        id=data["id"],
        kind=QuestionKind(data["kind"]),
        prompt=data["prompt"],
        scenario=data["scenario"],
        explanation=data["explanation"],
        options=tuple(Option(o["id"], o["text"], o["correct"], o["feedback"]) for o in data["options"]),
    )


def card_values(module_pk: int, module: Module) -> list[dict[str, Any]]:
    """The module's card rows as column values, for a bulk insert."""
    return [
        {
            "module_pk": module_pk,
            "position": index,
            "card_id": card.id,
            "title": card.title,
            "body": card.body,
            "check_json": question_to_json(card.check) if card.check else None,
        }
        for index, card in enumerate(module.cards)
    ]


def question_values(module_pk: int, module: Module) -> list[dict[str, Any]]:
    """The module's question rows as column values, for a bulk insert."""
    return [
        {
            "module_pk": module_pk,
            "question_id": q.id,
            "position": index,
            "kind": q.kind.value,
            "question_json": question_to_json(q),
        }
        for index, q in enumerate(module.questions)
    ]


def card_rows(module_pk: int, module: Module) -> list[CardRow]:
    return [CardRow(**values) for values in card_values(module_pk, module)]


def question_rows(module_pk: int, module: Module) -> list[QuestionRow]:
    return [QuestionRow(**values) for values in question_values(module_pk, module)]


def module_from_rows(row: ModuleRow, cards: list[CardRow], questions: list[QuestionRow]) -> Module:
    return Module(
        id=row.id,
        title=row.title,
        version=row.version,
        minutes=row.minutes,
        summary=row.summary,
        objectives=tuple(row.objectives),
        reviewed=date.fromisoformat(row.reviewed),
        review_by=date.fromisoformat(row.review_by),
        pass_mark=row.pass_mark,
        draw=row.draw,
        cards=tuple(
            Card(
                id=c.card_id,
                title=c.title,
                body=c.body,
                check=question_from_json(c.check_json) if c.check_json else None,
            )
            for c in sorted(cards, key=lambda c: c.position)
        ),
        questions=tuple(
            question_from_json(q.question_json) for q in sorted(questions, key=lambda q: q.position)
        ),
    )
