"""Installing content into the store: a new version replaces the active one, the same version
installed again is rewritten in place (nothing doubled), changed text under an old version is refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from microlearn.services.content_install import install
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import Store, open_store
from tests.support.content_samples import FIRST, SECOND, content, replace

__all__ = ["content"]  # the fixture


@pytest.fixture
def store() -> Iterator[Store]:
    opened = open_store(resolve_paths())
    yield opened
    opened.close()


def installed(store: Store) -> dict[tuple[str, str], tuple[bool, int, int, int]]:
    """(module id, version) -> (active, cards, questions, media) as stored."""
    with closing(sqlite3.connect(store.paths.database)) as db:
        rows = db.execute(
            "SELECT m.id, m.version, m.active, "
            "(SELECT count(*) FROM cards c WHERE c.module_pk = m.pk), "
            "(SELECT count(*) FROM questions q WHERE q.module_pk = m.pk), "
            "(SELECT count(*) FROM media d WHERE d.module_pk = m.pk) FROM modules m"
        ).fetchall()
    return {(r[0], r[1]): (bool(r[2]), r[3], r[4], r[5]) for r in rows}


def test_a_new_version_replaces_the_active_one_and_the_old_keeps_its_text(
    store: Store, content: Path
) -> None:
    assert install(store, content).installed
    before = installed(store)
    assert {key[0] for key, row in before.items() if row[0]} == {"first-module", "second-module"}
    replace(content / FIRST / "module.yaml", "version: 1.0.0", "version: 1.1.0")
    assert install(store, content).installed
    after = installed(store)
    active = {key for key, row in after.items() if row[0]}
    assert active == {("first-module", "1.1.0"), ("second-module", "1.0.0")}
    old = before[("first-module", "1.0.0")]
    assert after[("first-module", "1.0.0")] == (False, *old[1:])  # an attempt on it still reads its text
    assert after[("first-module", "1.1.0")][1:] == old[1:]
    assert after[("second-module", "1.0.0")] == before[("second-module", "1.0.0")]  # not doubled


def test_the_same_content_installed_again_changes_nothing(store: Store, content: Path) -> None:
    assert install(store, content).installed
    before = installed(store)
    assert install(store, content).installed
    assert installed(store) == before


def test_changed_text_under_the_same_version_is_refused_and_nothing_is_written(
    store: Store, content: Path
) -> None:
    assert install(store, content).installed
    before = installed(store)
    card = next(p for p in sorted((content / SECOND).glob("*.md")))
    card.write_text(card.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    replace(content / FIRST / "module.yaml", "version: 1.0.0", "version: 1.1.0")
    report = install(store, content)
    assert not report.installed
    assert any("second-module" in p.message for p in report.problems)
    assert installed(store) == before
