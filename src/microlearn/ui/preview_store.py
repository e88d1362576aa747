"""The preview's own throwaway learning data: a real store in a temporary folder.

The author's preview runs the learner's real LearningService, so it needs a store with the
module installed in it; it must never touch the learner's own data. Each load gets a fresh
store (about 0.1 s): the content changes under the same version while the author edits,
which the real store rightly refuses for a module with an attempt in progress.
No Qt here.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from microlearn.domain.courseware import Catalog
from microlearn.services.learning import LearningService
from microlearn.settings.config import load_config
from microlearn.settings.paths import AppPaths
from microlearn.store.content_writer import write_catalog
from microlearn.store.opening import Store, open_store

# The same seed on every reload draws the same knowledge-check questions while the pool is
# unchanged, so "question 3 of 7" stays the same question after a save.
DRAW_SEED = 2024


class PreviewStore:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="microlearn-preview-"))
        self._store: Store | None = None
        self._folder: Path | None = None  # the current load's folder, always inside root
        self._loads = 0

    def install(self, catalog: Catalog, source: Path) -> LearningService:
        """A LearningService over a fresh temporary store holding just this catalog."""
        self._close_store()
        self._loads += 1
        folder = self._folder = self.root / f"load-{self._loads}"
        paths = AppPaths(
            data_dir=folder / "data",
            config_dir=folder / "config",
            log_dir=folder / "logs",
            cache_dir=folder / "cache",
            policy_file=None,  # IT's policy plays no part in an author's preview
        )
        self._store = open_store(paths)
        write_catalog(self._store, catalog, source)
        return LearningService(self._store, load_config(paths), rng=random.Random(DRAW_SEED))

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def close(self) -> None:
        self._close_store()
        shutil.rmtree(self.root, ignore_errors=True)
