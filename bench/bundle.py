"""The frozen app against a frozen bare PySide6 window: size and cold start, in the same run.

Both are built now, the same way (bench/bare_bundle.spec freezes bench/bare_window.py with
build.spec's options and trimming), then started alternately — bare first paint, app first
paint, app Today with a learner's data — and the medians compared with the bare window's
first paint. Budgets (issue 5): size ≤ 1.15×; first paint ≤ 1.5×; Today with data ≤ 4×.

Usage: python bench/bundle.py [--runs N] [--app-bundle DIR] [--keep]
(--app-bundle reuses an app bundle built from this checkout, e.g. dist/microlearn after
`make bundle`; the bare one is always built here.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from process_timing import PYTHON, REPO, median, report_ratios, timed_run
from startup import prepare

BUDGETS = {"bundle size": 1.15, "first paint": 1.5, "Today with data": 4.0}
sys.path.insert(0, str(REPO / "src"))
from microlearn import APP_NAME  # noqa: E402  (import-light: the name of the app's folder)


def build(spec: Path, work: Path, name: str) -> Path:
    """Freeze ``spec`` into ``work``; PyInstaller's cache stays in ``work`` too."""
    env = dict(os.environ, PYINSTALLER_CONFIG_DIR=str(work / "config"))
    command = [PYTHON, "-m", "PyInstaller", "--noconfirm", "--distpath", str(work / "dist")]
    command += ["--workpath", str(work / "build"), str(spec)]
    log = work / "build.log"
    work.mkdir(parents=True, exist_ok=True)
    with log.open("w") as handle:
        result = subprocess.run(command, env=env, stdout=handle, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"building {spec.name} failed; see {log}")
    return work / "dist" / name


def size_on_disk(folder: Path) -> int:
    """Bytes of every file once (symlinks not followed, hard links counted once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in folder.rglob("*"):
        info = path.lstat()
        if path.is_file() and not path.is_symlink() and (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            total += info.st_size
    return total


def frozen_env(**extra: str) -> dict[str, str]:
    """The environment a learner's launch would have: no PYTHONPATH, Qt offscreen unless set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MICROLEARN_"))}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["MICROLEARN_POLICY"] = ""
    env.update(extra)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--app-bundle", type=Path, help="reuse this app bundle instead of building one")
    parser.add_argument("--keep", action="store_true", help="keep the bundles built (printed folder)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="microlearn-bench-bundle-"))
    try:
        return measure(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def measure(args: argparse.Namespace, work: Path) -> int:
    print(f"building the bundles in {work} …", flush=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        bare_job = pool.submit(build, REPO / "bench" / "bare_bundle.spec", work / "bare", "bare_window")
        app_job = None if args.app_bundle else pool.submit(build, REPO / "build.spec", work / "app", APP_NAME)
        bare_dir = bare_job.result()
        app_dir = args.app_bundle.resolve() if args.app_bundle else app_job.result()  # type: ignore[union-attr]
    bare_exe, app_exe = bare_dir / "bare_window", app_dir / APP_NAME

    data_dir = work / "learner"
    prepare(data_dir)
    app_env = frozen_env(MICROLEARN_DATA_DIR=str(data_dir))
    # One warm-up each: the disk cache, and the app's first look at its bundled content.
    timed_run([str(bare_exe)], frozen_env(), "first-paint")
    timed_run([str(app_exe)], dict(app_env, MICROLEARN_QUIT_AFTER="today"), "today")

    bare, first, today = [], [], []
    for _ in range(args.runs):
        bare.append(timed_run([str(bare_exe)], frozen_env(), "first-paint").seconds)
        first.append(
            timed_run(
                [str(app_exe)], dict(app_env, MICROLEARN_QUIT_AFTER="first-paint"), "first-paint"
            ).seconds
        )
        today.append(timed_run([str(app_exe)], dict(app_env, MICROLEARN_QUIT_AFTER="today"), "today").seconds)

    mb = 1_000_000
    bare_s = median(bare)
    rows = [
        ("bundle size", size_on_disk(app_dir) / mb, size_on_disk(bare_dir) / mb, "MB"),
        ("first paint", median(first), bare_s, "s"),
        ("Today with data", median(today), bare_s, "s"),
    ]
    print(f"bundle bench: one-folder bundles, {args.runs} alternating runs each, medians")
    print("  baseline = bench/bare_window.py frozen with the same options and trimming")
    failed = report_ratios(rows, BUDGETS)
    print("FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
