"""Today at scale: 2,000 modules and a million answers, against the shipped 13 and a small store.

Budgets (issue 12), ratios of medians of the app's start → Today with data (its "today" line):
- Today with 2,000 modules (warm) ≤ 1.3× Today with the shipped 13 modules;
- Today with 2,000 modules and 1,000,000 answers ≤ 1.5× the 13-module small store, warm and
  cold (cold: the page cache dropped for each store's .db / -wal / -shm files before each run,
  with posix_fadvise(DONTNEED), which needs no root; the content files and Python stay cached);
- content install ≤ 5 ms per module (the 2,000 modules into a new store, timed in-process
  around the app's own install; the shipped 13 are printed beside it).
The stores are built once and cached under the user cache folder (printed; a few GB, rebuilt
when the migrations, the shipped content or this generator change, older builds removed):
- a content tree of 2,000 modules, each a copy of a shipped module under a new id, in 20
  tracks, installed by the app's own start-up (``start_services``);
- "small": that install plus the learner of bench/startup.py (one module done, one open),
  recorded through the app's LearningService;
- "1M": a copy of "small" plus one real passed attempt on a copy of each shipped module, then
  those attempts cloned in the real schema (new registrations, statement ids and times spread
  over three years, statements rewritten to match) until there are 1,000,000 answers, spread
  over 1,500 of the modules (500 stay untouched); their statements are all "sent".
If the store gains tables that the answer path keeps in step (summaries, counters), the
cloning below must fill them too, or the 1M store is not what the app would have written.
Each store gets one untimed start first (it may take the day's backup; printed). The app's
backups of the cached stores are removed at the end, so they never pile up.
How to run: python bench/scale.py [--runs N] [--cold-runs N] [--skip-install]
(exit 1 if over a budget; the first build takes a few minutes, later runs reuse it)
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import platformdirs
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from process_timing import PYTHON, REPO, Budget, Spread, base_env, marked_run, report_budgets
from startup import APP, prepare

from microlearn.content.source_files import MODULE_FILE, TRACK_FILE, fingerprint

GENERATOR_VERSION = "1"  # raise whenever the stores below are built differently: it names the cache
MODULES = 2_000
TRACKS = 20
ANSWERS = 1_000_000
MODULES_WITH_HISTORY = 1_500
HISTORY_DAYS = 3 * 365
SHIPPED = REPO / "content"
STORE_FILE = "microlearn.sqlite3"
CACHE_ROOT = Path(platformdirs.user_cache_dir("microlearn", appauthor=False)) / "bench"

# Runs in the app's environment: the learner of bench/startup.py, on the generated module ids.
LEARNER_SCRIPT = """
import json, sys
from microlearn.services.startup import start_services
done, open_id = json.loads(sys.argv[1])
s = start_services()
for module_id in done:
    v = s.learning.open_attempt(module_id)
    for i in range(len(v.module.cards)): v = s.learning.show_card(v.attempt_id, i, 30.0 * i)
    v = s.learning.start_check(v.attempt_id, 300)
    for d in v.drawn:
        s.learning.answer_question(v.attempt_id, d.question_id, v.module.question(d.question_id).correct_ids, 400)
    s.learning.finish_check(v.attempt_id, 500)
if open_id:
    v = s.learning.open_attempt(open_id)
    s.learning.show_card(v.attempt_id, 2, 100)
