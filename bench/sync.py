"""Sync throughput and memory against a real Ralph LRS, with baselines from the same run.

    PYTHONPATH=src python bench/sync.py [--n 10000] [--batch 100] [--rounds 2] [--dir DIR]

Throughput. ``--n`` pending statements (a few recorded through the real services, the rest
clones of those frozen statements with fresh UUIDs, inserted directly) are synced by
``SyncService.sync_now`` — the whole path: lock, batches streamed from the store, POST,
marking each batch sent in its own transaction — to a fresh Ralph. The baseline is a raw
``httpx`` loop POSTing the very same JSON bodies in the same batch size to another fresh
Ralph (bodies prepared before the clock starts: it is the network and the LRS alone).
``--rounds`` pairs (default 3) are run, alternating which side goes first; the ratio is total ours /
total raw. Budget: ≤ 1.2×.

Memory. The tracemalloc peak of ``sync_now`` for 1,000 and for 10,000 pending statements
(fresh stores, one Ralph, after an untimed warm-up run so imports and caches are not
counted). The outbox is streamed, so the peak must not grow with its size: budget ≤ 1.25×.

Strict mode. ``--strict-n`` statements (default 1,000; 0 skips it) are sent through the
strict-LRS emulation (tests/support/lrs/strict_lrs.py) in front of a fresh Ralph, then
marked pending again (a store restored from an older backup) and synced once more: every
batch then meets a 409, and each is settled by reading back what the LRS holds. Budget: the
re-sync takes ≤ 2× the first send.

Exits 1 if a budget is missed. Ralph runs in its own cached virtual environment
(tests/lrs/ralph_server.py); the first run builds it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.support.locations import REPO

sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))  # tests.support.lrs.ralph_server
os.environ.setdefault("MICROLEARN_POLICY", "")  # no site policy on the machine running this
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_name, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

import httpx  # noqa: E402
from tests.support.lrs.fault_proxy import FaultProxy  # noqa: E402
from tests.support.lrs.ralph_server import RalphServer  # noqa: E402

from microlearn.records.statements import freeze  # noqa: E402
from microlearn.records.sync_outcome import Outcome, SyncReport  # noqa: E402
from microlearn.services.startup import start_services  # noqa: E402
from microlearn.services.sync import SyncService  # noqa: E402
from microlearn.settings.config import Config, load_config  # noqa: E402
from microlearn.settings.paths import resolve_paths  # noqa: E402
from microlearn.store.opening import Store, open_store  # noqa: E402

TIME_BUDGET = 1.2
STRICT_RESYNC_BUDGET = 2.0
MEMORY_BUDGET = 1.25
MODULES = ("data-privacy-and-security", "reading-model-outputs")
HOME = "https://learn.example.org"
LEARNER = "bench-learner"


def overrides(server: RalphServer | None) -> dict[str, Any]:
    return {
        "lrs.endpoint": server.endpoint if server else "",
        "lrs.username": server.username if server else "",
        "lrs.password": server.password if server else "",
        "identity.source": "fixed",
        "identity.name": LEARNER,
        "identity.home_page": HOME,
        "content.activity_base": f"{HOME}/microlearn",
    }


def record_templates(folder: Path, plays: int = 4) -> None:
    """A data directory with a few real attempts recorded through the services."""
    services = start_services(paths=resolve_paths(folder), overrides=overrides(None))
    try:
        learning = services.learning
        for number in range(plays):
            view = learning.open_attempt(MODULES[number % 2])
            seconds = 0.0
            for index in range(len(view.module.cards)):
                seconds += 5
                view = learning.show_card(view.attempt_id, index, seconds)
            view = learning.start_check(view.attempt_id, seconds)
            for item in view.drawn:
                question = view.module.question(item.question_id)
                seconds += 10
                learning.answer_question(view.attempt_id, question.id, question.correct_ids, seconds)
            learning.finish_check(view.attempt_id, seconds + 1)
            learning.leave(view.attempt_id, seconds + 2)
    finally:
        services.close()


def make_store(template: Path, folder: Path, n: int) -> Store:
    """A copy of the template data directory with exactly ``n`` pending statements, all new to any LRS."""
    shutil.copytree(template, folder)
    store = open_store(resolve_paths(folder))
    with sqlite3.connect(store.paths.database) as db:
        rows = db.execute("SELECT verb, statement_json FROM outbox ORDER BY id").fetchall()
        # Every statement gets a fresh id, the template's own too: stores made from one
        # template and synced to one Ralph must not meet each other's statements there.
        db.execute("DELETE FROM outbox")
        now = datetime.now(UTC).isoformat(sep=" ")
        clones = []
        for index in range(n):
            verb, raw = rows[index % len(rows)]
            statement = json.loads(raw)
            statement["id"] = str(uuid.uuid4())
            clones.append((statement["id"], verb, freeze(statement), "pending", 0, now))
        db.executemany(
            "INSERT INTO outbox (statement_id, verb, statement_json, status, tries, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            clones,
        )
        (count,) = db.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()
    db.close()
    assert count == n, (count, n)
    return store


def config_for(store: Store, server: RalphServer) -> Config:
    return load_config(store.paths, overrides=overrides(server))


def ours(
    store: Store, server: RalphServer, batch: int, endpoint: str | None = None
) -> tuple[float, SyncReport]:
    config = config_for(store, server)
    if endpoint is not None:  # through the strict-LRS emulation in front of ``server``
        config = load_config(store.paths, overrides={**overrides(server), "lrs.endpoint": endpoint})
    service = SyncService(store, config, batch_size=batch)
    started = time.perf_counter()
    report = service.sync_now()
    return time.perf_counter() - started, report


def raw(bodies: list[str], server: RalphServer, batch: int) -> float:
    payloads = [("[" + ",".join(bodies[i : i + batch]) + "]").encode() for i in range(0, len(bodies), batch)]
    with httpx.Client(
        auth=httpx.BasicAuth(server.username, server.password),
        headers={"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"},
        timeout=60,
    ) as client:
        url = server.endpoint + "statements"
        started = time.perf_counter()
        for payload in payloads:
            response = client.post(url, content=payload)
            if response.status_code != 200:
                raise RuntimeError(f"raw POST answered {response.status_code}: {response.text[:200]}")
        return time.perf_counter() - started


def ralph_count(server: RalphServer) -> int:
    """How many statements this Ralph holds (every one of them, following `more`)."""
    count = 0
    with httpx.Client(
        auth=(server.username, server.password), headers={"X-Experience-API-Version": "1.0.3"}
    ) as c:
        url: str | None = server.endpoint + "statements?limit=1000"
        while url:
            page = c.get(url).json()
            count += len(page["statements"])
            url = server.base_url + page["more"] if page.get("more") and page["statements"] else None
    return count


def strict_resync(template: Path, root: Path, n: int, batch: int) -> float:
    """The re-sync of ``n`` already-stored statements through the strict emulation, over their first send."""
    store = make_store(template, root / "strict", n)
    try:
        with RalphServer() as server, FaultProxy(server.endpoint, strict=True) as strict:
            first, report = ours(store, server, batch, strict.url)
            if report.outcome is not Outcome.ALL_SENT or report.sent != n:
                raise RuntimeError(f"the first send through the strict LRS did not send everything: {report}")
            with sqlite3.connect(store.paths.database) as db:
                db.execute("UPDATE outbox SET status = 'pending', sent_at = NULL")
            db.close()
            strict.reset_counters()
            again, report = ours(store, server, batch, strict.url)
            if report.outcome is not Outcome.ALL_SENT or report.sent != n or report.conflicts:
                raise RuntimeError(f"the strict re-sync did not settle everything as sent: {report}")
            if strict.held_twice():
                raise RuntimeError(f"the strict LRS holds {len(strict.held_twice())} statements twice")
            requests = strict.requests
    finally:
        store.close()
    print(f"strict LRS, first send:  {n} statements in {first:6.2f} s ({n / first:.0f}/s)")
    print(
        f"strict LRS, re-sync:     {n} statements in {again:6.2f} s ({n / again:.0f}/s, {requests} requests)"
    )
    return again / first


def peak_memory(store: Store, server: RalphServer, batch: int) -> tuple[int, SyncReport]:
    service = SyncService(store, config_for(store, server), batch_size=batch)
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    report = service.sync_now()
    _, peak = tracemalloc.get_traced_memory()
    return peak - before, report


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="pending statements to sync (default 10000)")
    parser.add_argument("--batch", type=int, default=100, help="statements per POST (default 100)")
    parser.add_argument("--rounds", type=int, default=3, help="ours/raw pairs, alternating order (default 3)")
    parser.add_argument("--strict-n", type=int, default=1_000, help="statements for the strict run (0: skip)")
    parser.add_argument("--skip-memory", action="store_true", help="leave out the memory measurement")
    parser.add_argument("--dir", type=Path, help="folder for the data directories (default: a temporary one)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="microlearn-bench-sync-", dir=args.dir))
    started = time.perf_counter()
    failed = False
    try:
        template = root / "template"
        record_templates(template)

        # -- throughput -------------------------------------------------------------------
        ours_total = raw_total = 0.0
        round_ratios: list[float] = []
        for round_number in range(args.rounds):
            store = make_store(template, root / f"ours-{round_number}", args.n)
            with store.read() as db:
                bodies = [r[0] for r in db.execute("SELECT statement_json FROM outbox ORDER BY id")]
            order = ["ours", "raw"] if round_number % 2 == 0 else ["raw", "ours"]
            times: dict[str, float] = {}
            for side in order:
                with RalphServer() as server:
                    if side == "ours":
                        seconds, report = ours(store, server, args.batch)
                        if report.outcome is not Outcome.ALL_SENT or report.sent != args.n:
                            raise RuntimeError(f"our sync did not send everything: {report}")
                        ours_total += seconds
                    else:
                        seconds = raw(bodies, server, args.batch)
                        raw_total += seconds
                    held = ralph_count(server)
                if held != args.n:
                    raise RuntimeError(f"{side}: Ralph holds {held} statements, expected {args.n}")
                note = ""
                if side == "ours":  # a retried batch (error, then back-off) shows here, not as noise
                    with store.read() as db:
                        retried = db.execute("SELECT count(*) FROM outbox WHERE tries > 1").fetchone()[0]
                    note = f"  ({retried} statements needed a retry)"
                print(f"round {round_number + 1} {side:4}: {args.n} statements in {seconds:6.2f} s{note}")
                times[side] = seconds
            store.close()
            round_ratios.append(times["ours"] / times["raw"])
        ratio = ours_total / raw_total
        verdict = "PASS" if ratio <= TIME_BUDGET else "FAIL"
        failed |= verdict == "FAIL"
        print(f"sync_now (ours):   {ours_total / args.rounds:6.2f} s per {args.n} statements (mean)")
        print(f"raw httpx loop:    {raw_total / args.rounds:6.2f} s per {args.n} statements (mean)")
        print(
            f"ratio ours/raw:    {ratio:.3f}x   "
            f"({args.n / (ours_total / args.rounds):.0f} vs {args.n / (raw_total / args.rounds):.0f} statements/s)"
        )
        print(f"ratio per round:   {', '.join(f'{r:.3f}x' for r in round_ratios)}")
        print(f"time budget ≤ {TIME_BUDGET}× (total ours / total raw): {verdict}")

        # -- strict mode ------------------------------------------------------------------
        if args.strict_n:
            strict_ratio = strict_resync(template, root, args.strict_n, args.batch)
            strict_verdict = "PASS" if strict_ratio <= STRICT_RESYNC_BUDGET else "FAIL"
            failed |= strict_verdict == "FAIL"
            print(
                f"ratio re-sync/first send (strict): {strict_ratio:.3f}x   budget ≤ {STRICT_RESYNC_BUDGET}×: {strict_verdict}"
            )
        if args.skip_memory:
            print(f"bench ran in {time.perf_counter() - started:.0f} s")
            return 1 if failed else 0

        # -- memory -----------------------------------------------------------------------
        sizes = (1_000, 10_000)
        stores = {size: make_store(template, root / f"memory-{size}", size) for size in sizes}
        warm = make_store(template, root / "memory-warm-up", 1_000)
        peaks: dict[int, int] = {}
        with RalphServer() as server:
            tracemalloc.start()
            peak_memory(warm, server, args.batch)  # imports, statement caches: not counted
            for size in sizes:
                peaks[size], report = peak_memory(stores[size], server, args.batch)
                if report.outcome is not Outcome.ALL_SENT or report.sent != size:
                    raise RuntimeError(f"memory run did not send everything: {report}")
            tracemalloc.stop()
        for store in (*stores.values(), warm):
            store.close()
        growth = peaks[sizes[1]] / peaks[sizes[0]]
        mem_verdict = "PASS" if growth <= MEMORY_BUDGET else "FAIL"
        failed |= mem_verdict == "FAIL"
        for size in sizes:
            print(
                f"peak memory of sync_now, {size:>6} statements: {peaks[size] / 1024:8.1f} KiB (tracemalloc)"
            )
        print(f"ratio 10,000 / 1,000: {growth:.2f}x   memory budget ≤ {MEMORY_BUDGET}×: {mem_verdict}")
        print(f"bench ran in {time.perf_counter() - started:.0f} s")
        return 1 if failed else 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
