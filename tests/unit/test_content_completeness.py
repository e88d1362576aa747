"""Broken content that used to pass: a track or module that is silently dropped, a pool that is
empty, a picture linked from outside the tree. Each is an error, and an install keeps what
the learners had."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from microlearn.content.loader import load_catalog
from microlearn.services.catalog import CatalogService
from microlearn.services.content_install import install_if_changed
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import open_store
from tests.support.content_samples import FIRST, TRACK, replace

TRACK_FILE = f"{TRACK}/track.yaml"
MODULE_FILE = f"{FIRST}/module.yaml"
POOL_FILE = f"{FIRST}/questions.yaml"


def _second_track(content: Path) -> None:
    """A second, valid track beside the sample one, so a dropped track cannot hide as 'no tracks'."""
    other = content / "other-track"
    shutil.copytree(content / TRACK, other)
    for name in ("first-module", "second-module"):
        (other / name).rename(other / f"other-{name}")
        replace(other / f"other-{name}" / "module.yaml", f"id: {name}\n", f"id: other-{name}\n")
        for path in (other / f"other-{name}").glob("questions.yaml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("prompt: ", "prompt: In the other track, "), encoding="utf-8")
    replace(
        other / "track.yaml",
        "  - first-module\n  - second-module\n",
        "  - other-first-module\n  - other-second-module\n",
    )
    replace(other / "track.yaml", "id: sample-track", "id: other-track")


EMPTY_FILES = {
    "empty track.yaml": (TRACK_FILE, "is empty"),
    "track.yaml with only a comment": (TRACK_FILE, "is empty"),
    "missing track.yaml": (TRACK_FILE, "missing"),
    "empty module.yaml": (MODULE_FILE, "is empty"),
    "empty questions.yaml": (POOL_FILE, "is empty"),
}


def _break(content: Path, case: str) -> None:
    file = EMPTY_FILES[case][0]
    if case.startswith("missing"):
        (content / file).unlink()
    else:
        (content / file).write_text("# nothing yet\n" if "comment" in case else "", encoding="utf-8")


@pytest.mark.parametrize("case", EMPTY_FILES)
def test_an_empty_or_missing_file_is_an_error_not_a_dropped_track(content: Path, case: str) -> None:
    _second_track(content)
    _break(content, case)
    result = load_catalog(content)
    file, phrase = EMPTY_FILES[case]
    assert result.catalog is None, "content with a track that would vanish was accepted"
    errors = [(p.path.relative_to(content).as_posix(), p.line, p.message) for p in result.problems.errors]
    assert any(f == file and n == 1 and phrase in m for f, n, m in errors), errors


def test_a_track_folder_checked_on_its_own_without_track_yaml_is_an_error(content: Path) -> None:
    (content / TRACK_FILE).unlink()
    result = load_catalog(content / TRACK)
    assert result.catalog is None
    assert any(p.path == content / TRACK_FILE and "missing" in p.message for p in result.problems.errors)


@pytest.mark.parametrize("case", EMPTY_FILES)
def test_installed_content_stays_when_a_broken_version_arrives(content: Path, case: str) -> None:
    _second_track(content)
    store = open_store(resolve_paths())
    try:
        assert install_if_changed(store, content).installed
        before = [(t.id, [m.id for m in t.modules]) for t in CatalogService(store).library()]
        if case != "empty module.yaml":
            # A new version, so the install is judged on the broken file alone, not refused
            # because the text changed under the old version.
            replace(content / MODULE_FILE, "version: 1.0.0", "version: 1.1.0")
        _break(content, case)
        report = install_if_changed(store, content)
        assert report.refused and report.problems
        after = [(t.id, [m.id for m in t.modules]) for t in CatalogService(store).library()]
        assert after == before and {t for t, _ in after} == {"sample-track", "other-track"}
    finally:
        store.close()


def test_a_picture_linked_from_outside_the_tree_is_refused(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    picture = content / FIRST / "pic.png"
    shutil.copy(picture, outside / "secret.png")
    picture.unlink()
    picture.symlink_to(outside / "secret.png")
    result = load_catalog(content)
    assert result.catalog is None
    (error,) = result.problems.errors
    assert error.path == content / FIRST / "02-picture.md" and "outside the module folder" in error.message


def test_an_unused_picture_linked_from_outside_is_never_installed(content: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not for the store")
    (content / FIRST / "stray.png").symlink_to(secret)
    result = load_catalog(content)
    assert result.catalog is not None, [p.render() for p in result.problems]
    media = result.catalog.tracks[0].modules[0].media
    assert set(media) == {"pic.png"}
    assert all(b"not for the store" not in data for data in media.values())
