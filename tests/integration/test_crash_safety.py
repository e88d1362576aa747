"""Crash safety of the store: SIGKILL the headless driver at random points, then check.

The driver (``microlearn.services.driver``) prints ``DO …`` before each service call and
``ACK …`` once the call has returned, i.e. once its transaction is committed. After every
kill a fresh connection and a fresh store must show:

- ``PRAGMA integrity_check`` is ``ok`` and opening the store needs no recovery;
- every ACKed answer is stored with the same selection, and nothing is stored that was
  neither ACKed nor the one action in flight when the kill landed;
- each attempt's card position is its last ACKed card (or the card in flight), and
  ``LearningService.open_attempt`` resumes it exactly there (phase, card, draw, answers);
- the outbox holds exactly one statement per recorded event, with the same ids.

Several trials share one data directory so state builds up, and each series ends with a
clean restart that must converge. Every message names the series and trial seeds; the
kill timing is random, so a failure is reproduced by re-running its series
(``bench/crash.py --base-seed …``) rather than replayed exactly.
"""

from __future__ import annotations

import json
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.prerequisites import require_command
from tests.support.processes import child_env

pytestmark = pytest.mark.crash

DRIVER = [sys.executable, "-m", "microlearn.services.driver"]
RUN_TIMEOUT = 60.0
NEVER_ENDS = 1_000_000  # steps for a run that is going to be killed


# -- running the driver --------------------------------------------------------------------------


@dataclass
class Run:
    seed: int
    lines: list[str]  # complete lines only: a line cut by the kill is not an acknowledgement
    returncode: int
    stderr: str
    killed: bool
    how: str


def driver_env() -> dict[str, str]:
    env = child_env(PYTHONUNBUFFERED="1")
    env.setdefault("MICROLEARN_POLICY", "")
    return env


