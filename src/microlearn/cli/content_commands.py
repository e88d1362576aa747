"""Commands for curriculum authors: ``microlearn content check | stats | preview``.

Exit codes:

    ===  ==================================================================================
    0    the content has no errors (``check --strict``: no warnings either)
    1    the content has errors (``check --strict``: or warnings); nothing was installed
    2    the command was used wrongly (for example, ``preview`` given a track folder)
    3    the checker itself failed: a bug in Microlearn, not a verdict on the content
    ===  ==================================================================================
"""

from __future__ import annotations

import argparse
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microlearn.content.loader import LoadResult

EXIT_OK = 0
EXIT_CONTENT_ERRORS = 1
EXIT_USAGE = 2
EXIT_CHECKER_FAILED = 3


def _print_problems(result: LoadResult) -> None:
    here = Path.cwd()
    # Errors first, on standard error; then warnings, on standard output. Each line says which.
    for problem in sorted(result.problems.errors, key=lambda p: (str(p.path), p.line)):
        print(problem.render(here), file=sys.stderr)
    for problem in sorted(result.problems.warnings, key=lambda p: (str(p.path), p.line)):
        print(problem.render(here))


def _checker_failed(exc: BaseException) -> int:
    # Exit 1 would read as "the content has errors" with no file:line to fix; this is ours to fix.
    print(
        "microlearn: the content checker failed before it could finish. This is a bug in "
        "Microlearn, not a verdict on your content; please report it with the lines below.",
        file=sys.stderr,
    )
    print("".join(traceback.format_exception(exc, limit=-8))[-4000:], file=sys.stderr)
    return EXIT_CHECKER_FAILED


def _content_check(args: argparse.Namespace) -> int:
    from microlearn.content.loader import load_catalog

    try:
        result = load_catalog(Path(args.path), today=args.today)
    except Exception as exc:
        return _checker_failed(exc)
    _print_problems(result)
    errors, warnings = len(result.problems.errors), len(result.problems.warnings)
    if result.catalog is None:
        print(
            f"Content has {errors} error(s) and {warnings} warning(s); nothing can be installed until "
            "the errors are fixed.",
            file=sys.stderr,
        )
        return EXIT_CONTENT_ERRORS
    modules = sum(len(t.modules) for t in result.catalog.tracks)
    summary = (
        f"OK: {len(result.catalog.tracks)} track(s), {modules} module(s) checked; {warnings} warning(s)."
    )
    if warnings and args.strict:
        print(f"{summary} --strict: warnings count as failures.", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    if warnings:
        summary += " Warnings do not stop an install, but learners are better served when they are fixed."
    print(summary)
    return EXIT_OK


def _content_stats(args: argparse.Namespace) -> int:
    from microlearn.content.loader import load_catalog
    from microlearn.content.source_files import MODULE_FILE
    from microlearn.content.stats import catalog_stats, render_json, render_table

    path = Path(args.path)
    try:
        result = load_catalog(path)
    except Exception as exc:
        return _checker_failed(exc)
    if result.catalog is None:
        _print_problems(result)
        print("The content has errors, so there are no figures yet; fix the errors first.", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    rows = catalog_stats(result.catalog, lone_module=(result.root / MODULE_FILE).is_file())
    print(render_json(rows) if args.json else render_table(rows))
    return EXIT_OK


def _content_preview(args: argparse.Namespace) -> int:
    from microlearn.content.source_files import MODULE_FILE, TRACK_FILE

    folder = Path(args.path)
    if not folder.is_dir():
        print(f"microlearn: {folder} is not a folder; give a module folder.", file=sys.stderr)
        return EXIT_USAGE
    tracks = [p for p in (folder, *folder.iterdir()) if (p / TRACK_FILE).is_file()]
    if tracks and not (folder / MODULE_FILE).is_file():
        print(
            f"microlearn: {folder} holds a track, not a module; give one module folder, for example "
            f"{folder / 'first-module'}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from microlearn.ui.preview_window import run_preview

    return run_preview(folder, quit_after_load=args.quit_after_load)


def add_content_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``content check``, ``content stats`` and ``content preview``."""
    content = commands.add_parser("content", help="Tools for curriculum authors.")
    actions = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)

    check = actions.add_parser(
        "check",
        help="Check authored content and report every error and warning.",
        description="Check authored content: every error and warning with its file and line. "
        "Errors stop the content from being installed; warnings do not.",
        epilog="exit codes: 0 no errors, 1 errors (or, with --strict, warnings), "
        "3 the checker itself failed (a bug to report)",
    )
    check.add_argument("path", help="A content folder, a track folder or a module folder.")
    check.add_argument("--strict", action="store_true", help="Fail on warnings too (for CI).")
    # For tests and for checking review dates ahead of time: the date review_by is compared with.
    check.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    check.set_defaults(handler=_content_check)

    stats = actions.add_parser(
        "stats",
        help="Show each module's minutes, counts, question kinds and review dates.",
        description="For each module: minutes declared and estimated, cards, inline checks, "
        "questions and how many are drawn, question kinds, and review dates.",
    )
    stats.add_argument("path", help="A content folder, a track folder or a module folder.")
    stats.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    stats.set_defaults(handler=_content_stats)

    preview = actions.add_parser(
        "preview",
        help="Open a module in the real player straight from its folder; reloads when you save.",
        description="Open one module in the learner's player, straight from its source folder. "
        "Nothing is installed and nothing is recorded: the preview keeps its own temporary "
        "data, and reloads whenever a file in the folder changes.",
    )
    preview.add_argument("path", help="A module folder (the one with module.yaml).")
    preview.add_argument("--quit-after-load", action="store_true", help=argparse.SUPPRESS)
    preview.set_defaults(handler=_content_preview)
