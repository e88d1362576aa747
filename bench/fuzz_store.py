"""Damage a learner's store in random ways for a while: nothing may crash, hang or lose work.

The store test suite runs the same property 25 times (tests/unit/test_store.py); this runs it
for as long as asked. Each input copies a store that has work before and after its last
backup, overwrites random pages and/or cuts the file short, then opens it as the app does.
Counted: inputs tried; crashes (opening raised); hangs (opening took over --hang seconds);
lost answers (an answer, result or waiting statement the backup held is gone, or a statement
changed); invented ones (a row that never existed). All must be 0.

Usage: python bench/fuzz_store.py [--seconds 60] [--seed N] [--hang 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from tests.support.damaged_store import learner_rows, overwrite_page, work_after_a_backup  # noqa: E402

from microlearn.settings.paths import resolve_paths  # noqa: E402
from microlearn.store import backup  # noqa: E402
from microlearn.store.opening import open_store  # noqa: E402

KINDS = ("answers", "results", "pending")


def damage(database: Path, rng: random.Random) -> str:
    steps = []
    for _ in range(rng.randint(1, 4)):
        size = database.stat().st_size
        if rng.random() < 0.5 and size >= 4096:
            page = rng.randint(1, max(1, size // 4096))
            overwrite_page(database, page)
            steps.append(f"page {page}")
        else:
            percent = rng.randint(0, 100)
            with database.open("r+b") as stream:
                stream.truncate(size * percent // 100)
            steps.append(f"cut {percent}%")
    return ", ".join(steps)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--hang", type=float, default=5.0, help="an open slower than this counts as a hang")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="microlearn-fuzz-store-"))
    os.environ["MICROLEARN_POLICY"] = ""
    try:
        template = work / "template"
        os.environ["MICROLEARN_DATA_DIR"] = str(template)
        before = work_after_a_backup(resolve_paths())
        backed_up = learner_rows(backup.backups(resolve_paths().backup_dir)[0])
        tried = crashes = hangs = lost = invented = 0
        deadline = time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            tried += 1
            folder = work / f"input-{tried}"
            shutil.copytree(template, folder)
            os.environ["MICROLEARN_DATA_DIR"] = str(folder)
            paths = resolve_paths()
            plan = damage(paths.database, rng)
            started = time.monotonic()
            try:
                store = open_store(paths)
            except Exception as exc:  # a crash: the learner would not get their store
                crashes += 1
                print(f"crash on [{plan}]: {type(exc).__name__}: {exc}")
                shutil.rmtree(folder, ignore_errors=True)
                continue
            try:
                after = learner_rows(paths.database)
            finally:
                store.close()
            if time.monotonic() - started > args.hang:
                hangs += 1
                print(f"hang on [{plan}]: {time.monotonic() - started:.1f} s")
            for kind in KINDS:
                if not backed_up[kind] <= after[kind]:
                    lost += len(backed_up[kind] - after[kind])
                    print(f"lost {kind} on [{plan}]: {len(backed_up[kind] - after[kind])}")
                if not after[kind] <= before[kind]:
                    invented += len(after[kind] - before[kind])
                    print(f"invented {kind} on [{plan}]: {len(after[kind] - before[kind])}")
            shutil.rmtree(folder, ignore_errors=True)
        print(
            f"seed {args.seed}: {tried} inputs tried in {args.seconds:.0f} s, {crashes} crashes, "
            f"{hangs} hangs, {lost} lost answers/results/statements, {invented} invented"
        )
        return 0 if crashes == hangs == lost == invented == 0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
