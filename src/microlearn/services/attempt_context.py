"""What every statement of an attempt or a review session names: the learner, the module, its track."""

from __future__ import annotations

from microlearn.records.statements import Actor, AttemptContext
from microlearn.settings.config import Config
from microlearn.store.content_reads import ModuleFacts


def attempt_context(
    config: Config, facts: ModuleFacts, registration: str, session_id: str | None = None
) -> AttemptContext:
    """``session_id`` defaults to the registration (a review session is its own session)."""
    return AttemptContext(
        actor=Actor(config.home_page, config.learner_name),
        activity_base=config.activity_base,
        module_id=facts.module_id,
        module_title=facts.module_title,
        module_version=facts.module_version,
        track_id=facts.track_id,
        track_title=facts.track_title,
        registration=registration,
        session_id=session_id or registration,
    )
