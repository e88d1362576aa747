"""Start-up time and memory against a bare PySide6 window, measured side by side in one run.

Budgets (issue 12), each a ratio of medians over the runs (min / median / max printed):
- first paint ≤ 1.2× the bare window's first paint;
- Today showing data from the store ≤ 1.7× the bare window's first paint;
- peak RSS at Today ≤ 1.3× the bare window's at its first paint: sampled from /proc (VmHWM) the
  moment the app prints its "today" line, the process stopped while it is read, so the ORM
  warm-up that follows Today is not counted (the peak at exit is printed too, for reference);
- peak RSS over the first minute ≤ 1.6× the bare window's over the same window: both kept
  running for ``--window`` seconds (60 by default), then sampled and ended. These runs go side by
  side, a second apart (a peak is what one process allocated; neighbours do not change it).
- first start (an empty data folder → Today with data: schema created, bundled content
  installed) ≤ 0.5 s, and ≤ 0.5× Anki's fresh start (an empty profile folder → its main window
  shown with its deck list; bench/anki_peer.py installs Anki into its own venv on first use).
  If Anki cannot be installed or started, a line says so and only that comparison is skipped.
Timed runs alternate (bare, app first paint, app Today, first start, Anki) so machine noise
hits them all alike.
The app's bytecode is compiled first, as an installed app has it (pip compiles on install,
the bundle carries it): with PYTHONDONTWRITEBYTECODE set, every run would otherwise
compile the whole package from source, which no learner's start-up does.
How to run: python bench/startup.py [--runs N] [--window SECONDS] [--no-anki]
(exit 1 if over a budget; about a minute and a half with the defaults)
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from anki_peer import AnkiStart, AnkiUnavailableError, ensure_anki, fresh_start
from process_timing import PYTHON, REPO, Budget, Spread, base_env, marked_run, report_budgets, window_peaks

BARE = [PYTHON, str(REPO / "bench" / "bare_window.py")]
APP = [PYTHON, "-m", "microlearn"]

PREPARE_SCRIPT = (
    "from microlearn.services.startup import start_services\n"
    "s = start_services()\n"
    "v = s.learning.open_attempt('reading-model-outputs')\n"
    "for i in range(len(v.module.cards)): v = s.learning.show_card(v.attempt_id, i, 30.0 * i)\n"
    "v = s.learning.start_check(v.attempt_id, 300)\n"
    "for d in v.drawn: s.learning.answer_question(v.attempt_id, d.question_id,"
    " v.module.question(d.question_id).correct_ids, 400)\n"
    "s.learning.finish_check(v.attempt_id, 500)\n"
    "v = s.learning.open_attempt('data-privacy-and-security')\n"
    "s.learning.show_card(v.attempt_id, 2, 100)\n"
    "s.close()\n"
)


def app_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return base_env(MICROLEARN_DATA_DIR=str(data_dir), MICROLEARN_POLICY="", **extra)


def prepare(data_dir: Path, **extra_env: str) -> None:
    """A learner part-way through: content installed, one module done, one in progress."""
    subprocess.run([PYTHON, "-c", PREPARE_SCRIPT], env=app_env(data_dir, **extra_env), check=True)


def spread(values: list[float]) -> Spread:
    return Spread(tuple(values))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each kind (default 10)")
    parser.add_argument(
        "--window", type=float, default=60.0, help="seconds of the memory window (default 60)"
    )
    parser.add_argument("--no-anki", action="store_true", help="skip the Anki peer (says so in the output)")
    args = parser.parse_args()
    anki_skipped = "not asked for (--no-anki)" if args.no_anki else None
    anki_version = ""
    if anki_skipped is None:
        try:
            anki_version = ensure_anki()
            fresh_start()  # untimed: Anki's first start after an install compiles and caches
        except AnkiUnavailableError as exc:
            anki_skipped = str(exc)
    compileall.compile_dir(REPO / "src" / "microlearn", quiet=1)
    # As the app's build does (build.spec): the bundled content compiled into a ready store, so
    # a first start copies it. Removed afterwards: a source checkout parses, as it always did.
    compiled = REPO / "src" / "microlearn" / "content" / "compiled"
    made_compiled = not compiled.exists()
    subprocess.run([PYTHON, "-m", "microlearn.services.content_compile"], env=base_env(), check=True)
    work = Path(tempfile.mkdtemp(prefix="microlearn-bench-"))
    try:
        data_dir = work / "learner"
        prepare(data_dir)
        bare, first, today, first_start = [], [], [], []
        anki: list[AnkiStart] = []
        for n in range(args.runs):
            bare.append(marked_run(BARE, base_env(), "first-paint"))
            first.append(
                marked_run(APP, app_env(data_dir, MICROLEARN_QUIT_AFTER="first-paint"), "first-paint")
            )
            today.append(marked_run(APP, app_env(data_dir, MICROLEARN_QUIT_AFTER="today"), "today"))
            empty = work / f"new-laptop-{n}"
            empty.mkdir()
            first_start.append(marked_run(APP, app_env(empty, MICROLEARN_QUIT_AFTER="today"), "today"))
            if anki_skipped is None:
                try:
                    anki.append(fresh_start())
                except AnkiUnavailableError as exc:
                    anki_skipped = str(exc)

        # Each app instance in the window needs its own data folder: one per folder may run.
        commands: list[tuple[list[str], dict[str, str]]] = []
        for n in range(args.runs):
            copy = work / f"window-{n}"
            shutil.copytree(data_dir, copy)
            commands += [([*BARE, "--stay"], base_env()), (APP, app_env(copy))]
        peaks = window_peaks(commands, args.window, stagger_s=1.0)
        bare_window, app_window = peaks[0::2], peaks[1::2]
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if made_compiled:
            shutil.rmtree(compiled, ignore_errors=True)

    bare_paint = spread([r.seconds for r in bare])
    budgets = [
        Budget("first paint", spread([r.seconds for r in first]), bare_paint, "s", 1.2),
        Budget("Today with data", spread([r.seconds for r in today]), bare_paint, "s", 1.7),
        Budget(
            "peak RSS at Today",
            spread([r.at_marker.peak_mb for r in today]),
            spread([r.at_marker.peak_mb for r in bare]),
            "MB",
            1.3,
        ),
        Budget(f"peak RSS over {args.window:g} s", spread(app_window), spread(bare_window), "MB", 1.6),
        Budget("first start to Today", spread([r.seconds for r in first_start]), None, "s", 0.5),
    ]
    if anki_skipped is None:
        budgets.append(
            Budget(
                "first start vs Anki's",
                spread([r.seconds for r in first_start]),
                spread([r.shown_s for r in anki]),
                "s",
                0.5,
                baseline_name="Anki",
            )
        )
    print(
        f"startup bench: {args.runs} alternating runs each, min / median / max; ratios of medians; "
        "baseline = bare PySide6 window (bare: its first paint)"
    )
    failed = report_budgets(budgets)
    lag = max(r.sample_lag_s for r in today + bare)
    print(
        f"  (RSS at Today sampled at most {lag * 1000:.1f} ms after the app's line; for reference, the peak "
        f"at exit of the same runs: ours {spread([r.peak_at_exit_mb for r in today]).text('MB')}, "
        f"RSS at Today {spread([r.at_marker.rss_mb for r in today]).text('MB')})"
    )
    if anki_skipped is None:
        print(
            f"  (Anki {anki_version}'s fresh start: main window painted "
            f"{spread([r.paint_s for r in anki]).text('s')}, "
            f"deck list rendered {spread([r.decks_s for r in anki]).text('s')})"
        )
    else:
        print(f"  Anki peer SKIPPED, so 'first start vs Anki's' is not judged: {anki_skipped}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
