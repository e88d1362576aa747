"""The strict-LRS emulation itself: each behaviour of a strict LRS, against the real Ralph behind it."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from microlearn.records.lrs_client import LrsClient, LrsError, LrsSettings
from tests.support.lrs import fault_proxy as faults
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer
from tests.support.lrs.strict_rules import float_duration

pytestmark = pytest.mark.lrs

HOME = "https://learn.example.org"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def new_agent() -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": HOME, "name": f"learner-{uuid.uuid4().hex[:12]}"}}


def statement(agent: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": agent or new_agent(),
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": f"{HOME}/modules/m-{uuid.uuid4().hex[:8]}"},
        "result": {"completion": True, "duration": "PT5.50S", "score": {"scaled": 0.5}},
        "timestamp": "2026-11-22T10:00:00.123Z",
        **extra,
    }


def raw(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


@pytest.fixture
def direct(ralph: RalphServer) -> Iterator[LrsClient]:
    """Straight to Ralph: what is really stored."""
    with LrsClient(LrsSettings(ralph.endpoint, ralph.username, ralph.password)) as client:
        yield client


@pytest.fixture
def strict(ralph: RalphServer, strict_lrs: FaultProxy) -> Iterator[LrsClient]:
    with LrsClient(LrsSettings(strict_lrs.url, ralph.username, ralph.password, timeout_s=10.0)) as client:
        yield client


@pytest.fixture
def http(ralph: RalphServer, strict_lrs: FaultProxy) -> Iterator[httpx.Client]:
    """A bare HTTP client to the emulation: no xAPI header unless a test adds one."""
    with httpx.Client(
        base_url=strict_lrs.url, auth=(ralph.username, ralph.password), trust_env=False, timeout=10
    ) as client:
        yield client


# -- 409: a known id refuses the whole batch -----------------------------------------------------


@pytest.mark.parametrize("identical", [True, False], ids=["identical", "different"])
def test_a_batch_with_a_known_id_is_refused_whole(
    identical: bool, direct: LrsClient, strict: LrsClient, strict_lrs: FaultProxy
) -> None:
    known = statement()
    assert direct.post_statements([raw(known)]).status == 200  # stored behind the emulation's back
    again = known if identical else {**known, "result": {"completion": False}}
    new = statement(known["actor"])

    answer = strict.post_statements([raw(new), raw(again)])

    assert answer.status == 409
    assert direct.get_statement(new["id"]) is None  # nothing of the batch was stored
    assert strict.put_statement(known["id"], raw(again)).status == 409
    assert strict.post_statements([raw(new)]).status == 200
    assert strict.post_statements([raw(new)]).status == 409  # learnt from its own writes too
    assert strict_lrs.errors == []


# -- what it gives back -----------------------------------------------------------------------------


def test_statements_come_back_reserialised(direct: LrsClient, strict: LrsClient, http: httpx.Client) -> None:
    agent = new_agent()
    first = statement(agent)
    second = statement(agent, result={"duration": "PT1M16.58S"})
    assert strict.post_statements([raw(first), raw(second)]).status == 200

    got = strict.get_statement(first["id"])
    listed = {s["id"]: s for s in strict.iter_statements(agent)}

    assert got is not None
    assert got["result"]["duration"] == "PT5.5S"
    assert got["timestamp"] == "2026-11-22T10:00:00.123000+00:00"
    assert {"version", "stored", "authority"} <= set(got)
    assert got["stored"].endswith("+00:00")
    assert listed[second["id"]]["result"]["duration"] == "PT1M16.57S"
    assert listed[first["id"]] == got
    # Ralph itself keeps the text as sent: the rewriting is the emulation's.
    held = direct.get_statement(first["id"])
    assert held is not None and held["result"]["duration"] == "PT5.50S"
    # GET by id answers the statement itself, and 404 when there is none.
    one = http.get(
        "statements", params={"statementId": first["id"]}, headers={"X-Experience-API-Version": "1.0.3"}
    )
    assert one.status_code == 200 and one.json()["id"] == first["id"]
    absent = http.get(
        "statements", params={"statementId": str(uuid.uuid4())}, headers={"X-Experience-API-Version": "1.0.3"}
    )
    assert absent.status_code == 404


@pytest.mark.parametrize(
    ("given", "returned"),
    [
        ("PT5.50S", "PT5.5S"),
        ("PT1M16.58S", "PT1M16.57S"),
        ("PT16S", "PT16S"),
        ("PT0S", "PT0S"),
        ("PT1H0M0.10S", "PT1H0.1S"),
        ("P1DT1S", "P1DT1S"),
        ("P2D", "P2D"),
        ("P1Y", "P1Y"),
    ],
)
def test_float_durations(given: str, returned: str) -> None:
    assert float_duration(given) == returned


# -- overlapping writes, slow processing -------------------------------------------------------------


def test_identical_posts_overlapping_in_processing_are_both_stored(
    ralph: RalphServer, strict_lrs: FaultProxy, strict: LrsClient
) -> None:
    assert strict_lrs.strict is not None
    strict_lrs.strict.processing_s = 0.6
    agent = new_agent()
    batch = [raw(statement(agent)), raw(statement(agent))]
    ids = [json.loads(s)["id"] for s in batch]
    answers: list[int] = []

    def post() -> None:
        with LrsClient(LrsSettings(strict_lrs.url, ralph.username, ralph.password)) as client:
            answers.append(client.post_statements(batch).status)

    threads = [threading.Thread(target=post) for _ in range(2)]
    threads[0].start()
    deadline = time.monotonic() + 5
    while not strict_lrs.exchanges and time.monotonic() < deadline:  # the first is being processed
        time.sleep(0.01)
    threads[1].start()
    for thread in threads:
        thread.join(timeout=10)
    strict_lrs.strict.processing_s = 0.0

    assert answers == [200, 200]
    assert strict_lrs.held_twice() == set(ids)
    listed = [s["id"] for s in strict.iter_statements(agent)]
    assert sorted(listed) == sorted(ids * 2)
    with pytest.raises(Exception, match="500"):
        strict.get_statement(ids[0])


def test_a_slow_write_is_stored_after_the_client_gave_up(
    ralph: RalphServer, strict_lrs: FaultProxy, direct: LrsClient
) -> None:
    strict_lrs.queue(faults.delay(1.0))
    item = statement()

    with LrsClient(LrsSettings(strict_lrs.url, ralph.username, ralph.password, timeout_s=0.3)) as client:
        with pytest.raises(LrsError, match="Timeout"):
            client.post_statements([raw(item)])
        deadline = time.monotonic() + 10
        while direct.get_statement(item["id"]) is None and time.monotonic() < deadline:
            time.sleep(0.05)

        assert direct.get_statement(item["id"]) is not None
        assert client.post_statements([raw(item)]).status == 409
    (first, _second) = strict_lrs.exchanges
    assert first.upstream_status == 200  # stored, though the client had stopped waiting
    assert strict_lrs.errors == []


# -- 400: what a strict LRS refuses ------------------------------------------------------------------


def _bad_statements() -> list[tuple[str, dict[str, Any]]]:
    good = statement()
    return [
        ("unknown top-level property", {**good, "mood": "happy"}),
        ("unknown property in result", {**good, "result": {"completion": True, "grade": "A"}}),
        ("unknown property in score", {**good, "result": {"score": {"scaled": 0.5, "percent": 50}}}),
        (
            "unknown property in account",
            {**good, "actor": {"account": {"homePage": HOME, "name": "a", "x": 1}}},
        ),
        ("verb id not an IRI", {**good, "verb": {"id": "completed"}}),
        ("activity id with a space", {**good, "object": {"id": f"{HOME}/modules/two words"}}),
        (
            "homePage not an IRI",
            {**good, "actor": {"account": {"homePage": "learn.example.org", "name": "a"}}},
        ),
        ("extension key not an IRI", {**good, "context": {"extensions": {"version": "1"}}}),
        ("scaled above 1", {**good, "result": {"score": {"scaled": 1.01}}}),
        ("scaled below -1", {**good, "result": {"score": {"scaled": -1.5}}}),
        ("id not a UUID", {**good, "id": "not-a-uuid"}),
    ]


@pytest.mark.parametrize(("why", "bad"), _bad_statements(), ids=[why for why, _ in _bad_statements()])
def test_invalid_statements_are_refused_with_400(
    why: str, bad: dict[str, Any], strict: LrsClient, direct: LrsClient
) -> None:
    fine = statement()

    answer = strict.post_statements([raw(fine), raw(bad)])

    assert answer.status == 400, why
    assert json.loads(answer.body)["detail"]
    assert direct.get_statement(fine["id"]) is None


@pytest.mark.parametrize("header", [None, "", "0.95", "0.9", "2.0.0", "1.1"])
def test_a_missing_or_old_version_header_is_refused(
    header: str | None, http: httpx.Client, direct: LrsClient
) -> None:
    item = statement()
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["X-Experience-API-Version"] = header

    answer = http.post("statements", content=raw([item]), headers=headers)
    read = http.get("statements", params={"statementId": item["id"]}, headers=headers)

    assert (answer.status_code, read.status_code) == (400, 400)
    assert "X-Experience-API-Version" in answer.json()["detail"]
    assert direct.get_statement(item["id"]) is None


@pytest.mark.parametrize("header", ["1.0", "1.0.0", "1.0.3"])
def test_versions_and_scores_at_the_edges_are_accepted(
    header: str, http: httpx.Client, direct: LrsClient
) -> None:
    items = [statement(result={"score": {"scaled": edge}}) for edge in (-1, 1, 0.0)]
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": header}

    answer = http.post("statements", content=raw(items), headers=headers)

    assert answer.status_code == 200, answer.text
    assert answer.json() == [item["id"] for item in items]
    assert all(direct.get_statement(item["id"]) is not None for item in items)


def test_about_answers_without_a_version_header(http: httpx.Client) -> None:
    answer = http.get("about")

    assert answer.status_code == 200 and "1.0.3" in answer.json()["version"]


def test_the_plain_fault_proxy_stays_loose(ralph: RalphServer, fault_proxy: FaultProxy) -> None:
    # Without strict=True the proxy forwards as before: Ralph's own answers come through.
    item = statement(mood="happy")
    with LrsClient(LrsSettings(fault_proxy.url, ralph.username, ralph.password)) as client:
        assert client.post_statements([raw(item)]).status == 200
        assert client.post_statements([raw(item)]).status == 204
        held = client.get_statement(item["id"])
    assert held is not None and held["result"]["duration"] == "PT5.50S"
    assert fault_proxy.held_twice() == set()
