"""An ordinary start knows the content is up to date from a manifest, without reading it.

What is installed is still exactly what is on disk: any change to the files (an edit, a
new file, a removed one) is installed at the next start.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from microlearn.services.catalog import CatalogService
from microlearn.services.content_install import install_if_changed
from microlearn.services.startup import AppServices, start_services
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import Store, open_store
from tests.support.locations import SAMPLE_CONTENT

CARD = Path("sample-track/first-module/01-welcome.md")
VERSION_LINE = "version: 1.0.0"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, copy)
    return copy


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("MICROLEARN_DATA_DIR", str(tmp_path / "data"))
    store = open_store(resolve_paths())
    yield store
    store.close()


def module_titles(store: Store) -> list[str]:
    return [m.title for t in CatalogService(store).library() for m in t.modules]


def test_unchanged_content_is_known_from_its_signature_not_by_reading_it(source: Path, store: Store) -> None:
    assert install_if_changed(store, source).installed
    installed = CatalogService(store).installed_fingerprint()
    # Same size, same times, other bytes: only reading the file could tell. The start must
    # not read it (that is the cost this avoids), so it keeps what was installed.
    card = source / CARD
    stat = card.stat()
    text = card.read_bytes()
    card.write_bytes(text.replace(b"e", b"E", 1))
    os.utime(card, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    report = install_if_changed(store, source)
    assert report.up_to_date and not report.installed
    assert CatalogService(store).installed_fingerprint() == installed


def installed_after_change(store: Store, source: Path) -> str | None:
    report = install_if_changed(store, source)
    assert report.installed, report.problems
    return CatalogService(store).installed_fingerprint()


def test_an_edited_added_or_removed_file_is_installed_at_the_next_start(source: Path, store: Store) -> None:
    assert install_if_changed(store, source).installed
    original = CatalogService(store).installed_fingerprint()
    card = source / CARD
    card.write_text(card.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    module_file = card.with_name("module.yaml")
    text = module_file.read_text(encoding="utf-8")
    module_file.write_text(text.replace(VERSION_LINE, "version: 1.1.0", 1), encoding="utf-8")
    edited = installed_after_change(store, source)
    note = source / "sample-track" / "first-module" / "notes.txt"
    note.write_text("a note\n", encoding="utf-8")
    added = installed_after_change(store, source)
    note.unlink()
    removed = installed_after_change(store, source)
    assert len({original, edited, added}) == 3
    assert removed == edited
    assert install_if_changed(store, source).up_to_date


def versions(services: AppServices) -> set[str]:
    return {m.version for t in services.catalog.library() for m in t.modules}


def test_a_start_shows_the_content_installed_last_time_and_installs_a_change_after_today(
    source: Path, store: Store
) -> None:
    store.close()
    first = start_services(content_dir=source)
    first.close()
    card = source / CARD
    card.write_text(card.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    module_file = card.with_name("module.yaml")
    text = module_file.read_text(encoding="utf-8")
    module_file.write_text(text.replace(VERSION_LINE, "version: 1.1.0", 1), encoding="utf-8")

    app = start_services(content_dir=source)
    try:
        assert versions(app) == {"1.0.0"}  # Today did not wait for the files to be compared
        upkeep = app.after_today()
        assert upkeep.content_changed and app.install.installed
        assert versions(app) == {"1.0.0", "1.1.0"}
        assert not app.after_today().content_changed
    finally:
        app.close()
