"""The parts of xAPI 1.0.3 statements we read back from an LRS, checked before we trust them.

Restore reads what any server sends: a quirky LRS, a proxy's error page turned JSON, a
statement some other tool wrote. Each page and each statement is validated here; what does
not fit is skipped and counted, never half-used. Only the properties restore reads are
modelled (everything else is ignored), and strictly: no string taken for a number, no
number for a string, no infinite or absurd score.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from microlearn.records.statements import parse_instant

# Raw / min / max beyond this are not scores a module gives (and would not fit the store).
MAX_SCORE_MAGNITUDE = 1e9


class _Read(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True, allow_inf_nan=False)


ScorePart = Annotated[float, Field(ge=-MAX_SCORE_MAGNITUDE, le=MAX_SCORE_MAGNITUDE)]


class Account(_Read):
    homePage: str  # noqa: N815  # xAPI's own property names
    name: str


class Actor(_Read):
    objectType: Literal["Agent", "Group"] = "Agent"  # noqa: N815
    account: Account | None = None


class Verb(_Read):
    id: str


class StatementObject(_Read):
    objectType: str = "Activity"  # noqa: N815
    id: str


class Score(_Read):
    scaled: Annotated[float, Field(ge=-1, le=1)] | None = None
    raw: ScorePart | None = None
    min: ScorePart | None = None
    max: ScorePart | None = None


class Result(_Read):
    score: Score | None = None
    success: bool | None = None
    completion: bool | None = None


class Context(_Read):
    registration: str | None = None
    extensions: dict[str, Any] | None = None


class Statement(_Read):
    id: str
    actor: Actor
    verb: Verb
    object: StatementObject
    result: Result | None = None
    context: Context | None = None
    timestamp: str | None = None
    stored: str | None = None

    @field_validator("id")
    @classmethod
    def _a_uuid(cls, value: str) -> str:
        uuid.UUID(value)  # ValueError: not a UUID
        return value

    @field_validator("timestamp", "stored")
    @classmethod
    def _an_instant(cls, value: str | None) -> str | None:
        if value is not None and parse_instant(value) is None:
            raise ValueError(f"{value!r} is not an ISO 8601 instant")
        return value

    @property
    def recorded_at(self) -> datetime | None:
        return parse_instant(self.timestamp) or parse_instant(self.stored)


class StatementPage(_Read):
    """A StatementResult: the statements (each checked on its own) and the ``more`` link."""

    statements: list[Any]
    more: str | None = None
    more_unusable: bool = False  # the page had a `more` that is not a string (so: where next?)


def read_statement(data: Any) -> Statement | None:
    """``data`` as a checked statement, or ``None`` if it does not have the shape we read."""
    try:
        return Statement.model_validate(data)
    except ValidationError:
        return None


def read_page(data: Any) -> StatementPage | None:
    """``data`` as a StatementResult, or ``None`` if it holds no list of statements."""
    if isinstance(data, dict) and "more_unusable" in data:
        data = {k: v for k, v in data.items() if k != "more_unusable"}  # ours, not the server's
    try:
        return StatementPage.model_validate(data)
    except ValidationError:
        if isinstance(data, dict) and isinstance(data.get("statements"), list):
            return StatementPage(statements=data["statements"], more_unusable=True)
        return None
