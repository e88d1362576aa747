"""Learners on real stores with the bundled content, a real Ralph to sync to, and the checks on what it holds.

Shared by the sync, fault, restore, GUI-sync, policy and diagnostics tests.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from microlearn.domain.courseware import Question
from microlearn.records.lrs_client import LrsClient, LrsSettings
from microlearn.services.learning import LearningService
from microlearn.services.startup import AppServices, start_services
from microlearn.services.sync import SyncService
from microlearn.settings.config import env_name
from microlearn.settings.paths import resolve_paths
from microlearn.ui.status_text import sync_status
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.fixtures import fault_proxy, fresh_ralph, ralph  # noqa: F401
from tests.support.lrs.ralph_server import RalphServer
from tests.support.processes import child_env

HOME = "https://learn.example.org"
BASE = f"{HOME}/microlearn"
MODULES = ("data-privacy-and-security", "reading-model-outputs")
LRS_ADDED = ("stored", "authority", "version")
CLI_TIMEOUT = 120


# -- shared helpers ------------------------------------------------------------------------------


class FakeClock:
    """Time as a parameter: ``sleep`` moves ``now`` on at once, and remembers each wait."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime.now(UTC)
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.moment

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.moment += timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture(params=["ralph", "strict"])
def lrs_front(request: pytest.FixtureRequest, ralph: RalphServer) -> Iterator[FaultProxy]:  # noqa: F811
    """The fault proxy in front of the session Ralph: passing Ralph's answers through, or as the
    strict-LRS emulation. A test module that names its fixture ``fault_proxy`` after it runs
    every test both ways."""
    with FaultProxy(ralph.endpoint, strict=request.param == "strict") as proxy:
        yield proxy


def assert_sync_invariant(server: RalphServer, learner: Learner, proxy: FaultProxy | None = None) -> None:
    """DESIGN.md's one invariant: the LRS holds exactly one copy of each recorded event, nothing
    is ``conflict`` (these tests record nothing that differs), nothing is stuck."""
    assert_ralph_holds_exactly(server, learner)
    if proxy is not None:
        assert proxy.held_twice() == set(), "the strict LRS stored a statement twice"
    statuses = {r.status for r in learner.outbox()}
    assert statuses == {"sent"}, statuses


def downgrade_store(learner: Learner, revision: str) -> None:
    """Take a learner's store back to an older schema, as an older version left it."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from microlearn.store.migrate import MIGRATIONS_DIR

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with learner.services.store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def status_words(service: SyncService, now: datetime | None = None) -> str:
    """What the status bar and Today say, from the service's state."""
    return sync_status(service.configured, service.outbox_counts(), service.last_sync(), now or service.now())


def lrs_overrides(
    endpoint: str, server: RalphServer, learner: str, password: str | None = None
) -> dict[str, Any]:
    return {
        "lrs.endpoint": endpoint,
        "lrs.username": server.username,
        "lrs.password": server.password if password is None else password,
        "identity.source": "fixed",
        "identity.name": learner,
        "identity.home_page": HOME,
        "content.activity_base": BASE,
    }


