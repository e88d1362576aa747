"""Headless commands for the central record: ``microlearn sync`` and ``microlearn restore``.

For scheduled tasks and scripts. Each prints one line in plain words on standard output
(``--json``: one JSON object with the counts, ``outcome`` and ``summary`` instead); the
technical reason for a failure, if any, goes to standard error and the log.

Exit codes:

    ===  =====================================================================================
    0    done: every waiting result was sent (``sync``) or progress was restored (``restore``)
    3    offline, or the central record is unreachable, busy, failing or not confirming yet:
         results keep waiting
    4    the central record refused the credentials — contact IT
    5    some results were refused by the central record (rejected or conflict): each one's
         statement id and reason is in the log
    6    another sync of this data directory is running
    7    no central record is configured (``lrs.endpoint`` is empty)
    8    the local learning data could not be opened (e.g. written by a newer version)
    ===  =====================================================================================
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from microlearn.services.sync import SyncService
    from microlearn.store.opening import Store

EXIT_OK = 0
EXIT_OFFLINE = 3
EXIT_CREDENTIALS = 4
EXIT_REFUSED = 5
EXIT_LOCKED = 6
EXIT_NOT_CONFIGURED = 7
EXIT_STORE = 8

# Keyed by the outcomes' values (records.sync_engine.Outcome, records.restore.RestoreOutcome),
# so that building the parser imports neither SQLAlchemy nor httpx.
SYNC_EXIT_CODES = {
    "all_sent": EXIT_OK,
    "offline": EXIT_OFFLINE,
    "server_busy": EXIT_OFFLINE,
    "server_error": EXIT_OFFLINE,
    "server_down": EXIT_OFFLINE,
    "sign_in_page": EXIT_OFFLINE,
    "unconfirmed": EXIT_OFFLINE,
    "cancelled": EXIT_OFFLINE,
    "credentials_refused": EXIT_CREDENTIALS,
    "some_refused": EXIT_REFUSED,
    "locked": EXIT_LOCKED,
    "not_configured": EXIT_NOT_CONFIGURED,
}
RESTORE_EXIT_CODES = {
    "restored": EXIT_OK,
    "offline": EXIT_OFFLINE,
    "server_error": EXIT_OFFLINE,
    "credentials_refused": EXIT_CREDENTIALS,
    "locked": EXIT_LOCKED,
    "not_configured": EXIT_NOT_CONFIGURED,
}

log = logging.getLogger("microlearn.records")


def _emit(
    args: argparse.Namespace,
    summary: str,
    data: dict[str, Any],
    detail: str,
    secrets: frozenset[str],
    store: Store,
) -> None:
    from microlearn.settings.logs import scrub  # the one redaction, on everything printed

    # Damage this run (or an earlier one) found in the store; the app tells the learner next.
    if store.damage:
        data = {**data, "store_damage": [dataclasses.asdict(record) for record in store.damage]}
        for notice in store.notices:
            print(scrub(f"microlearn: {notice}", secrets), file=sys.stderr)
    if args.json:
        print(scrub(json.dumps(data, ensure_ascii=False, sort_keys=True), secrets))
    else:
        print(scrub(summary, secrets))
    if detail:
        print(scrub(f"microlearn: {detail}", secrets), file=sys.stderr)


def _run(args: argparse.Namespace, action: str) -> int:
    # Imported here, not at the top: registering the commands must not import the store,
    # httpx or SQLAlchemy (``microlearn --help`` and the GUI's start stay light).
    from microlearn.cli.main import command_line_settings
    from microlearn.services.sync import SyncService
    from microlearn.settings.config import load_config
    from microlearn.settings.logs import scrub, setup_logging
    from microlearn.settings.paths import resolve_paths
    from microlearn.store.health import StoreBusyError, StoreOpenError
    from microlearn.store.opening import open_store
    from microlearn.ui.status_text import restore_summary, sync_summary

    paths = resolve_paths()
    try:
        store = open_store(paths, found_by=action)
    except StoreOpenError as exc:
        busy = isinstance(exc, StoreBusyError)
        message = (
            "The learning data is in use by another program, so nothing was done; try again later."
            if busy
            else f"The learning data could not be opened: {exc}"
        )
        if args.json:
            outcome = "store_busy" if busy else "store_error"
            print(json.dumps({"outcome": outcome, "summary": message}, ensure_ascii=False))
        else:
            print(message, file=sys.stderr)
        return EXIT_STORE
    try:
        if store.read_only:
            message = f"The learning data folder cannot be written ({paths.data_dir}), so nothing was sent."
            if args.json:
                print(json.dumps({"outcome": "store_read_only", "summary": message}, ensure_ascii=False))
            else:
                print(message, file=sys.stderr)
            return EXIT_STORE
        setup_logging(paths.log_dir)
        config = load_config(paths, command_line_settings(args))
        for problem in config.problems:
            log.warning("configuration: %s", problem)
        for ignored in config.ignored_overrides:  # a scheduled sync has no doctor to say so
            log.warning("configuration: %s", ignored.render())
        service = SyncService(store, config)
        if action == "sync":
            report = service.sync_now()
            summary, detail = sync_summary(report), scrub(report.detail, config.secrets)
            log.info("sync: %s (%s) %s", summary, report.outcome.value, detail)
            code = SYNC_EXIT_CODES[report.outcome.value]
            if code == EXIT_REFUSED:
                _log_refused(service)
            _emit(
                args,
                summary,
                {**report.as_json(), "summary": summary, "detail": detail},
                detail,
                config.secrets,
                store,
            )
            return code
        restored = service.restore()
        summary, detail = restore_summary(restored), scrub(restored.detail, config.secrets)
        log.info("restore: %s (%s) %s", summary, restored.outcome.value, detail)
        _emit(
            args,
            summary,
            {**restored.as_json(), "summary": summary, "detail": detail},
            detail,
            config.secrets,
            store,
        )
        return RESTORE_EXIT_CODES[restored.outcome.value]
    finally:
        store.close()


def _log_refused(service: SyncService) -> None:
    """Exit 5 promises "see the log": one line per refused statement, with its id and reason."""
    from microlearn.store.outbox import OutboxStatus

    offset, page = 0, 500
    while True:
        rows = service.outbox_details(page, offset, [OutboxStatus.REJECTED, OutboxStatus.CONFLICT])
        for row in rows:
            log.warning(
                "refused statement %s (%s): %s", row.statement_id, row.status.value, row.last_error or ""
            )
        if len(rows) < page:
            return
        offset += page


def _sync(args: argparse.Namespace) -> int:
    return _run(args, "sync")


def _restore(args: argparse.Namespace) -> int:
    return _run(args, "restore")


def add_record_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sync`` and ``restore`` on the ``microlearn`` command's subparsers."""
    epilog = "exit codes: 0 done, 3 offline/unreachable, 4 credentials refused, " + (
        "5 some results refused, 6 another sync is running, 7 no central record configured, "
        "8 learning data could not be opened"
    )
    sync = commands.add_parser(
        "sync",
        help="Send the results waiting on this computer to the central record.",
        description="Send the results waiting on this computer to the central record (xAPI LRS).",
        epilog=epilog,
    )
    sync.add_argument("--json", action="store_true", help="Print one JSON object instead of a sentence.")
    sync.set_defaults(handler=_sync)
    restore = commands.add_parser(
        "restore",
        help="Rebuild this learner's progress from the central record.",
        description="Fetch this learner's completions and passes from the central record and rebuild "
        "progress on this computer (nothing is sent again).",
        epilog=epilog,
    )
    restore.add_argument("--json", action="store_true", help="Print one JSON object instead of a sentence.")
    restore.set_defaults(handler=_restore)
