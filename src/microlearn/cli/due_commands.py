"""``microlearn due [--json]``: what this learner must complete, and by when.

For scripts and for a scheduled reminder (docs/deploying.md, "Reminders"). It opens the
learning data like the app does (installing the bundled content if it changed, and noting
new assignments), then prints the required modules, overdue first.

Exit codes:

    ===  =====================================================================================
    0    nothing is overdue or due within 7 days (or nothing is assigned)
    8    the local learning data could not be opened (e.g. written by a newer version)
    10   something is due within 7 days (today included); nothing is overdue
    11   something is overdue
    ===  =====================================================================================
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from microlearn.services.programme import AssignedModule, ProgrammeView

EXIT_OK = 0
EXIT_STORE = 8
EXIT_DUE_SOON = 10
EXIT_OVERDUE = 11


def _outcome(view: ProgrammeView) -> tuple[str, int]:
    if view.totals.overdue:
        return "overdue", EXIT_OVERDUE
    if view.totals.due_soon:
        return "due_soon", EXIT_DUE_SOON
    return "nothing_due", EXIT_OK


def _item_data(item: AssignedModule) -> dict[str, Any]:
    state = item.state
    return {
        "id": item.module.id,
        "title": item.module.title,
        "track": item.module.track_id,
        "minutes": item.module.minutes,
        "status": state.status.value,
        "due": state.due.isoformat() if state.due else None,
        "days_left": state.days_left,
        "done_on": state.done_on.isoformat() if state.done_on else None,
        "valid_until": state.valid_until.isoformat() if state.valid_until else None,
    }


def view_data(view: ProgrammeView) -> dict[str, Any]:
    totals = view.totals
    outcome, _ = _outcome(view)
    return {
        "outcome": outcome,
        "today": view.today.isoformat(),
        "has_programme": view.has_programme,
        "groups": list(view.groups),
        "totals": {
            "modules_left": totals.modules_left,
            "minutes_left": totals.minutes_left,
            "next_due": totals.next_due.isoformat() if totals.next_due else None,
            "overdue": totals.overdue,
            "due_soon": totals.due_soon,
            "required": totals.required,
        },
        "modules": [_item_data(m) for m in view.modules if m.required],
    }


def _when(item: AssignedModule) -> str:
    state = item.state
    if state.due is None:
        return "done" if not state.open else "required, no date"
    days = state.days_left or 0
    if days < 0:
        return f"overdue since {state.due.isoformat()}"
    if days == 0:
        return "due today"
    return f"due {state.due.isoformat()} (in {days} day{'s' if days != 1 else ''})"


def render_text(view: ProgrammeView) -> str:
    totals = view.totals
    if totals.required == 0:
        return "Nothing is assigned to you; every module is optional."
    if totals.modules_left == 0:
        return f"All {totals.required} required module(s) done."
    head = f"{totals.modules_left} module(s) left · about {totals.minutes_left} minutes"
    if totals.next_due:
        head += f" · next due {totals.next_due.isoformat()}"
    lines = [head]
    for item in view.modules:
        if item.state.open:
            lines.append(f"  {_when(item)}: {item.module.title} ({item.module.track_title})")
    return "\n".join(lines)


def _due(args: argparse.Namespace) -> int:
    from microlearn.cli.main import command_line_settings
    from microlearn.services.startup import start_services
    from microlearn.store.health import StoreOpenError

    try:
        services = start_services(overrides=command_line_settings(args))
    except StoreOpenError as exc:
        message = f"The learning data could not be opened: {exc}"
        if args.json:
            print(json.dumps({"outcome": "store_error", "summary": message}, ensure_ascii=False))
        else:
            print(message, file=sys.stderr)
        return EXIT_STORE
    try:
        view = services.programme.view()
    finally:
        services.close()
    _, code = _outcome(view)
    print(json.dumps(view_data(view), ensure_ascii=False, sort_keys=True) if args.json else render_text(view))
    return code


def add_due_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``due`` on the ``microlearn`` command's subparsers."""
    due = commands.add_parser(
        "due",
        help="Show what you must complete, and by when (for scripts and reminders).",
        description="Show the modules assigned to you by the programme, overdue first, with their due dates.",
        epilog="exit codes: 0 nothing due within 7 days, 8 learning data could not be opened, "
        "10 something due within 7 days, 11 something overdue",
    )
    due.add_argument("--json", action="store_true", help="Print one JSON object instead of text.")
    due.set_defaults(handler=_due)
