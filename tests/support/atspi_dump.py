"""Print, as JSON, what a screen reader is told about one running application (AT-SPI).

Run by the system Python, which has pyatspi (Debian package python3-pyatspi; it is not on
PyPI): ``python3 atspi_dump.py PID``. It reads the application whose process id is PID from
the accessibility bus of this session (DBUS_SESSION_BUS_ADDRESS) and prints one object per
line of its tree that is showing: role, name, description, states, its text, depth. This is
the same interface Orca reads; nothing here asks Qt.

``python3 atspi_dump.py --listen`` instead prints ``listening``, then collects what
applications announce (``object:announcement``: what a screen reader says unasked) until a
line arrives on its standard input, and prints them as a JSON list.

Kept to the standard library and pyatspi, since it runs outside the project's environment.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import pyatspi  # type: ignore[import-not-found, unused-ignore]

STATES = {
    "focusable": pyatspi.STATE_FOCUSABLE,
    "focused": pyatspi.STATE_FOCUSED,
    "showing": pyatspi.STATE_SHOWING,
    "enabled": pyatspi.STATE_ENABLED,
    "checked": pyatspi.STATE_CHECKED,
}
MAX_OBJECTS = 3000  # a runaway tree fails the test instead of hanging it


def find_application(pid: int, wait_s: float) -> Any:
    deadline = time.monotonic() + wait_s
    while True:
        desktop = pyatspi.Registry.getDesktop(0)
        for index in range(desktop.childCount):
            app = desktop.getChildAtIndex(index)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # an application that left the bus meanwhile
                continue
        if time.monotonic() > deadline:
            raise SystemExit(f"no application with process id {pid} on the accessibility bus")
        time.sleep(0.2)


def text_of(node: Any) -> str | None:
    try:
        text = node.queryText()
    except NotImplementedError:
        return None
    return str(text.getText(0, -1))


def walk(node: Any, depth: int, out: list[dict[str, Any]]) -> None:
    if len(out) >= MAX_OBJECTS:
        raise SystemExit(f"more than {MAX_OBJECTS} accessible objects")
    states = node.getState()
    facts = {name: states.contains(state) for name, state in STATES.items()}
    if depth > 1 and not facts["showing"]:
        return  # hidden pages and widgets: a screen reader does not reach them either
    out.append(
        {
            "depth": depth,
            "role": node.getRoleName(),
            "name": node.name or "",
            "description": node.description or "",
            "text": text_of(node),
            **facts,
        }
    )
    for index in range(node.childCount):
        child = node.getChildAtIndex(index)
        if child is not None:
            walk(child, depth + 1, out)


def listen() -> None:
    from gi.repository import GLib  # type: ignore[import-not-found, unused-ignore]

    heard: list[str] = []

    def on_announcement(event: Any) -> None:
        heard.append(str(event.any_data))

    def stop(*_args: object) -> bool:
        pyatspi.Registry.stop()
        return False

    pyatspi.Registry.registerEventListener(on_announcement, "object:announcement")
    GLib.io_add_watch(sys.stdin, GLib.IO_IN | GLib.IO_HUP, stop)
    GLib.timeout_add_seconds(60, stop)  # the test never waits forever
    print("listening", flush=True)
    pyatspi.Registry.start()
    print(json.dumps(heard), flush=True)


def main() -> None:
    if sys.argv[1] == "--listen":
        listen()
        return
    pid = int(sys.argv[1])
    app = find_application(pid, wait_s=20)
    objects: list[dict[str, Any]] = []
    walk(app, 0, objects)
    print(json.dumps(objects))


if __name__ == "__main__":
    main()