s.close()
"""

# Times inside the statements, as the app writes them ("2026-12-04T18:38:29.724Z").
STATEMENT_TIMESTAMP = re.compile(r'"timestamp":"([0-9T:.\-]+)Z"')
DB_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def shipped_modules() -> list[tuple[str, Path]]:
    """(track folder name, module folder) of every shipped module, in a fixed order."""
    return sorted(
        (track.name, module)
        for track in SHIPPED.iterdir()
        if (track / TRACK_FILE).is_file()
        for module in track.iterdir()
        if (module / MODULE_FILE).is_file()
    )


def module_index(module_id: str) -> int:
    return int(module_id.rsplit("-", 1)[1])


def generated_id(index: int) -> str:
    sources = shipped_modules()
    return f"{sources[index % len(sources)][1].name}-{index:04d}"


def cache_dir() -> Path:
    key = hashlib.sha256()
    key.update(GENERATOR_VERSION.encode())
    for migration in sorted((REPO / "src" / "microlearn" / "store" / "migrations").rglob("*.py")):
        key.update(migration.read_bytes())
    key.update(fingerprint(SHIPPED).encode())
    return CACHE_ROOT / f"scale-{key.hexdigest()[:12]}"


def write_content(tree: Path) -> None:
    """2,000 modules, each a shipped one under a new id and title, 100 to a track."""
    sources = shipped_modules()
    per_track = MODULES // TRACKS
    for t in range(TRACKS):
        track_dir = tree / f"scale-track-{t:02d}"
        track_dir.mkdir(parents=True)
        ids = []
        for index in range(t * per_track, (t + 1) * per_track):
            _track, source = sources[index % len(sources)]
            new_id = generated_id(index)
            shutil.copytree(source, track_dir / new_id)
            module_file = track_dir / new_id / MODULE_FILE
            text = module_file.read_text(encoding="utf-8")
            text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1)
            line = re.search(r"(?m)^title: .*$", text)
            assert line is not None, module_file
            title = yaml.safe_load(line.group(0))["title"]
            # JSON quoting is valid YAML whatever the title holds.
            new_line = f"title: {json.dumps(f'{title} ({index})')}"
            text = text[: line.start()] + new_line + text[line.end() :]
            module_file.write_text(text, encoding="utf-8")
            ids.append(new_id)
        listing = "\n".join(f"  - {i}" for i in ids)
        (track_dir / TRACK_FILE).write_text(
            f"id: scale-track-{t:02d}\ntitle: Scale track {t:02d}\naudience: Everyone\n"
            f"description: Generated for the scale bench.\nmandatory: {'true' if t < 5 else 'false'}\n"
            f"modules:\n{listing}\n",
            encoding="utf-8",
        )


def app_env(data_dir: Path, content: Path | None, **extra: str) -> dict[str, str]:
    env = base_env(MICROLEARN_DATA_DIR=str(data_dir), MICROLEARN_POLICY="", **extra)
    if content is not None:
        env["MICROLEARN_CONTENT_DIR"] = str(content)
    return env


def run_learner(data_dir: Path, content: Path, done: list[str], open_id: str | None) -> None:
    subprocess.run(
        [PYTHON, "-c", LEARNER_SCRIPT, json.dumps([done, open_id])],
        env=app_env(data_dir, content),
        check=True,
    )


def copy_store(source: Path, target: Path) -> None:
    """A consistent copy of the store file (SQLite's backup API), into an empty data folder."""
    target.mkdir(parents=True)
    src, dst = sqlite3.connect(source / STORE_FILE), sqlite3.connect(target / STORE_FILE)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    (target / STORE_FILE).chmod(0o600)


def shift(text: str, delta: timedelta) -> str:
    return (datetime.strptime(text, DB_TIME_FORMAT) - delta).strftime(DB_TIME_FORMAT)


def shifted_statement_time(match: re.Match[str], delta: timedelta) -> str:
    moment = datetime.fromisoformat(match.group(1)) - delta
    return f'"timestamp":"{moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]}Z"'


def clone_history(data_dir: Path, seed_modules: list[str]) -> dict[str, int]:
    """Clone the finished attempts on ``seed_modules`` (with their answers, results and
    statements) onto other modules made from the same shipped one, until ANSWERS answers."""
    db = sqlite3.connect(data_dir / STORE_FILE, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=DELETE")  # one bulk load, not a multi-GB WAL; WAL again below
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-200000")
    modules = {r["id"]: r for r in db.execute("SELECT pk, id, version, track_id FROM modules WHERE active")}
    tracks = {r["id"]: r["title"] for r in db.execute("SELECT id, title FROM tracks")}
    columns = {
        table: [r["name"] for r in db.execute(f"PRAGMA table_info({table})")]
        for table in ("attempts", "answers", "results", "outbox")
    }
    time_columns = {
        table: {
            r["name"] for r in db.execute(f"PRAGMA table_info({table})") if "DATETIME" in r["type"].upper()
        }
        for table in columns
    }
    seeds = []
    for module_id in seed_modules:
        attempt = db.execute(
            "SELECT * FROM attempts WHERE module_id = ? AND finished_at IS NOT NULL", (module_id,)
        ).fetchone()
        registration = attempt["registration"]
        seeds.append(
            {
                "attempt": dict(attempt),
                "answers": [
                    dict(r)
                    for r in db.execute("SELECT * FROM answers WHERE attempt_id = ?", (attempt["id"],))
                ],
                "results": [
                    dict(r)
                    for r in db.execute("SELECT * FROM results WHERE registration = ?", (registration,))
                ],
                "outbox": [
                    dict(r)
                    for r in db.execute(
                        "SELECT * FROM outbox WHERE statement_json LIKE ?", (f"%{registration}%",)
                    )
                ],
            }
        )
    # Module i is a copy of shipped module i % len(sources); the seeds sit on modules 0..12.
    seed_for = {module_index(s["attempt"]["module_id"]) % len(seeds): s for s in seeds}
    targets = [generated_id(i) for i in range(len(seeds), MODULES_WITH_HISTORY)]
    numbers: dict[str, int] = {}
    next_id = {t: (db.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]) + 1 for t in columns}
    rng = random.Random(12)
    counts = {"attempts": 0, "answers": 0, "results": 0, "outbox": 0}
    batch: dict[str, list[tuple[object, ...]]] = {t: [] for t in columns}
    span = timedelta(days=HISTORY_DAYS)

    def flush() -> None:
        db.execute("BEGIN")
        for table, rows in batch.items():
            if rows:
                marks = ", ".join("?" for _ in columns[table])
                db.executemany(f"INSERT INTO {table} ({', '.join(columns[table])}) VALUES ({marks})", rows)
                rows.clear()
        db.execute("COMMIT")

    clone = 0
    while counts["answers"] < ANSWERS:
        target_id = targets[clone % len(targets)]
        seed = seed_for[module_index(target_id) % len(seeds)]
        target = modules[target_id]
        seed_attempt = seed["attempt"]
        seed_module = modules[seed_attempt["module_id"]]
        # Oldest first, the newest a day before the seeds: history never reaches the future.
        delta = span * (1 - counts["answers"] / ANSWERS) + timedelta(days=1, seconds=rng.random() * 3600)
        registration = str(uuid.uuid4())
        session = str(uuid.uuid4())
        numbers[target_id] = numbers.get(target_id, 0) + 1
        attempt_id = next_id["attempts"]
        next_id["attempts"] += 1
        row = dict(seed_attempt)
        row.update(
            id=attempt_id,
            registration=registration,
            module_pk=target["pk"],
            module_id=target_id,
            module_version=target["version"],
            number=numbers[target_id],
            session_id=session,
        )
        for column in time_columns["attempts"]:
            if row[column]:
                row[column] = shift(row[column], delta)
        batch["attempts"].append(tuple(row[c] for c in columns["attempts"]))
        for seed_answer in seed["answers"]:
            row = dict(seed_answer, id=next_id["answers"], attempt_id=attempt_id)
            next_id["answers"] += 1
            row["answered_at"] = shift(row["answered_at"], delta)
            batch["answers"].append(tuple(row[c] for c in columns["answers"]))
            counts["answers"] += 1
        new_statement_ids = {r["statement_id"]: str(uuid.uuid4()) for r in seed["outbox"]}
        for seed_result in seed["results"]:
            row = dict(seed_result, id=next_id["results"], registration=registration, module_id=target_id)
            next_id["results"] += 1
            row["module_version"] = target["version"]
            row["recorded_at"] = shift(row["recorded_at"], delta)
            if row["statement_id"]:
                row["statement_id"] = new_statement_ids.get(row["statement_id"], str(uuid.uuid4()))
            batch["results"].append(tuple(row[c] for c in columns["results"]))
        for seed_statement in seed["outbox"]:
            text = seed_statement["statement_json"]
            for old, new in (
                (seed_attempt["registration"], registration),
                (seed_attempt["session_id"], session),
                (seed_statement["statement_id"], new_statement_ids[seed_statement["statement_id"]]),
                (f"/modules/{seed_attempt['module_id']}", f"/modules/{target_id}"),
                (f'/tracks/{seed_module["track_id"]}"', f'/tracks/{target["track_id"]}"'),
                (f'{{"en":"{tracks[seed_module["track_id"]]}"}}', f'{{"en":"{tracks[target["track_id"]]}"}}'),
            ):
                text = text.replace(old, new)
            text = STATEMENT_TIMESTAMP.sub(lambda m, d=delta: shifted_statement_time(m, d), text)
            created = shift(seed_statement["created_at"], delta)
            sent = (datetime.strptime(created, DB_TIME_FORMAT) + timedelta(seconds=40)).strftime(
                DB_TIME_FORMAT
            )
            row = dict(
                seed_statement,
                id=next_id["outbox"],
                statement_id=new_statement_ids[seed_statement["statement_id"]],
                statement_json=text,
                status="sent",
                tries=1,
                last_error=None,
                created_at=created,
                sent_at=sent,
            )
            next_id["outbox"] += 1
            batch["outbox"].append(tuple(row[c] for c in columns["outbox"]))
        counts["attempts"] += 1
        counts["results"] += len(seed["results"])
        counts["outbox"] += len(seed["outbox"])
        clone += 1
        if len(batch["outbox"]) >= 50_000:
            flush()
    flush()
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return counts


def build(cache: Path) -> None:
    print(f"building the scale stores in {cache} (once; a few minutes) ...", flush=True)
    if cache.exists():
        shutil.rmtree(cache)
    for stale in CACHE_ROOT.glob("scale-*"):
        print(f"  removing an older build: {stale}", flush=True)
        shutil.rmtree(stale)
    started = time.monotonic()
    content = cache / "content"
    write_content(content)
    small = cache / "small"
    sources = shipped_modules()
    done = next(i for i, (_t, m) in enumerate(sources) if m.name == "reading-model-outputs")
    open_ = next(i for i, (_t, m) in enumerate(sources) if m.name == "data-privacy-and-security")
    run_learner(small, content, [generated_id(done)], generated_id(open_))
    print(f"  content installed, small store ready ({time.monotonic() - started:.0f} s)", flush=True)
    large = cache / "1m"
    copy_store(small, large)
    seed_modules = [generated_id(i) for i in range(len(sources)) if i != done]
    run_learner(large, content, seed_modules, None)
    counts = clone_history(large, [generated_id(done), *seed_modules])
    size = (large / STORE_FILE).stat().st_size / 1e9
    print(
        f"  1M store: {counts['answers']:,} answers, {counts['attempts']:,} attempts, {counts['results']:,} "
        f"results, {counts['outbox']:,} sent statements, {size:.2f} GB ({time.monotonic() - started:.0f} s)",
        flush=True,
    )
    (cache / "built.json").write_text(json.dumps(counts))


def drop_page_cache(data_dir: Path) -> None:
    """Evict the store's files from the page cache (dirty pages are written back first)."""
    for name in (STORE_FILE, f"{STORE_FILE}-wal", f"{STORE_FILE}-shm"):
        path = data_dir / name
        if not path.exists():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


INSTALL_SCRIPT = """
import json, sys, time
from pathlib import Path
from microlearn.settings.paths import resolve_paths
from microlearn.store.opening import open_store
from microlearn.services.content_install import install
store = open_store(resolve_paths())
started = time.perf_counter()
report = install(store, Path(sys.argv[1]))
print("install", json.dumps({"seconds": time.perf_counter() - started, "modules": report.module_count}))
store.close()
"""


def install_ms_per_module(content: Path, work: Path) -> float:
    data_dir = Path(tempfile.mkdtemp(prefix="install-", dir=work))
    done = subprocess.run(
        [PYTHON, "-c", INSTALL_SCRIPT, str(content)],
        env=app_env(data_dir, None),
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("install "))
    figures = json.loads(line.split(" ", 1)[1])
    if not figures["modules"]:
        raise RuntimeError(f"installing {content} installed nothing")
    return 1000 * figures["seconds"] / figures["modules"]


def today(data_dir: Path, content: Path | None, cold: bool) -> float:
    if cold:
        drop_page_cache(data_dir)
    return marked_run(APP, app_env(data_dir, content, MICROLEARN_QUIT_AFTER="today"), "today").seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="warm runs of each store (default 5)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs of each store (default 3)")
    parser.add_argument("--skip-install", action="store_true", help="do not time the content install")
    args = parser.parse_args()
    compileall.compile_dir(REPO / "src" / "microlearn", quiet=1)
    cache = cache_dir()
    if not (cache / "built.json").exists():
        build(cache)
    counts = json.loads((cache / "built.json").read_text())
    content, small, large = cache / "content", cache / "small", cache / "1m"
    work = Path(tempfile.mkdtemp(prefix="microlearn-scale-"))
    try:
        base = work / "base"
        prepare(base)
        stores = {
            "13 modules": (base, None),
            "2,000 modules": (small, content),
            "2,000 + 1M answers": (large, content),
        }
        for name, (data_dir, tree) in stores.items():
            print(f"  untimed first start, {name}: {today(data_dir, tree, cold=False):.2f} s", flush=True)
        warm: dict[str, list[float]] = {name: [] for name in stores}
        cold: dict[str, list[float]] = {name: [] for name in stores}
        for _ in range(args.runs):
            for name, (data_dir, tree) in stores.items():
                warm[name].append(today(data_dir, tree, cold=False))
        for _ in range(args.cold_runs):
            for name in ("13 modules", "2,000 + 1M answers"):
                data_dir, tree = stores[name]
                cold[name].append(today(data_dir, tree, cold=True))
        install_2000 = None if args.skip_install else install_ms_per_module(content, work)
        install_13 = None if args.skip_install else install_ms_per_module(SHIPPED, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for data_dir in (small, large):
            shutil.rmtree(data_dir / "backups", ignore_errors=True)

    def s(values: list[float]) -> Spread:
        return Spread(tuple(values))

    budgets = [
        Budget(
            "Today, 2,000 modules (warm)", s(warm["2,000 modules"]), s(warm["13 modules"]), "s", 1.3, "13"
        ),
        Budget(
            "Today, + 1M answers (warm)", s(warm["2,000 + 1M answers"]), s(warm["13 modules"]), "s", 1.5, "13"
        ),
        Budget(
            "Today, + 1M answers (cold)", s(cold["2,000 + 1M answers"]), s(cold["13 modules"]), "s", 1.5, "13"
        ),
    ]
    if install_2000 is not None:
        budgets.append(Budget("install per module (2,000)", s([install_2000]), None, "ms", 5.0))
    print(
        f"scale bench: start → Today, {args.runs} warm / {args.cold_runs} cold runs, min / median / max; "
        f"ratios of medians; baseline '13' = the shipped 13 modules and a small store. 1M store: "
        f"{counts['answers']:,} answers, {counts['outbox']:,} statements, "
        f"{(large / STORE_FILE).stat().st_size / 1e9:.2f} GB, in {cache}"
    )
    failed = report_budgets(budgets)
    if install_13 is not None:
        print(f"  (install per module, the shipped 13: {install_13:.1f} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
