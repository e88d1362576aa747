"""Start-up time and memory against a bare PySide6 window, measured side by side in one run.

Budgets (issue 2): first paint ≤ 1.5× the bare window's; Today showing data from the store
≤ 4× the bare window's first paint; peak memory at Today ≤ 2.5× the bare window's.
Runs alternate (bare, app first paint, app Today) so machine noise hits all three alike.
The app's bytecode is compiled first, as an installed app has it (pip compiles on install,
the bundle carries it): with PYTHONDONTWRITEBYTECODE set, every run would otherwise
compile the whole package from source, which no learner's start-up does.
Usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import compileall
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from process_timing import PYTHON, REPO, base_env, median, report_ratios, timed_run

BUDGETS = {"first paint": 1.5, "Today with data": 4.0, "peak memory at Today": 2.5}


def prepare(data_dir: Path) -> None:
    """A learner part-way through: content installed, one module done, one in progress."""
    env = base_env(MICROLEARN_DATA_DIR=str(data_dir), MICROLEARN_POLICY="")
    script = (
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
    import subprocess

    subprocess.run([PYTHON, "-c", script], env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    compileall.compile_dir(REPO / "src" / "microlearn", quiet=1)
    data_dir = Path(tempfile.mkdtemp(prefix="microlearn-bench-"))
    prepare(data_dir)
    app_env = base_env(MICROLEARN_DATA_DIR=str(data_dir), MICROLEARN_POLICY="")
    bare, first, today = [], [], []
    for _ in range(args.runs):
        bare.append(timed_run([PYTHON, str(REPO / "bench" / "bare_window.py")], base_env(), "first-paint"))
        first.append(
            timed_run(
                [PYTHON, "-m", "microlearn"],
                dict(app_env, MICROLEARN_QUIT_AFTER="first-paint"),
                "first-paint",
            )
        )
        today.append(
            timed_run([PYTHON, "-m", "microlearn"], dict(app_env, MICROLEARN_QUIT_AFTER="today"), "today")
        )
    bare_s = median([r.seconds for r in bare])
    rows = [
        ("first paint", median([r.seconds for r in first]), bare_s, "s"),
        ("Today with data", median([r.seconds for r in today]), bare_s, "s"),
        (
            "peak memory at Today",
            median([r.peak_rss_mb for r in today]),
            median([r.peak_rss_mb for r in bare]),
            "MB",
        ),
    ]
    print(f"startup bench: {args.runs} alternating runs each, medians; baseline = bare PySide6 window")
    failed = report_ratios(rows, BUDGETS)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
