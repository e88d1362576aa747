"""The shape of each authored file, checked with pydantic and reported in plain words."""

from __future__ import annotations

import difflib
import reprlib
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from microlearn.content.yaml_lines import LineDict, LineList
from microlearn.domain.courseware import QuestionKind

QUESTION_KINDS = tuple(QuestionKind)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OptionSpec(_Strict):
    text: str
    correct: bool = False
    feedback: str = ""


class CheckSpec(_Strict):
    """A question: an inline check on a card, or (with an id) a knowledge-check question."""

    id: str | None = None
    kind: Literal["single", "multiple", "true_false", "scenario"]
    prompt: str
    scenario: str = ""
    options: list[OptionSpec] | None = None
    answer: bool | None = None
    feedback: dict[str, str] | None = None
    explanation: str

    @field_validator("feedback", mode="before")
    @classmethod
    def _bool_keys(cls, value: Any) -> Any:
        # `true:` unquoted is a boolean key in YAML; authors should not have to know that.
        if isinstance(value, dict):
            return {str(k).lower() if isinstance(k, bool) else k: v for k, v in value.items()}
        return value


class QuestionSpec(CheckSpec):
    id: str


class QuestionsFileSpec(_Strict):
    questions: list[Any] = Field(min_length=1)


class CardSpec(_Strict):
    title: str
    check: CheckSpec | None = None


class ModuleSpec(_Strict):
    id: str
    title: str
    version: str
    minutes: int
    summary: str = ""
    objectives: list[str] = Field(min_length=1)
    reviewed: date
    review_by: date
    pass_mark: int
    draw: int


class TrackSpec(_Strict):
    id: str
    title: str
    audience: str
    description: str = ""
    mandatory: bool = False
    modules: list[str] = Field(min_length=1)


_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 60
_SHOWN.maxlevel = 3


class _Bounded:
    """A value shown in a message: its repr cut short, however large the value."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return _SHOWN.repr(self.value)

    def __str__(self) -> str:
        return _shown(self.value)


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else _SHOWN.repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _line_for(raw: Any, loc: tuple[int | str, ...]) -> int:
    """The line of the deepest node of ``loc`` that exists in the parsed YAML."""
    node, line = raw, getattr(raw, "line", 1)
    for part in loc:
        if isinstance(node, LineDict) and part not in node:
            # pydantic names a key that is not text (a date, a number) by its text.
            part = next((key for key in node if str(part) in (str(key), repr(key))), part)
        if isinstance(node, LineDict) and part in node:
            line, node = node.line_of(part), node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line, node = node.line_of(part), node[part]
        else:
            break
    return int(line)


def _field_path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f" (item {part + 1})"
        else:
            text += ("." if text else "") + part
    return text or "this file"


def explain(error: Any, model: type[BaseModel]) -> str:
    """One pydantic error as a sentence an author can act on."""
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    name = _field_path(loc)
    kind = error["type"]
    value = _Bounded(error.get("input"))
    if kind == "missing":
        return f"missing required field '{loc[-1]}'" if loc else "missing required fields"
    if kind == "extra_forbidden":
        known = _known_fields(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(known)}"
        return f"unknown field '{loc[-1]}'{hint}"
    if kind == "invalid_key":
        return (
            f"'{_shown(loc[-1]) if loc else ''}' is not a field name; field names are words such as "
            "'title' (a date or a number is read as a value, not a name)"
        )
    if kind == "literal_error" and loc and loc[-1] == "kind":
        return f"unknown question kind '{value}'; use one of: {', '.join(QUESTION_KINDS)}"
    if kind in ("string_type", "str_type"):
        return f"'{name}' must be text (put it in quotes if it looks like a number or date)"
    if kind.startswith("int_"):
        return f"'{name}' must be a whole number, not {value!r}"
    if kind.startswith("bool_"):
        return f"'{name}' must be true or false, not {value!r}"
    if kind.startswith("date_"):
        return f"'{name}' must be a date written YYYY-MM-DD, not {value!r}"
    if kind in ("list_type", "too_short"):
        return f"'{name}' must be a list with at least one entry"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{name}' must be a set of 'field: value' lines, not {value!r}"
    return f"'{name}': {error['msg']}"


def _known_fields(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            break
        annotation = field.annotation
        for candidate in getattr(annotation, "__args__", (annotation,)):
            inner = getattr(candidate, "__args__", (candidate,))[0]
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                current = inner
                break
    return sorted(getattr(current, "model_fields", {}))


def validate(model: type[BaseModel], raw: Any) -> tuple[Any | None, list[tuple[int, str]]]:
    """Return (the validated model or None, [(line, message)])."""
    if not isinstance(raw, dict):
        return None, [(getattr(raw, "line", 1), "must be a set of 'field: value' lines")]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, [(_line_for(raw, e["loc"]), explain(e, model)) for e in exc.errors()]