def run_driver(
    data_dir: Path,
    seed: int,
    steps: int = NEVER_ENDS,
    *,
    kill_after_acks: int | None = None,
    kill_after_ready: float | None = None,
    kill_after_start: float | None = None,
) -> Run:
    """Run the driver; SIGKILL it after that many ACKs or seconds (if any is given)."""
    command = [*DRIVER, "--data-dir", str(data_dir), "--seed", str(seed), "--steps", str(steps)]
    lines: list[str] = []
    ready, enough = threading.Event(), threading.Event()
    with tempfile.TemporaryFile() as stderr:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=driver_env())
        assert process.stdout is not None
        stdout = process.stdout

        def read() -> None:
            acks = 0
            for raw in iter(stdout.readline, b""):
                if not raw.endswith(b"\n"):
                    break
                line = raw.decode("utf-8").rstrip("\n")
                lines.append(line)
                if line.startswith("READY"):
                    ready.set()
                elif line.startswith("ACK "):
                    acks += 1
                    if kill_after_acks is not None and acks >= kill_after_acks:
                        enough.set()
            ready.set()
            enough.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        how = "ran to the end"
        if kill_after_acks is not None:
            enough.wait(RUN_TIMEOUT)
            how = f"killed after {kill_after_acks} ACKs"
        elif kill_after_ready is not None:
            ready.wait(RUN_TIMEOUT)
            time.sleep(kill_after_ready)
            how = f"killed {kill_after_ready:.3f}s after READY"
        elif kill_after_start is not None:
            time.sleep(max(0.0, kill_after_start - (time.monotonic() - started)))
            how = f"killed {kill_after_start:.3f}s after start"
        killed = False
        if how != "ran to the end" and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed = True
        try:
            returncode = process.wait(RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = process.wait()
            how += " (hung: killed on timeout)"
        reader.join(RUN_TIMEOUT)
        stdout.close()
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    return Run(seed, lines, returncode, errors, killed, how)


# -- what the driver acknowledged, across every run on one data directory --------------------------


@dataclass
class Ledger:
    answers: dict[tuple[int, str], str] = field(default_factory=dict)  # ACKed (attempt, question) → selection
    doubt_answers: set[tuple[int, str, str]] = field(default_factory=set)
    card: dict[int, int] = field(default_factory=dict)  # last ACKed position per attempt
    doubt_cards: dict[int, set[int]] = field(default_factory=dict)  # in flight since that ACK
    seen: dict[int, set[int]] = field(default_factory=dict)  # ACKed card positions
    doubt_seen: dict[int, set[int]] = field(default_factory=dict)
    checked: set[int] = field(default_factory=set)
    doubt_checked: set[int] = field(default_factory=set)
    finished: dict[int, str] = field(default_factory=dict)  # attempt → passed|failed
    doubt_finished: set[int] = field(default_factory=set)
    attempts: set[int] = field(default_factory=set)
    opens: int = 0
    doubt_opens: int = 0
    test_opens: int = 0  # open_attempt calls made by the checks themselves
    leaves: int = 0
    doubt_leaves: int = 0

    def absorb(self, run: Run) -> list[str]:
        problems: list[str] = []
        pending: list[str] | None = None
        for line in run.lines:
            words = line.split(" ")
            if words[0] == "DO":
                if pending is not None:
                    problems.append(f"DO without ACK before {line!r}: {pending}")
                pending = words[1:]
            elif words[0] == "ACK":
                if pending is None or pending[0] != words[1]:
                    problems.append(f"ACK without its DO: {line!r}")
                pending = None
                self._acked(words[1:])
        if pending is not None:
            if run.killed:
                self._in_doubt(pending)
            else:
                problems.append(f"run ended with an action in flight: {pending}")
        if not run.killed and run.returncode != 0:
            problems.append(f"driver exited {run.returncode}: {run.stderr.strip()[-2000:]}")
        if run.killed and run.returncode != -signal.SIGKILL:
            problems.append(
                f"driver ended with {run.returncode} before the kill: {run.stderr.strip()[-2000:]}"
            )
        return problems

    def _acked(self, words: list[str]) -> None:
        action, attempt = words[0], int(words[1])
        self.doubt_cards.pop(attempt, None)
        if action == "open":
            self.opens += 1
            self.attempts.add(attempt)
            self.card[attempt] = int(words[4])
            if words[3] != "lessons":
                self.checked.add(attempt)
        elif action == "card":
            self.card[attempt] = int(words[2])
            self.seen.setdefault(attempt, set()).add(int(words[2]))
        elif action == "check":
            self.checked.add(attempt)
        elif action == "answer":
            self.answers[(attempt, words[2])] = words[3]
        elif action == "finish":
            self.finished[attempt] = words[2]
        elif action == "leave":
            self.leaves += 1

    def _in_doubt(self, words: list[str]) -> None:
        action = words[0]
        if action == "open":
            self.doubt_opens += 1
            return
        attempt = int(words[1])
        if action == "card":
            self.doubt_cards.setdefault(attempt, set()).add(int(words[2]))
            self.doubt_seen.setdefault(attempt, set()).add(int(words[2]))
        elif action == "check":
            self.doubt_checked.add(attempt)
        elif action == "answer":
            self.doubt_answers.add((attempt, words[2], words[3]))
        elif action == "finish":
            self.doubt_finished.add(attempt)
        elif action == "leave":
            self.doubt_leaves += 1


# -- checking the store ---------------------------------------------------------------------------


def _rows(connection: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def check_store(data_dir: Path, ledger: Ledger) -> list[str]:
    """Every invariant, on a fresh connection first, then through a fresh store."""
    problems: list[str] = []
    database = data_dir / "microlearn.sqlite3"
    if not database.exists():
        return [] if ledger.opens == 0 else ["the database is gone"]
    connection = sqlite3.connect(database)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            return [f"integrity_check: {integrity}"]
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "attempts" not in tables:  # killed before the first migration committed
            return [] if ledger.opens == 0 else ["the schema is gone"]
        attempts = {
            r["id"]: r
            for r in _rows(
                connection, "SELECT a.*, m.pass_mark FROM attempts a JOIN modules m ON m.pk = a.module_pk"
            )
        }
        answers = _rows(connection, "SELECT * FROM answers WHERE practice = 0")
        results = _rows(connection, "SELECT * FROM results WHERE source = 'local'")
        outbox = _rows(connection, "SELECT * FROM outbox ORDER BY id")
    finally:
        connection.close()

    problems += _check_answers(attempts, answers, ledger)
    problems += _check_attempts(attempts, answers, ledger)
    problems += _check_outbox(attempts, answers, results, outbox, ledger)
    if not problems:
        problems += _check_resume(data_dir, attempts, answers, ledger)
    return problems


def _check_answers(
    attempts: dict[int, dict[str, Any]], answers: list[dict[str, Any]], ledger: Ledger
) -> list[str]:
    problems = []
    stored = {
        (a["attempt_id"], a["question_id"]): ",".join(sorted(json.loads(a["selected"]))) for a in answers
    }
    for key, selection in ledger.answers.items():
        if key not in stored:
            problems.append(f"ACKed answer {key} {selection} is not stored")
        elif stored[key] != selection:
            problems.append(f"ACKed answer {key} {selection} is stored as {stored[key]}")
    for (attempt, question), selection in stored.items():
        acked = ledger.answers.get((attempt, question)) == selection
        if not acked and (attempt, question, selection) not in ledger.doubt_answers:
            problems.append(
                f"stored answer {attempt} {question} {selection} was never acknowledged nor in flight"
            )
        drawn = {d["question_id"] for d in json.loads(attempts[attempt]["drawn"])}
        if question not in drawn:
            problems.append(f"answer {attempt} {question} is not among the drawn questions")
    return problems


def _check_attempts(
    attempts: dict[int, dict[str, Any]], answers: list[dict[str, Any]], ledger: Ledger
) -> list[str]:
    problems = []
    answered: dict[int, list[dict[str, Any]]] = {}
    for a in answers:
        answered.setdefault(a["attempt_id"], []).append(a)
    unknown = [i for i in attempts if i not in ledger.attempts]
    if len(unknown) > ledger.doubt_opens:
        problems.append(f"attempts {unknown} were never opened by an acknowledged action")
    for attempt_id, row in attempts.items():
        seen = set(json.loads(row["cards_seen"]))
        if attempt_id not in ledger.attempts:  # created by an open in flight: untouched since
            if row["card_index"] != 0 or seen != {0} or row["phase"] != "lessons" or attempt_id in answered:
                problems.append(f"unacknowledged attempt {attempt_id} moved: {row}")
            continue
        allowed = {ledger.card[attempt_id]} | ledger.doubt_cards.get(attempt_id, set())
        if row["phase"] == "lessons" and row["card_index"] not in allowed:
            problems.append(
                f"attempt {attempt_id} is at card {row['card_index']}, last ACKed card {ledger.card[attempt_id]}"
                f" (in flight: {sorted(ledger.doubt_cards.get(attempt_id, set()))})"
            )
        if not ledger.seen.get(attempt_id, set()) <= seen:
            problems.append(f"attempt {attempt_id} forgot ACKed cards: {sorted(seen)}")
        extra = seen - ledger.seen.get(attempt_id, set()) - ledger.doubt_seen.get(attempt_id, set()) - {0}
        if extra and row["phase"] == "lessons":
            problems.append(f"attempt {attempt_id} saw cards {sorted(extra)} nobody showed")
        if attempt_id in ledger.checked and row["phase"] == "lessons":
            problems.append(f"attempt {attempt_id} lost its ACKed start of the check")
        if row["phase"] != "lessons" and attempt_id not in ledger.checked | ledger.doubt_checked:
            problems.append(f"attempt {attempt_id} is in {row['phase']} without an acknowledged start")
        finished = row["finished_at"] is not None
        if finished != (row["phase"] == "result"):
            problems.append(
                f"attempt {attempt_id}: phase {row['phase']} but finished_at {row['finished_at']}"
            )
        if attempt_id in ledger.finished and not finished:
            problems.append(f"attempt {attempt_id} lost its ACKed finish")
        if finished and attempt_id not in ledger.finished and attempt_id not in ledger.doubt_finished:
            problems.append(f"attempt {attempt_id} finished without an acknowledged finish")
        drawn = [d["question_id"] for d in json.loads(row["drawn"])]
        if finished and {a["question_id"] for a in answered.get(attempt_id, [])} != set(drawn):
            problems.append(
                f"finished attempt {attempt_id} does not have exactly its drawn questions answered"
            )
    return problems


def _check_outbox(
    attempts: dict[int, dict[str, Any]],
    answers: list[dict[str, Any]],
    results: list[dict[str, Any]],
    outbox: list[dict[str, Any]],
    ledger: Ledger,
) -> list[str]:
    problems = []
    ids = Counter(o["statement_id"] for o in outbox)
    problems += [f"statement id {s} appears {n} times in the outbox" for s, n in ids.items() if n > 1]
    registrations = {a["registration"]: a for a in attempts.values()}
    statements: dict[str, dict[str, Any]] = {}
    for row in outbox:
        try:
            statement = json.loads(row["statement_json"])
        except ValueError as exc:
            problems.append(f"outbox {row['id']} does not parse: {exc}")
            continue
        statements[row["statement_id"]] = statement
        if statement.get("id") != row["statement_id"]:
            problems.append(f"outbox {row['id']}: JSON id {statement.get('id')} != {row['statement_id']}")
        if statement["verb"]["id"].rsplit("/", 1)[-1] != row["verb"]:
            problems.append(f"outbox {row['id']}: verb {statement['verb']['id']} stored as {row['verb']}")
        if statement["context"]["registration"] not in registrations:
            problems.append(f"outbox {row['id']}: registration of no attempt")
        if row["status"] != "pending":
            problems.append(f"outbox {row['id']} is {row['status']} though nothing synced")
    verbs = Counter(o["verb"] for o in outbox)

    # answered: one statement per scored answer, same attempt, question and response
    if verbs["answered"] != len(answers):
        problems.append(f"{verbs['answered']} answered statements for {len(answers)} answers")
    by_attempt = {a["id"]: a for a in attempts.values()}
    expected = Counter(
        (
            by_attempt[a["attempt_id"]]["registration"],
            a["question_id"],
            ",".join(sorted(json.loads(a["selected"]))),
        )
        for a in answers
    )
    sent = Counter(
        (
            s["context"]["registration"],
            s["object"]["id"].rsplit("/questions/", 1)[-1],
            ",".join(sorted(s["result"]["response"].split("[,]"))),
        )
        for s in statements.values()
        if s["verb"]["id"].endswith("/answered")
    )
    if expected != sent:
        problems.append(
            f"answers without statements: {expected - sent}; statements without answers: {sent - expected}"
        )

    # completed / passed / failed: one result row and one statement each, linked by id
    verb_of = {o["statement_id"]: o["verb"] for o in outbox}
    for result in results:
        verb = verb_of.get(result["statement_id"])
        if verb is None:
            problems.append(f"result {result['id']} ({result['kind']}) has no statement in the outbox")
        elif verb != result["kind"]:
            problems.append(f"result {result['id']} is {result['kind']} but its statement is {verb}")
    result_ids = {r["statement_id"] for r in results}
    for row in outbox:
        if row["verb"] in ("completed", "passed", "failed") and row["statement_id"] not in result_ids:
            problems.append(f"{row['verb']} statement {row['statement_id']} has no result row")
    kinds = Counter(
        (r["registration"], "completed" if r["kind"] == "completed" else "scored") for r in results
    )
    problems += [f"{n} {kind} results for registration {reg}" for (reg, kind), n in kinds.items() if n > 1]
    correct: Counter[int] = Counter(a["attempt_id"] for a in answers if a["correct"])
    scored = {r["registration"]: r for r in results if r["kind"] != "completed"}
    for attempt in attempts.values():
        reg = attempt["registration"]
        if (attempt["completed_at"] is not None) != ((reg, "completed") in kinds):
            problems.append(
                f"attempt {attempt['id']}: completed_at {attempt['completed_at']} vs its completed results"
            )
        if (attempt["finished_at"] is not None) != (reg in scored):
            problems.append(
                f"attempt {attempt['id']}: finished_at {attempt['finished_at']} vs its scored results"
            )
        if reg in scored:
            result = scored[reg]
            passed = result["score_raw"] * 100 >= attempt["pass_mark"] * result["score_max"]
            if result["score_raw"] != correct[attempt["id"]] or result["kind"] != (
                "passed" if passed else "failed"
            ):
                problems.append(
                    f"attempt {attempt['id']}: result {result} but {correct[attempt['id']]} correct answers"
                )
            acked = ledger.finished.get(attempt["id"])
            if acked is not None and acked != result["kind"]:
                problems.append(f"attempt {attempt['id']}: ACKed {acked}, stored {result['kind']}")

    # initialized / terminated: one per acknowledged open and leave, plus at most those in flight
    opens = ledger.opens + ledger.test_opens
    if not opens <= verbs["initialized"] <= opens + ledger.doubt_opens:
        problems.append(
            f"{verbs['initialized']} initialized statements for {opens} opens (+{ledger.doubt_opens} in flight)"
        )
    if not ledger.leaves <= verbs["terminated"] <= ledger.leaves + ledger.doubt_leaves:
        problems.append(
            f"{verbs['terminated']} terminated for {ledger.leaves} leaves (+{ledger.doubt_leaves} in flight)"
        )
    initialized = {
        s["context"]["registration"] for s in statements.values() if s["verb"]["id"].endswith("/initialized")
    }
    problems += [
        f"attempt {a['id']} has no initialized statement"
        for a in attempts.values()
        if a["registration"] not in initialized
    ]
    return problems


def _check_resume(
    data_dir: Path, attempts: dict[int, dict[str, Any]], answers: list[dict[str, Any]], ledger: Ledger
) -> list[str]:
    """A fresh store resumes every unfinished attempt exactly where the database says it stands."""
    from microlearn.services.learning import LearningService
    from microlearn.settings.config import load_config
    from microlearn.settings.paths import resolve_paths
    from microlearn.store.opening import open_store

    problems = []
    paths = resolve_paths(data_dir)
    store = open_store(paths)
    try:
        if store.notices:
            problems.append(f"opening the store needed recovery: {store.notices}")
        service = LearningService(store, load_config(paths))
        for attempt in attempts.values():
            if attempt["finished_at"] is not None:
                continue
            view = service.open_attempt(attempt["module_id"])
            ledger.test_opens += 1
            mine = {
                a["question_id"]: frozenset(json.loads(a["selected"]))
                for a in answers
                if a["attempt_id"] == attempt["id"]
            }
            got = (
                view.attempt_id,
                view.phase.value,
                view.card_index,
                sorted(view.cards_seen),
                [{"question_id": d.question_id, "option_order": list(d.option_order)} for d in view.drawn],
                view.answers,
            )
            want = (
                attempt["id"],
                attempt["phase"],
                attempt["card_index"],
                json.loads(attempt["cards_seen"]),
                json.loads(attempt["drawn"]),
                mine,
            )
            if got != want:
                problems.append(f"attempt {attempt['id']} resumed as {got[:4]}, the database said {want[:4]}")
    finally:
        store.close()
    if paths.quarantine_dir.exists() and any(paths.quarantine_dir.iterdir()):
        problems.append(f"a database was quarantined in {paths.quarantine_dir}")
    return problems


# -- trials -------------------------------------------------------------------------------------


@dataclass
class SeriesResult:
    base_seed: int
    trials: int = 0  # kill trials run
    failure: str | None = None
    kills_mid_run: int = 0  # kills that landed after READY
    kills_in_flight: int = 0  # kills that landed inside a service call (between DO and ACK)


def trial_seed(base_seed: int, trial: int) -> int:
    return base_seed * 1000 + trial


def run_series(
    data_dir: Path,
    base_seed: int,
    trials: int,
    final_steps: int = 25,
    on_trial: Callable[[int, Run], None] | None = None,
) -> SeriesResult:
    """``trials`` kill trials on one data directory, then a clean restart that must converge.

    Stops at the first failure, whose message names the seeds and the kill.
    """
    ledger = Ledger()
    result = SeriesResult(base_seed)
    for trial in range(trials + 1):
        seed = trial_seed(base_seed, trial)
        rng = random.Random(seed)
        if trial == trials:
            run = run_driver(data_dir, seed, final_steps)
        else:
            mode = rng.random()
            if trial == 0:  # a fresh directory: land in the migration or the content install
                run = run_driver(data_dir, seed, kill_after_start=rng.uniform(0.45, 1.0))
            elif mode < 0.5:
                run = run_driver(data_dir, seed, kill_after_acks=rng.randint(1, 40))
            elif mode < 0.85:
                run = run_driver(data_dir, seed, kill_after_ready=rng.uniform(0.0, 0.2))
            else:
                run = run_driver(data_dir, seed, kill_after_start=rng.uniform(0.3, 1.2))
            result.trials += 1
            result.kills_mid_run += any(line.startswith("READY") for line in run.lines)
            result.kills_in_flight += bool(run.lines) and run.lines[-1].startswith("DO ")
        if on_trial is not None:
            on_trial(trial, run)
        problems = ledger.absorb(run)
        if trial == trials and run.killed:
            problems.append("the final run did not finish")
        problems += check_store(data_dir, ledger)
        if problems:
            what = "final clean restart" if trial == trials else f"trial {trial}"
            result.failure = (
                f"[series seed {base_seed}, {what}, driver seed {seed}, {run.how}, "
                f"{sum(line.startswith('ACK') for line in run.lines)} ACKs in this run]\n  "
                + "\n  ".join(problems[:20])
            )
            return result
    return result


def run_many(root: Path, base_seeds: list[int], trials_each: int, workers: int = 2) -> list[SeriesResult]:
    """Series side by side, each on its own data directory (two cores: two drivers at once)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_series, root / f"series-{s}", s, trials_each) for s in base_seeds]
        return [f.result() for f in futures]


# Four series of 13 kill trials: 52 kills, plus four clean restarts.
SERIES_SEEDS = [[11, 23], [37, 41]]
TRIALS_PER_SERIES = 13


@pytest.mark.parametrize("base_seeds", SERIES_SEEDS, ids=lambda s: "seeds-" + "-".join(map(str, s)))
def test_kill_and_resume(tmp_path: Path, base_seeds: list[int]) -> None:
    results = run_many(tmp_path, base_seeds, TRIALS_PER_SERIES)
    failures = [r.failure for r in results if r.failure]
    assert not failures, "\n".join(failures)
    assert sum(r.trials for r in results) == TRIALS_PER_SERIES * len(base_seeds)
    # Most kills must land while the learner is busy, not during start-up.
    assert sum(r.kills_mid_run for r in results) >= TRIALS_PER_SERIES * len(base_seeds) // 2


def test_driver_resumes_where_it_stopped(tmp_path: Path) -> None:
    """A run that ends normally leaves an attempt open; the next run continues that attempt."""
    first = run_driver(tmp_path, seed=5, steps=12)
    second = run_driver(tmp_path, seed=6, steps=3)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    last_attempt = [line.split()[2] for line in first.lines if line.startswith("ACK ")][-1]
    opened = next(line for line in second.lines if line.startswith("ACK open"))
    assert opened.split()[2] == last_attempt, (first.lines, second.lines)


# -- durability: an ACK only after the WAL reached the disk ---------------------------------------

# strace -f -y lines: "1234 fdatasync(5</data/microlearn.sqlite3-wal>) = 0",
# "1234 write(1<pipe:[99]>, "ACK answer 3 q1 a\n", 18) = 18".
_SYNC = re.compile(r"^\d+\s+f(?:data)?sync\(\d+<(?P<path>[^>]*)>\)\s+=\s+0")
_SAY = re.compile(r'^\d+\s+write\(1<[^>]*>,\s+"(?P<text>(?:DO|ACK) \w+)')


def test_each_answer_is_acknowledged_only_after_the_wal_was_fsynced(tmp_path: Path) -> None:
    """Atomicity survives a SIGKILL even with synchronous=OFF (the OS cache outlives the
    process); a power cut does not. So trace the driver: between each ``DO answer`` and its
    ``ACK answer`` an fsync/fdatasync of the write-ahead log must have returned."""
    strace = require_command("strace", "strace")
    trace = tmp_path / "trace.txt"
    data = tmp_path / "data"
    command = [strace, "-f", "-y", "-s", "64", "-e", "trace=write,fsync,fdatasync", "-o", str(trace)]
    command += [*DRIVER, "--data-dir", str(data), "--seed", "3", "--steps", "60"]
    done = subprocess.run(command, env=driver_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]

    answers = synced = 0
    in_flight = False
    for line in trace.read_text(encoding="utf-8", errors="replace").splitlines():
        said = _SAY.match(line)
        if said and said["text"] == "DO answer":
            in_flight, synced_since = True, False
        elif said and said["text"] == "ACK answer":
            assert in_flight
            assert synced_since, f"answer {answers + 1} was acknowledged before its WAL was fsynced"
            answers += 1
            in_flight = False
        else:
            flushed = _SYNC.match(line)
            if flushed and in_flight and flushed["path"].endswith("microlearn.sqlite3-wal"):
                synced_since = True
                synced += 1
    assert answers >= 5, "the driver answered too few questions to tell"
    assert synced >= answers