def agent_of(learner: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": HOME, "name": learner}}


def wrong_answer(question: Question) -> frozenset[str]:
    wrong = [o.id for o in question.options if not o.correct]
    return frozenset(wrong[:1]) if wrong else question.correct_ids


def play_module(learning: LearningService, module_id: str, *, passing: bool = True) -> None:
    """One whole attempt as the player drives it: every card, every question, finish, leave."""
    view = learning.open_attempt(module_id)
    seconds = view.seconds_spent
    for index in range(len(view.module.cards)):
        seconds += 4.25
        view = learning.show_card(view.attempt_id, index, seconds)
    view = learning.start_check(view.attempt_id, seconds)
    for item in view.drawn:
        question = view.module.question(item.question_id)
        selected = question.correct_ids if passing else wrong_answer(question)
        seconds += 9.5
        learning.answer_question(view.attempt_id, question.id, selected, seconds, confidence=3)
    learning.finish_check(view.attempt_id, seconds + 1)
    learning.leave(view.attempt_id, seconds + 2)


@dataclass
class OutboxEntry:
    id: int
    statement_id: str
    verb: str
    json: str
    status: str
    tries: int
    last_error: str | None
    sent_at: str | None


@dataclass
class Learner:
    """A learner's data directory opened through the real start-up services."""

    name: str
    data_dir: Path
    services: AppServices
    ralph: RalphServer
    endpoint: str
    password: str
    extra: list[SyncService] = field(default_factory=list)

    @property
    def overrides(self) -> dict[str, Any]:
        return lrs_overrides(self.endpoint, self.ralph, self.name, self.password)

    def play(self, module_id: str = MODULES[0], *, passing: bool = True) -> None:
        play_module(self.services.learning, module_id, passing=passing)

    def sync_service(
        self,
        *,
        sleeps: list[float] | None = None,
        batch_size: int = 100,
        seed: int = 1,
        clock: FakeClock | None = None,
        in_flight_s: float | None = None,
        client_timeout_s: float | None = None,
        real_sleep: bool = False,
        **config: Any,
    ) -> SyncService:
        """A SyncService whose waits only record how long it would have waited (on ``clock``
        if given, which they move on)."""
        values = {**self.services.config.values, **config}
        cfg = dataclasses.replace(self.services.config, values=values)
        record = sleeps if sleeps is not None else []

        def sleep(seconds: float) -> None:
            record.append(seconds)
            if clock is not None:
                clock.sleep(seconds)
            if real_sleep:  # only where a real server must finish something meanwhile
                time.sleep(seconds)

        def client(settings: LrsSettings) -> LrsClient:
            if client_timeout_s is not None:  # each read and the request as a whole
                settings = dataclasses.replace(
                    settings, timeout_s=client_timeout_s, deadline_s=client_timeout_s
                )
            return LrsClient(settings)

        return SyncService(
            self.services.store,
            cfg,
            batch_size=batch_size,
            sleep=sleep,
            rng=random.Random(seed),
            clock=clock.now if clock is not None else (lambda: datetime.now(UTC)),
            in_flight_s=in_flight_s,
            client_factory=client,
        )

    def outbox(self) -> list[OutboxEntry]:
        with self.services.store.read() as db:
            rows = db.execute(
                "SELECT id, statement_id, verb, statement_json, status, tries, last_error, sent_at "
                "FROM outbox ORDER BY id"
            ).fetchall()
        return [OutboxEntry(*tuple(row)) for row in rows]

    def execute(self, sql: str, *params: Any) -> None:
        with closing(sqlite3.connect(self.services.paths.database)) as db, db:
            db.execute(sql, params)

    def cli(self, *args: str, endpoint: str | None = None, password: str | None = None) -> CliRun:
        return run_cli(
            self.data_dir,
            *args,
            endpoint=self.endpoint if endpoint is None else endpoint,
            username=self.ralph.username,
            password=self.password if password is None else password,
            learner=self.name,
        )


LearnerFactory = Callable[..., Learner]


@pytest.fixture
def make_learner(tmp_path: Path) -> Iterator[LearnerFactory]:
    created: list[Learner] = []

    def make(
        endpoint: str,
        server: RalphServer,
        *,
        name: str | None = None,
        data_dir: Path | None = None,
        password: str | None = None,
    ) -> Learner:
        name = name or f"learner-{uuid.uuid4().hex[:10]}"
        folder = data_dir or tmp_path / f"data-{len(created)}"
        password = server.password if password is None else password
        services = start_services(
            paths=resolve_paths(folder), overrides=lrs_overrides(endpoint, server, name, password)
        )
        learner = Learner(name, folder, services, server, endpoint, password)
        created.append(learner)
        return learner

    yield make
    for learner in created:
        learner.services.close()


def ralph_client(server: RalphServer) -> LrsClient:
    return LrsClient(LrsSettings(server.endpoint, server.username, server.password))


def stored_statements(server: RalphServer, learner: str) -> list[dict[str, Any]]:
    """Everything Ralph holds for this learner (by agent, following `more`)."""
    with ralph_client(server) as client:
        return list(client.iter_statements(agent_of(learner), page_limit=50))


def without_lrs_fields(statement: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in statement.items() if k not in LRS_ADDED}


def assert_ralph_holds_exactly(server: RalphServer, learner: Learner) -> None:
    """One statement in the LRS per outbox row: same ids, none lost, none doubled, same content."""
    held = stored_statements(server, learner.name)
    ids = [s["id"] for s in held]
    assert len(ids) == len(set(ids)), "the LRS holds a statement twice"
    rows = learner.outbox()
    assert sorted(ids) == sorted(r.statement_id for r in rows)
    by_id = {s["id"]: s for s in held}
    for row in rows:
        assert without_lrs_fields(by_id[row.statement_id]) == json.loads(row.json)


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str


def cli_env(
    *, endpoint: str = "", username: str = "", password: str = "", learner: str = ""
) -> dict[str, str]:
    without_proxies = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env = child_env(
        without_proxies, NO_PROXY="127.0.0.1,localhost", MICROLEARN_POLICY="", PYTHONUNBUFFERED="1"
    )
    values = {
        "lrs.endpoint": endpoint,
        "lrs.username": username,
        "lrs.password": password,
        "identity.source": "fixed",
        "identity.name": learner,
        "identity.home_page": HOME,
        "content.activity_base": BASE,
    }
    for key, value in values.items():
        env[env_name(key)] = value
    return env


def cli_command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "microlearn", "--data-dir", str(data_dir), *args]


def run_cli(data_dir: Path, *args: str, endpoint: str, username: str, password: str, learner: str) -> CliRun:
    done = subprocess.run(
        cli_command(data_dir, *args),
        env=cli_env(endpoint=endpoint, username=username, password=password, learner=learner),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
    )
    return CliRun(done.returncode, done.stdout, done.stderr)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def posted_ids(proxy: FaultProxy) -> list[list[str]]:
    """The statement ids of each POST/PUT the client sent through the proxy, in order."""
    sent = []
    for exchange in proxy.exchanges:
        if exchange.method in ("POST", "PUT"):
            payload = json.loads(exchange.body)
            sent.append([s["id"] for s in (payload if isinstance(payload, list) else [payload])])
    return sent


# -- comparing statements (no network) ------------------------------------------------------------
