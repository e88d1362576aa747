"""Installing content into the store: all of it in one transaction, or nothing.

Content is compiled into the store the first time and whenever its fingerprint changes,
never re-parsed on an ordinary start. Invalid content is refused as a whole and the
store keeps what it had.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from microlearn.content.bundled import Manifest, known_fingerprint, tree_signature
from microlearn.content.problems import Problem, printable
from microlearn.content.source_files import fingerprint
from microlearn.services.catalog import CatalogService
from microlearn.store import meta
from microlearn.store.opening import Store

log = logging.getLogger(__name__)

# What the store keeps of the last install's source (content/bundled.py): its folder, its
# fingerprint and its signature, so the next start need not read every file to compare.
SOURCE_MANIFEST_KEY = "content.source_manifest"


@dataclass(frozen=True)
class InstallReport:
    installed: bool
    up_to_date: bool
    module_count: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return not self.installed and not self.up_to_date


def install_if_changed(store: Store, source: Path) -> InstallReport:
    """Install ``source`` unless exactly this content is already installed.

    Never raises: content that cannot be read or checked, or a checker that fails, is a
    refused install (the store keeps what it had), never a reason for the app not to start.
    """
    try:
        return _install_if_changed(store, source)
    except Exception as exc:
        log.exception("installing the content in %s failed; the installed content is kept", source)
        reason = printable(f"{type(exc).__name__}: {exc}")[:300]
        return InstallReport(
            installed=False,
            up_to_date=False,
            problems=[
                Problem(source, 1, f"the content could not be checked or installed ({reason}); see the log")
            ],
        )


def _install_if_changed(store: Store, source: Path) -> InstallReport:
    if not source.is_dir():
        return InstallReport(
            installed=False,
            up_to_date=False,
            problems=[Problem(source, 1, "the content folder is missing; reinstall Microlearn or ask IT")],
        )
    installed = CatalogService(store).installed_fingerprint()
    if installed is not None and known_fingerprint(source, _recorded_manifest(store, source)) == installed:
        return InstallReport(installed=False, up_to_date=True)
    # Taken before the files are read: a file changed after this point changes the next
    # start's signature, so what is recorded can never vouch for content it did not see.
    try:
        signature: str | None = tree_signature(source)
    except OSError:
        signature = None
    if installed == fingerprint(source):
        _record_manifest(store, source, installed, signature)
        return InstallReport(installed=False, up_to_date=True)
    report = install(store, source)
    if report.installed:
        new = CatalogService(store).installed_fingerprint()
        if new is not None:
            _record_manifest(store, source, new, signature)
    return report


def installed_last_time(store: Store, source: Path) -> bool:
    """``source`` is the folder installed (or confirmed) last time, by what the store recorded
    then, without looking at its files: a start may show Today from it and verify after."""
    installed = CatalogService(store).installed_fingerprint()
    recorded = _recorded_manifest(store, source)
    return installed is not None and recorded is not None and recorded.fingerprint == installed


def _recorded_manifest(store: Store, source: Path) -> Manifest | None:
    with store.read() as db:
        text = meta.read_meta(db, SOURCE_MANIFEST_KEY).get(SOURCE_MANIFEST_KEY)
    if not text:
        return None
    folder, _, manifest = text.partition("\n")
    return Manifest.from_json(manifest) if folder == str(source.resolve()) else None


def _record_manifest(store: Store, source: Path, installed: str, signature: str | None) -> None:
    """Remember ``source``'s signature with the fingerprint just confirmed by reading it."""
    if signature is None:
        return  # the next start hashes the files again: slower, never wrong
    manifest = Manifest(fingerprint=installed, signature=signature)
    with store.connection() as db:
        meta.write_meta(db, {SOURCE_MANIFEST_KEY: f"{source.resolve()}\n{manifest.to_json()}"})


def install(store: Store, source: Path) -> InstallReport:
    # Parsing and writing need YAML, pydantic and the ORM: imported only when installing.
    from microlearn.content.loader import load_catalog
    from microlearn.store.content_writer import UnversionedChangeError, write_catalog

    result = load_catalog(source)
    if result.catalog is None:
        return InstallReport(installed=False, up_to_date=False, problems=list(result.problems))
    try:
        count = write_catalog(store, result.catalog, source)
    except UnversionedChangeError as exc:
        # An attempt in progress drew questions from the installed text; changing that text
        # under the same version would break it and make records name the wrong content.
        problems = [
            Problem(
                source,
                1,
                f"module '{module}' changed but its version did not; raise 'version' in "
                "its module.yaml so learners' records name the right content",
            )
            for module in exc.modules
        ]
        return InstallReport(installed=False, up_to_date=False, problems=problems)
    return InstallReport(installed=True, up_to_date=False, module_count=count, problems=list(result.problems))
