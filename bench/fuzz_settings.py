"""A longer fuzz run of the policy and settings readers than the suite's bounded one.

    PYTHONPATH=src:. python bench/fuzz_settings.py [--seconds 60] [--seed 1]

Writes random policies (TOML fragments, deep nesting, huge numbers, control characters, raw
bytes) and random settings.json files (valid, cut short, deeply nested), and loads the
configuration from each in a child process with a time limit, so a crash or a hang of the
reader is counted, never fatal to the run. Prints inputs tried, crashes and hangs; exits 1 if
either is not 0. A secret is planted in every policy; "leaks" counts any that reached the
configuration's problems or redacted values (also expected 0).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SECRET = "Fuzz-Secret-7c1e"
HANG_S = 5.0
FRAGMENTS = (
    "[lrs]\n",
    "[locked]\n",
    "[[lrs]]\n",
    'endpoint = "https://lrs.example.org/"\n',
    f'password = "{SECRET}"\n',
    f"password: {SECRET}\n",
    f'password "{SECRET}"\n',
    "keys = [",
    '"lrs.endpoint"',
    "allow_override = [",
    "]\n",
    "{",
    "}",
    "= ",
    '"""',
    "'''",
    "\\",
    "\r\n",
    "\x00",
    "\ufeff",
    "sync_interval_minutes = ",
    "1e999",
    "inf",
    "a.b.c.d = 1\n",
    '"\\r\\n"',
)
CHILD = """
import json, sys
from pathlib import Path
from microlearn.settings.config import load_config
from microlearn.settings.paths import AppPaths
root = Path(sys.argv[1])
paths = AppPaths(root, root / "config", root / "logs", root / "cache", root / "policy.toml")
config = load_config(paths)
print(json.dumps({"problems": config.problems, "values": config.redacted()}, default=str))
"""


def random_policy(rng: random.Random) -> bytes:
    kind = rng.random()
    if kind < 0.1:
        return rng.randbytes(rng.randint(0, 200))
    if kind < 0.2:
        depth = rng.choice((100, 1_000, 20_000))
        return ("x = " + rng.choice("[{") * depth + "\n").encode()
    if kind < 0.3:
        return ("[lrs]\nsync_interval_minutes = " + "9" * rng.choice((4_000, 4_301, 6_000)) + "\n").encode()
    parts = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 60))]
    return "".join(parts).encode("utf-8", "surrogatepass")


def random_settings(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.2:
        depth = rng.choice((10, 1_000, 100_000))
        return '{"display.theme": ' + "[" * depth + "]" * depth + "}"
    data = {
        rng.choice(["display.theme", "display.font_size", "lrs.password", "x"]): rng.choice(
            [1, "dark", None, [1], {"a": 1}, "x" * 100_000, 10**50]
        )
    }
    text = json.dumps(data)
    return text[: rng.randint(0, len(text))] if kind < 0.5 else text


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tried = crashes = hangs = leaks = 0
    deadline = time.monotonic() + args.seconds
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "config").mkdir()
        while time.monotonic() < deadline:
            (root / "policy.toml").write_bytes(random_policy(rng))
            (root / "config" / "settings.json").write_text(random_settings(rng), encoding="utf-8")
            tried += 1
            try:
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(root)], capture_output=True, text=True, timeout=HANG_S
                )
            except subprocess.TimeoutExpired:
                hangs += 1
                continue
            if done.returncode != 0:
                crashes += 1
                print(done.stderr.strip().splitlines()[-1:], file=sys.stderr)
                continue
            if SECRET in done.stdout:
                leaks += 1
    print(f"inputs tried: {tried}, crashes: {crashes}, hangs: {hangs}, leaks: {leaks}")
    return 1 if crashes or hangs or leaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
