"""The peer for the first-start bench: Anki desktop's fresh start, timed the way we time ours.

Anki installs from PyPI as ``aqt`` (with ``anki`` and its Qt 6 wheels) into its own virtual
environment under the user cache folder, never into the project's: its pins are not ours.
A fresh start is Anki opened on an empty base folder (``-b``), timed from spawning the
process to its main window showing the deck list (the moment it shows data, as Today
does for us); its main window's first paint is reported too. Anki prints no marker, so a
tiny launcher registers Anki's own GUI hooks, prints ``anki-paint`` / ``anki-decks`` lines and
the bench ends the process (a throwaway profile: nothing of value is lost). The first-start
language dialog is answered with the language it proposes, without drawing it: a person's
clicks are not Anki's start-up time.
How to run on its own: python bench/anki_peer.py [--runs N]   (installs Anki on first use)
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import platformdirs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from process_timing import Spread

ANKI_REQUIREMENT = "aqt[qt6]"
VENV = Path(platformdirs.user_cache_dir("microlearn", appauthor=False)) / "bench" / "anki-venv"
ANKI_PYTHON = VENV / "bin" / "python"
# A fresh start of Anki on a loaded 2-core machine takes about a second; more means stuck.
DEADLINE_S = 60.0

# Runs inside Anki's venv. The hooks are Anki's public ones; the paint filter sits on the
# main window, installed as soon as it exists. The deck browser renders in a web view:
# ``deck_browser_did_render`` fires when its HTML is in place.
LAUNCHER = """
import sys, time
from aqt import gui_hooks
from aqt.qt import QEvent, QObject

class FirstPaint(QObject):
    done = False
    def eventFilter(self, watched, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print(f"anki-paint {time.time():.6f}", flush=True)
        return False

spy = FirstPaint()

def main_window_ready():
    import aqt
    aqt.mw.installEventFilter(spy)

def decks_shown(*_args):
    print(f"anki-decks {time.time():.6f}", flush=True)

# A first start asks for a language in a modal dialog, then asks to confirm it: a person
# answers with the language it proposes. Take that answer at once (the dialog is not drawn).
from aqt.profiles import ProfileManager
import anki.lang

def answer_language(self, idx):
    self.setLang(anki.lang.langs[idx][1])

ProfileManager.setDefaultLang = answer_language

# Checking AnkiWeb for updates starts in the background once the profile is open; a bench
# does not call the internet.
from aqt.main import AnkiQt

AnkiQt.maybe_check_for_addon_updates = lambda self, on_done=None: None
gui_hooks.main_window_did_init.append(main_window_ready)
gui_hooks.deck_browser_did_render.append(decks_shown)
import aqt
sys.argv = ["anki"] + sys.argv[1:]
aqt.run()
"""


class AnkiUnavailableError(Exception):
    """Anki could not be installed or started; the message says what was tried."""


@dataclass(frozen=True)
class AnkiStart:
    paint_s: float  # spawn → main window's first paint
    decks_s: float  # spawn → deck list rendered

    @property
    def shown_s(self) -> float:
        """Main window shown with its deck list: the later of the two."""
        return max(self.paint_s, self.decks_s)


def ensure_anki() -> str:
    """Install Anki into its own venv unless it is there; returns its version."""
    if not ANKI_PYTHON.exists():
        VENV.parent.mkdir(parents=True, exist_ok=True)
        made = subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(VENV)], capture_output=True, text=True
        )
        if made.returncode != 0:
            raise AnkiUnavailableError(
                f"could not create a virtual environment at {VENV}: {made.stderr.strip()}"
            )
    probe = [str(ANKI_PYTHON), "-c", "import aqt, anki.buildinfo as b; print(b.version)"]
    found = subprocess.run(probe, capture_output=True, text=True)
    if found.returncode == 0:
        return found.stdout.strip()
    installed = subprocess.run(
        [str(ANKI_PYTHON), "-m", "pip", "install", "--quiet", ANKI_REQUIREMENT],
        capture_output=True,
        text=True,
    )
    if installed.returncode != 0:
        tail = installed.stderr.strip().splitlines()[-3:]
        raise AnkiUnavailableError(f"pip install {ANKI_REQUIREMENT} into {VENV} failed: {' / '.join(tail)}")
    found = subprocess.run(probe, capture_output=True, text=True)
    if found.returncode != 0:
        raise AnkiUnavailableError(
            f"Anki installed into {VENV} but does not import: {found.stderr.strip()[-300:]}"
        )
    return found.stdout.strip()


def anki_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Qt WebEngine's sandbox needs user namespaces, which containers and root often lack.
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return env


def _lines(stream: IO[str], into: queue.Queue[str | None]) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


def fresh_start() -> AnkiStart:
    """One fresh start: a new empty base folder, spawned, timed until its main window has painted
    and its deck list has rendered (in either order), then ended."""
    base = Path(tempfile.mkdtemp(prefix="anki-fresh-"))
    try:
        start = time.time()
        process = subprocess.Popen(
            [str(ANKI_PYTHON), "-c", LAUNCHER, "-b", str(base)],
            env=anki_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its web engine helpers end with it
        )
        assert process.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
        seen: dict[str, float] = {}
        try:
            while len(seen) < 2:
                line = lines.get(timeout=max(0.1, start + DEADLINE_S - time.time()))
                if line is None:
                    break
                name, _, stamp = line.partition(" ")
                if name in ("anki-paint", "anki-decks"):
                    seen.setdefault(name, float(stamp) - start)
        except queue.Empty:
            pass
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if len(seen) < 2:
            raise AnkiUnavailableError(
                f"Anki started but did not show its main window with the deck list within {DEADLINE_S:g} s "
                f"(saw {sorted(seen) or 'nothing'}; exit status {process.returncode})"
            )
        return AnkiStart(paint_s=seen["anki-paint"], decks_s=seen["anki-decks"])
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    try:
        version = ensure_anki()
        fresh_start()  # untimed: the first start after an install compiles and caches
        runs = [fresh_start() for _ in range(args.runs)]
    except AnkiUnavailableError as exc:
        print(f"Anki peer skipped: {exc}")
        return 1
    print(f"Anki {version}, fresh start (empty base folder), {args.runs} runs, min / median / max:")
    for name, values in (
        ("main window painted", [r.paint_s for r in runs]),
        ("deck list rendered", [r.decks_s for r in runs]),
        ("shown with its decks", [r.shown_s for r in runs]),
    ):
        print(f"  {name:21s} {Spread(tuple(values)).text('s')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
