"""The local store's tables (SQLAlchemy 2 ORM). Changes go through Alembic migrations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from microlearn.store.outbox import TALLY_TRIGGERS
from microlearn.store.results import SUMMARY_TRIGGERS


class Base(DeclarativeBase):
    pass


class ContentInstall(Base):
    """One row per content install: what was installed, from where, and when."""

    __tablename__ = "content_installs"
    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    module_count: Mapped[int] = mapped_column(Integer)


class TrackRow(Base):
    __tablename__ = "tracks"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(35), server_default="en")  # a BCP 47 tag


class ModuleRow(Base):
    """An installed version of a module.

    Earlier versions stay (``active`` false) so every record can name the version it was
    earned on, and an attempt started on an old version can still be finished.
    """

    __tablename__ = "modules"
    pk: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[str] = mapped_column(String(80))
    version: Mapped[str] = mapped_column(String(40))
    track_id: Mapped[str] = mapped_column(ForeignKey("tracks.id"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(Integer)
    card_count: Mapped[int] = mapped_column(Integer)
    question_count: Mapped[int] = mapped_column(Integer)
    reviewed: Mapped[str] = mapped_column(String(10))
    review_by: Mapped[str] = mapped_column(String(10))
    pass_mark: Mapped[int] = mapped_column(Integer)
    draw: Mapped[int] = mapped_column(Integer)
    objectives: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (Index("ix_modules_id_version", "id", "version", unique=True),)


class CardRow(Base):
    __tablename__ = "cards"
    module_pk: Mapped[int] = mapped_column(ForeignKey("modules.pk", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    check_json: Mapped[str | None] = mapped_column(Text)  # the inline check, if any


class QuestionRow(Base):
    __tablename__ = "questions"
    module_pk: Mapped[int] = mapped_column(ForeignKey("modules.pk", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    question_json: Mapped[str] = mapped_column(Text)  # prompt, scenario, options, explanation


class MediaRow(Base):
    __tablename__ = "media"
    module_pk: Mapped[int] = mapped_column(ForeignKey("modules.pk", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AttemptRow(Base):
    __tablename__ = "attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    registration: Mapped[str] = mapped_column(String(36), unique=True)
    module_pk: Mapped[int] = mapped_column(ForeignKey("modules.pk"))
    module_id: Mapped[str] = mapped_column(String(80), index=True)
    module_version: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(20))
    card_index: Mapped[int] = mapped_column(Integer, default=0)
    cards_seen: Mapped[list[int]] = mapped_column(JSON, default=list)
    check_index: Mapped[int] = mapped_column(Integer, default=0)
    drawn: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    seconds_spent: Mapped[float] = mapped_column(Float, default=0.0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    session_id: Mapped[str | None] = mapped_column(String(36))
    session_started_seconds: Mapped[float] = mapped_column(Float, default=0.0)


# Today reads the unfinished attempts (a handful) among every attempt ever made. On a column
# an answer never changes (updated_at would cost the answer path an index page). Declared
# here, not in __table_args__, so create_all writes the table's constraints in the order
# migration 0001 did (tests/unit/test_store_schema.py compares the two schemas).
Index("ix_attempts_open", AttemptRow.finished_at, sqlite_where=text("finished_at IS NULL"))


class AnswerRow(Base):
    __tablename__ = "answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: ix_answers_attempt_question starts with it, and one index fewer is
    # one page fewer written (and fsynced) with every answer.
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(120))
    practice: Mapped[bool] = mapped_column(Boolean)  # inline check: never scored, never sent
    selected: Mapped[list[str]] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        Index("ix_answers_attempt_question", "attempt_id", "question_id", "practice", unique=True),
    )


class ResultRow(Base):
    """A completion or a pass/fail, earned here or restored from the central record."""

    __tablename__ = "results"
    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[str] = mapped_column(String(80), index=True)
    module_version: Mapped[str] = mapped_column(String(40))
    registration: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(12))  # completed | passed | failed
    score_raw: Mapped[int | None] = mapped_column(Integer)
    score_max: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(12), default="local")  # local | restored
    statement_id: Mapped[str | None] = mapped_column(String(36), unique=True)


class ModuleResultRow(Base):
    """Each module's result kinds and best score: kept by triggers on ``results`` (store/results.py)."""

    __tablename__ = "module_results"
    module_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    best_raw: Mapped[int | None] = mapped_column(Integer)
    best_max: Mapped[int | None] = mapped_column(Integer)


