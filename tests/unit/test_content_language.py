"""A track's `language`: checked as a language code, and the app lists only its own language's tracks."""

from __future__ import annotations

from pathlib import Path

import pytest

from microlearn.content.loader import load_catalog
from microlearn.services.startup import start_services
from microlearn.settings.paths import resolve_paths
from tests.support.content_samples import TRACK, content, line_of, replace

__all__ = ["content"]

TRACK_YAML = f"{TRACK}/track.yaml"


def set_language(content: Path, language: str) -> None:
    replace(content / TRACK_YAML, "mandatory: true\n", f"mandatory: true\nlanguage: {language}\n")


def test_a_track_is_english_unless_it_says(content: Path) -> None:
    result = load_catalog(content)
    assert result.catalog is not None and result.catalog.tracks[0].language == "en"


@pytest.mark.parametrize("language", ["es", "pt-BR", "zh-Hant", "es-419"])
def test_a_language_code_is_accepted(content: Path, language: str) -> None:
    set_language(content, language)
    result = load_catalog(content)
    assert result.catalog is not None and result.catalog.tracks[0].language == language


@pytest.mark.parametrize("language", ["Spanish", "ES", "e", "es_US", "'es-'"])
def test_anything_else_is_refused_at_its_line_with_what_to_write(content: Path, language: str) -> None:
    set_language(content, language)
    result = load_catalog(content)
    assert result.catalog is None
    [error] = result.problems.errors
    assert error.path.name == "track.yaml" and error.line == line_of(content / TRACK_YAML, "language:")
    assert "language code such as en, es or pt-BR" in error.message


@pytest.mark.parametrize(
    ("written_in", "app", "listed"),
    [("en", "en", True), ("es", "en", False), ("es", "es", True), ("es-US", "es", True)],
)
def test_the_app_lists_only_tracks_in_its_own_language(
    content: Path, written_in: str, app: str, listed: bool
) -> None:
    set_language(content, written_in)
    services = start_services(resolve_paths(), content_dir=content, language=app)
    try:
        assert [t.id for t in services.catalog.library()] == ([TRACK] if listed else [])
        today = services.catalog.today()
        assert bool(today.up_next or today.continue_module) is listed
    finally:
        services.close()
