"""Compiling the bundled content when the app is built, so a first start copies, not parses.

``python -m microlearn.services.content_compile [CONTENT_DIR] [OUT_DIR]`` (the bundle's build
runs it) writes into OUT_DIR (``content/compiled`` in the package by default):

- ``seed.sqlite3``: a new, empty learner store with the schema and CONTENT_DIR installed;
  ``open_store`` copies it into place where there is no store yet;
- ``manifest.json``: the content's fingerprint and signature (content/bundled.py), so no
  start reads the content files to learn their version.

Parsing stays the fallback (no compiled files, or other content) and the way updates install.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from microlearn.content.bundled import (
    MANIFEST_NAME,
    SEED_NAME,
    Manifest,
    compiled_dir,
    shipped_content_dir,
    tree_signature,
)
from microlearn.services.catalog import CatalogService
from microlearn.services.content_install import install
from microlearn.settings.paths import AppPaths
from microlearn.store.opening import open_store


class CompileError(Exception):
    """The bundled content could not be compiled (it has errors): the build must stop."""


def compile_content(source: Path, out_dir: Path) -> Manifest:
    out_dir.mkdir(parents=True, exist_ok=True)
    signature = tree_signature(source)  # before reading: see content_install._record_manifest
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = AppPaths(
            data_dir=folder / "data",
            config_dir=folder / "config",
            log_dir=folder / "log",
            cache_dir=folder / "cache",
            policy_file=None,
        )
        store = open_store(paths)
        try:
            report = install(store, source)
            if not report.installed:
                raise CompileError("; ".join(p.render() for p in report.problems) or "nothing installed")
            fingerprint = CatalogService(store).installed_fingerprint()
            if fingerprint is None:
                raise CompileError("the install recorded no fingerprint")
        finally:
            store.close()
        seed = out_dir / SEED_NAME
        seed.unlink(missing_ok=True)
        # VACUUM INTO: one compact file, no -wal beside it, whatever the build machine left.
        with closing(sqlite3.connect(paths.database)) as db:
            db.execute("VACUUM INTO ?", (str(seed),))
    manifest = Manifest(fingerprint=fingerprint, signature=signature)
    (out_dir / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else shipped_content_dir()
    out_dir = Path(argv[1]) if len(argv) > 1 else compiled_dir()
    try:
        manifest = compile_content(source, out_dir)
    except CompileError as exc:
        print(f"could not compile {source}: {exc}", file=sys.stderr)
        return 1
    print(f"compiled {source} into {out_dir} (content {manifest.fingerprint[:12]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