class OutboxRow(Base):
    """A frozen xAPI statement waiting to reach (or having reached) the central record."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)  # send order: oldest first
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    verb: Mapped[str] = mapped_column(String(20))
    statement_json: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # store.outbox.OutboxStatus
    tries: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # unconfirmed: read back after
    __table_args__ = (Index("ix_outbox_status_id", "status", "id"),)


class OutboxTallyRow(Base):
    """Statements per status: kept by triggers on ``outbox`` (store/outbox.py)."""

    __tablename__ = "outbox_tally"
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class MetaRow(Base):
    """Small facts about the store itself (last backup, last sync, restore done, …)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReviewItemRow(Base):
    """A question (or an inline check) the learner will meet again in a quick review.

    ``fsrs_card`` is the scheduler's own state (``fsrs.Card.to_json``), kept whole so a newer
    ``fsrs`` reads what an older one wrote; ``due`` is copied out of it so "what is due" is
    one indexed read.
    """

    __tablename__ = "review_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[str] = mapped_column(String(80))
    question_id: Mapped[str] = mapped_column(String(120))  # a card id for an inline check
    source: Mapped[str] = mapped_column(String(10))  # check | inline
    card_index: Mapped[int] = mapped_column(Integer)  # the card that teaches it (-1: not known)
    fsrs_card: Mapped[str] = mapped_column(Text)
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    last_statement_id: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        Index("ix_review_items_question", "module_id", "question_id", "source", unique=True),
        Index("ix_review_items_due", "due"),
    )


class AnswerCertaintyRow(Base):
    """How sure the learner said they were of a knowledge-check answer."""

    __tablename__ = "answer_certainties"
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    certainty: Mapped[str] = mapped_column(String(12))  # not_sure | fairly_sure | sure


class TrackOptionsRow(Base):
    """What a track's author chose beyond its modules: the certainty prompt and the survey."""

    __tablename__ = "track_options"
    track_id: Mapped[str] = mapped_column(ForeignKey("tracks.id", ondelete="CASCADE"), primary_key=True)
    ask_certainty: Mapped[bool] = mapped_column(Boolean, default=True)
    survey: Mapped[list[str]] = mapped_column(JSON, default=list)


class SurveyAnswerRow(Base):
    """One rating (1–5) of one confidence statement, before or after a track."""

    __tablename__ = "survey_answers"
    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[str] = mapped_column(String(80))
    phase: Mapped[str] = mapped_column(String(6))  # before | after
    item_index: Mapped[int] = mapped_column(Integer)
    statement_text: Mapped[str] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)  # None: skipped
    registration: Mapped[str] = mapped_column(String(36))
    statement_id: Mapped[str | None] = mapped_column(String(36))
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_survey_answers_track_phase", "track_id", "phase", "item_index", unique=True),)


class ProgrammeRow(Base):
    """The installed programme (one row, or none): the checked programme.yaml as JSON."""

    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    rules_json: Mapped[str] = mapped_column(Text)


class AssignmentRow(Base):
    """When a learner was first assigned a module: the start of a "N days after" deadline."""

    __tablename__ = "assignments"
    learner: Mapped[str] = mapped_column(String(255), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    first_assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CertificateRow(Base):
    """A track's certificate: who, when, valid until, each module's version, and its code."""

    __tablename__ = "certificates"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID, also in the statement
    learner: Mapped[str] = mapped_column(String(255), index=True)
    display_name: Mapped[str] = mapped_column(String(255))
    track_id: Mapped[str] = mapped_column(String(80))
    track_title: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[str | None] = mapped_column(String(10), nullable=True)  # ISO date
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    modules_json: Mapped[str] = mapped_column(Text)  # [[module id, title, version], …]


# The triggers are created with their tables by ``metadata.create_all`` (a new store) exactly
# as migration 0002 creates them (an older one): a test compares the two schemas. Each right
# after the table it watches (SQLite resolves the tables a trigger's body names when it
# fires): early in the file, so the schema's pages sit before the learner's rows, which is
# what salvage needs to survive of a cut file.
def _trigger_creator(triggers: tuple[str, ...]) -> Callable[..., None]:
    def create(target: object, connection: Connection, **_: object) -> None:
        for trigger in triggers:
            connection.exec_driver_sql(trigger)

    return create


event.listen(ResultRow.__table__, "after_create", _trigger_creator(SUMMARY_TRIGGERS))
event.listen(OutboxRow.__table__, "after_create", _trigger_creator(TALLY_TRIGGERS))
