"""LrsClient against a real Ralph LRS, directly and through the fault-injecting proxy."""

from __future__ import annotations

import base64
import email.utils
import gc
import json
import math
import socket
import time
import tracemalloc
import uuid
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from microlearn.records.lrs_client import (
    DeadlineExceededError,
    FailureKind,
    HostError,
    LrsClient,
    LrsError,
    LrsSettings,
    LrsStatusError,
    NetworkDownError,
    OutcomeUnknownError,
    ResponseTooLargeError,
)
from tests.support.lrs import fault_proxy as faults
from tests.support.lrs import hostile_server as hostile
from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer

pytestmark = pytest.mark.lrs

HOME = "https://learn.example.org"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
LRS_ADDED = ("stored", "authority", "version")


def new_agent() -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": HOME, "name": f"learner-{uuid.uuid4().hex[:12]}"}}


def make_statement(agent: dict[str, Any] | None = None, statement_id: str | None = None, **extra: Any) -> str:
    """A minimal valid xAPI statement, frozen as the outbox would hold it."""
    statement = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": agent or new_agent(),
        "verb": {"id": ANSWERED, "display": {"en-US": "answered"}},
        "object": {"objectType": "Activity", "id": f"{HOME}/questions/q-{uuid.uuid4().hex[:8]}"},
        "result": {"success": True, "response": "b"},
        "timestamp": "2026-11-22T10:00:00.123Z",
        **extra,
    }
    return json.dumps(statement, separators=(",", ":"), ensure_ascii=False)


def sid(raw: str) -> str:
    statement_id: str = json.loads(raw)["id"]
    return statement_id


def without_lrs_fields(statement: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in statement.items() if k not in LRS_ADDED}


def settings_for(endpoint: str, server: RalphServer, **kwargs: Any) -> LrsSettings:
    return LrsSettings(endpoint=endpoint, username=server.username, password=server.password, **kwargs)


@pytest.fixture
def client(ralph: RalphServer) -> Iterator[LrsClient]:
    with LrsClient(settings_for(ralph.endpoint, ralph)) as lrs:
        yield lrs


@pytest.fixture
def proxied(ralph: RalphServer, fault_proxy: FaultProxy) -> Iterator[LrsClient]:
    with LrsClient(settings_for(fault_proxy.url, ralph, timeout_s=10.0)) as lrs:
        yield lrs


# -- the statements resource, directly ---------------------------------------------------


def test_post_batch_then_get_each_back(client: LrsClient) -> None:
    batch = [make_statement() for _ in range(3)]

    response = client.post_statements(batch)

    assert response.status == 200
    assert json.loads(response.body) == [sid(raw) for raw in batch]
    assert response.date is not None and response.date.tzinfo is not None
    for raw in batch:
        stored = client.get_statement(sid(raw))
        assert stored is not None
        assert "stored" in stored and "authority" in stored
        assert without_lrs_fields(stored) == json.loads(raw)


def test_get_unknown_statement_is_none(client: LrsClient) -> None:
    # Ralph answers 200 {"statements": []} rather than 404; both mean "absent".
    assert client.get_statement(str(uuid.uuid4())) is None


def test_identical_resend_is_harmless(client: LrsClient) -> None:
    batch = [make_statement() for _ in range(3)]
    assert client.post_statements(batch).status == 200

    again = client.post_statements(batch)

    # The spec also allows 409 here (other LRSs); Ralph answers 204.
    assert again.status == 204
    assert client.put_statement(sid(batch[0]), batch[0]).status == 204


def test_partly_known_batch_stores_the_new_ones(client: LrsClient) -> None:
    known = make_statement()
    assert client.post_statements([known]).status == 200
    new = make_statement()

    response = client.post_statements([known, new])

    # Ralph drops the identical known one and stores the rest (a stricter LRS: 409).
    assert response.status == 200
    assert json.loads(response.body) == [sid(new)]
    assert client.get_statement(sid(new)) is not None


def test_different_statement_with_known_id_conflicts(client: LrsClient) -> None:
    original = make_statement()
    assert client.post_statements([original]).status == 200
    impostor = make_statement(statement_id=sid(original))
    other = make_statement()

    assert client.post_statements([other, impostor]).status == 409
    assert client.put_statement(sid(original), impostor).status == 409
    assert client.get_statement(sid(other)) is None  # the batch was refused whole
    stored = client.get_statement(sid(original))
    assert stored is not None and without_lrs_fields(stored) == json.loads(original)


def test_put_statement_stores_it(client: LrsClient) -> None:
    raw = make_statement()

    assert client.put_statement(sid(raw), raw).status == 204

    stored = client.get_statement(sid(raw))
    assert stored is not None and without_lrs_fields(stored) == json.loads(raw)


def test_wrong_password_is_refused(ralph: RalphServer) -> None:
    settings = LrsSettings(ralph.endpoint, ralph.username, "not-the-password")
    with LrsClient(settings) as lrs:
        assert lrs.post_statements([make_statement()]).status in (401, 403)
        with pytest.raises(LrsStatusError) as info:
            lrs.get_statement(str(uuid.uuid4()))
    assert info.value.response.status in (401, 403)


def test_about_is_missing_on_ralph(client: LrsClient) -> None:
    # Ralph 5.1.0 has no /about resource (a conformant LRS answers 200 with versions).
    assert client.about().status == 404


def test_iter_statements_follows_more_across_pages(fresh_ralph: RalphServer) -> None:
    learner, other = new_agent(), new_agent()
    mine = [make_statement(learner) for _ in range(7)]
    with FaultProxy(fresh_ralph.endpoint) as proxy, LrsClient(settings_for(proxy.url, fresh_ralph)) as lrs:
        assert lrs.post_statements([*mine[:4], make_statement(other)]).status == 200
        assert lrs.post_statements([make_statement(other), *mine[4:]]).status == 200
        proxy.reset_counters()

        got = list(lrs.iter_statements(learner, page_limit=3))

        assert sorted(s["id"] for s in got) == sorted(sid(raw) for raw in mine)
        assert len(got) == len({s["id"] for s in got})
        pages = [e for e in proxy.exchanges if e.method == "GET"]
        assert len(pages) == math.ceil(7 / 3)
        # Page 2+ are Ralph's `more` links as given: relative to the server root.
        assert all(e.target.startswith("/xAPI/statements?") for e in pages)
        assert "search_after=" in pages[1].target
        assert proxy.errors == []


def test_iter_statements_exact_multiple_of_page_size(fresh_ralph: RalphServer) -> None:
    learner = new_agent()
    mine = [make_statement(learner) for _ in range(6)]
    with LrsClient(settings_for(fresh_ralph.endpoint, fresh_ralph)) as lrs:
        assert lrs.post_statements(mine).status == 200
        # Ralph offers a `more` link to an empty last page here; the client ends cleanly.
        got = [s["id"] for s in lrs.iter_statements(learner, page_limit=3)]
        assert sorted(got) == sorted(sid(raw) for raw in mine)
        assert list(lrs.iter_statements(new_agent(), page_limit=3)) == []


# -- network failures ----------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_refused_connection_raises_without_the_password() -> None:
    password = f"s3cret-{uuid.uuid4().hex}"
    settings = LrsSettings(f"http://127.0.0.1:{_closed_port()}/xAPI/", "someone", password, timeout_s=5)
    assert password not in repr(settings)
    with LrsClient(settings) as lrs:
        for call in (
            lambda: lrs.post_statements([make_statement()]),
            lambda: lrs.get_statement(str(uuid.uuid4())),
            lambda: list(lrs.iter_statements(new_agent())),
            lrs.about,
        ):
            with pytest.raises(LrsError) as info:
                call()
            assert password not in str(info.value)
            assert password not in repr(info.value)
            assert info.value.__cause__ is None


def test_tls_failure_is_an_lrs_error(ralph: RalphServer) -> None:
    # Speaking TLS to a plain-HTTP port fails the handshake: the host is there, so not "offline".
    settings = settings_for(f"https://127.0.0.1:{ralph.port}/xAPI/", ralph, timeout_s=5)
    with LrsClient(settings) as lrs, pytest.raises(HostError) as info:
        lrs.post_statements([make_statement()])
    assert info.value.kind is FailureKind.HOST_ERROR and not info.value.maybe_sent
    assert "TLS" in str(info.value) and "network.ca_bundle" in str(info.value)


# -- what kind of failure: offline, a failing host, or an outcome we cannot know ------------------


def test_a_refused_connection_is_the_host_not_the_network() -> None:
    port = _closed_port()
    settings = LrsSettings(f"http://127.0.0.1:{port}/xAPI/", "someone", "pw", timeout_s=5)
    with LrsClient(settings) as lrs, pytest.raises(HostError) as info:
        lrs.post_statements([make_statement()])
    assert not info.value.maybe_sent
    assert f"127.0.0.1:{port} refused the connection" in str(info.value)
    assert "lrs.endpoint" in str(info.value)  # where the admin should look


def test_a_name_that_does_not_resolve_is_offline() -> None:
    # .invalid never resolves (RFC 2606), with or without a network.
    settings = LrsSettings("http://lrs.example.invalid/xAPI/", "someone", "pw", timeout_s=5)
    with LrsClient(settings) as lrs, pytest.raises(NetworkDownError) as info:
        lrs.get_statement(str(uuid.uuid4()))
    assert info.value.kind is FailureKind.NETWORK_DOWN and not info.value.maybe_sent
    assert "lrs.example.invalid" in str(info.value)


@pytest.mark.parametrize("fault", [faults.reset_after(), faults.reset_before()], ids=["after", "before"])
def test_a_reset_once_the_request_is_sent_is_an_unknown_outcome(
    fault: faults.Fault, proxied: LrsClient, fault_proxy: FaultProxy
) -> None:
    # Whether the proxy forwarded it or not, the client cannot tell: it sent the whole request.
    fault_proxy.queue(fault)

    with pytest.raises(OutcomeUnknownError) as info:
        proxied.post_statements([make_statement()])

    assert info.value.maybe_sent
    assert "may still have processed it" in str(info.value)


def test_a_read_timeout_is_an_unknown_outcome(ralph: RalphServer, fault_proxy: FaultProxy) -> None:
    fault_proxy.queue(faults.delay(1.5))
    with (
        LrsClient(settings_for(fault_proxy.url, ralph, timeout_s=0.5)) as lrs,
        pytest.raises(OutcomeUnknownError) as info,
    ):
        lrs.post_statements([make_statement()])
    assert info.value.maybe_sent and not isinstance(info.value, DeadlineExceededError)


# -- a total deadline, whatever the server trickles ------------------------------------------------


@pytest.mark.parametrize(
    "behaviour", [hostile.drip_headers(0.25), hostile.drip_body(0.25)], ids=["headers", "body"]
)
def test_a_dripping_server_cannot_outlast_the_deadline(behaviour: hostile.Behaviour) -> None:
    # Each byte comes well within the read timeout, so only a total deadline ends this.
    password = f"pw-{uuid.uuid4().hex}"
    with hostile.HostileServer(behaviour) as server:
        settings = LrsSettings(server.endpoint, "someone", password, timeout_s=20, deadline_s=1.5)
        with LrsClient(settings) as lrs:
            for call in (lambda: lrs.post_statements([make_statement()]), lambda: lrs.get_statement("x")):
                started = time.monotonic()
                with pytest.raises(DeadlineExceededError) as info:
                    call()
                took = time.monotonic() - started
                assert 1.4 <= took < 3.0
                assert info.value.maybe_sent
                assert "total deadline" in str(info.value) and password not in str(info.value)


@pytest.mark.parametrize("how", ["explicit", "system"])
def test_a_dripping_proxy_cannot_outlast_the_deadline(how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Requests through a proxy (IT's, or the system's) get the same total deadline, down at
    # the socket: a proxy dripping its headers is never seen by a check between body chunks.
    with hostile.HostileServer(hostile.drip_headers(0.25)) as proxy:
        proxy_url = proxy.endpoint.removesuffix("/xAPI/")
        if how == "system":
            monkeypatch.delenv("NO_PROXY", raising=False)
            monkeypatch.delenv("no_proxy", raising=False)
            monkeypatch.setenv("HTTP_PROXY", proxy_url)
        explicit = proxy_url if how == "explicit" else None
        settings = LrsSettings(
            "http://lrs.example.org/xAPI/", "someone", "pw", proxy=explicit, deadline_s=1.0
        )
        with LrsClient(settings) as lrs:
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError):
                lrs.get_statement("x")
            assert time.monotonic() - started < 2.5
        assert proxy.requests == 1


def test_a_call_may_ask_for_less_than_the_deadline() -> None:
    # The run's own deadline (the time it has left) bounds a request further.
    with (
        hostile.HostileServer(hostile.drip_body(0.2)) as server,
        LrsClient(LrsSettings(server.endpoint, "someone", "pw", deadline_s=60)) as lrs,
    ):
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError):
            lrs.statements_page(new_agent(), within_s=0.8)
        assert time.monotonic() - started < 2.0


# -- a cap on the size of an answer ------------------------------------------------------------------

HUGE = 200 * 1024 * 1024


@pytest.mark.parametrize("declared", [False, True], ids=["streamed", "announced"])
def test_a_200_mb_answer_is_cut_at_the_cap_without_growing_memory(declared: bool) -> None:
    with (
        hostile.HostileServer(hostile.huge_body(HUGE, declared=declared)) as server,
        LrsClient(LrsSettings(server.endpoint, "someone", "pw")) as lrs,
    ):
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError) as info:
                lrs.statements_page(new_agent())
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert peak < 64 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB while refusing a 200 MB answer"
    assert info.value.maybe_sent
    assert "lrs.endpoint" in str(info.value) and "MB" in str(info.value)


def test_answers_under_the_cap_are_read_whole(ralph: RalphServer) -> None:
    with LrsClient(settings_for(ralph.endpoint, ralph, max_response_bytes=64 * 1024)) as lrs:
        batch = [make_statement() for _ in range(3)]
        assert lrs.post_statements(batch).status == 200
        assert lrs.get_statement(sid(batch[0])) is not None


# -- through the fault proxy ---------------------------------------------------------------


def test_request_goes_out_byte_for_byte_with_xapi_headers(
    proxied: LrsClient,
    fault_proxy: FaultProxy,
    ralph: RalphServer,
) -> None:
    # Unusual spacing, key order and non-ASCII must survive: we never re-serialize.
    first = "".join(
        [
            '{ "timestamp":"2026-11-22T10:00:00.123Z", "id":"',
            str(uuid.uuid4()),
            '",\n "verb":{"id":"',
            ANSWERED,
            '"},"actor":{"objectType":"Agent","account":{"homePage":"',
            HOME,
            '","name":"Zoë"}},"object":{"id":"',
            HOME,
            '/modules/café"}}',
        ]
    )
    batch = [first, make_statement()]

    assert proxied.post_statements(batch).status == 200

    (exchange,) = fault_proxy.exchanges
    assert exchange.body == ("[" + ",".join(batch) + "]").encode("utf-8")
    headers = {k.lower(): v for k, v in exchange.headers}
    assert headers["x-experience-api-version"] == "1.0.3"
    assert headers["content-type"] == "application/json"
    token = base64.b64encode(f"{ralph.username}:{ralph.password}".encode()).decode()
    assert headers["authorization"] == f"Basic {token}"


def test_fault_pass_and_delay(proxied: LrsClient, fault_proxy: FaultProxy) -> None:
    fault_proxy.queue(faults.passthrough(), faults.delay(0.3))
    raw1, raw2 = make_statement(), make_statement()

    assert proxied.post_statements([raw1]).status == 200
    started = time.monotonic()
    assert proxied.post_statements([raw2]).status == 200

    assert time.monotonic() - started >= 0.3
    assert fault_proxy.injected == {"delay": 1}
    assert fault_proxy.forwarded == 2


def test_fault_delay_beyond_timeout(ralph: RalphServer, fault_proxy: FaultProxy) -> None:
    fault_proxy.queue(faults.delay(1.5))
    raw = make_statement()
    with LrsClient(settings_for(fault_proxy.url, ralph, timeout_s=0.5)) as lrs:
        started = time.monotonic()
        with pytest.raises(LrsError, match="Timeout"):
            lrs.post_statements([raw])
        assert time.monotonic() - started < 1.4


def test_fault_reset_before_stores_nothing(
    proxied: LrsClient,
    client: LrsClient,
    fault_proxy: FaultProxy,
) -> None:
    fault_proxy.queue(faults.reset_before())
    raw = make_statement()

    with pytest.raises(LrsError):
        proxied.post_statements([raw])

    assert fault_proxy.forwarded == 0
    assert client.get_statement(sid(raw)) is None


def test_fault_reset_after_loses_the_answer_not_the_statement(
    proxied: LrsClient,
    client: LrsClient,
    fault_proxy: FaultProxy,
) -> None:
    fault_proxy.queue(faults.reset_after())
    raw = make_statement()

    with pytest.raises(LrsError):
        proxied.post_statements([raw])

    (exchange,) = fault_proxy.exchanges
    assert exchange.upstream_status == 200 and exchange.client_status is None
    assert client.get_statement(sid(raw)) is not None  # the LRS HAS stored it
    assert proxied.post_statements([raw]).status == 204  # and the re-send is harmless


@pytest.mark.parametrize("code", [500, 503, 429])
def test_fault_status_is_answered_by_the_proxy(
    code: int,
    proxied: LrsClient,
    client: LrsClient,
    fault_proxy: FaultProxy,
) -> None:
    fault_proxy.queue(faults.status(code, retry_after=7 if code != 500 else None))
    raw = make_statement()

    response = proxied.post_statements([raw])

    assert response.status == code
    assert response.retry_after_s == (7.0 if code != 500 else None)
    assert response.date is not None
    assert fault_proxy.forwarded == 0
    assert client.get_statement(sid(raw)) is None


def test_retry_after_as_http_date(proxied: LrsClient, fault_proxy: FaultProxy) -> None:
    fault_proxy.queue(faults.status(503, retry_after=email.utils.formatdate(time.time() + 30, usegmt=True)))

    response = proxied.post_statements([make_statement()])

    assert response.status == 503
    assert response.retry_after_s is not None and 27 <= response.retry_after_s <= 31
    assert response.date is not None
    assert abs((response.date - datetime.now(UTC)).total_seconds()) < 5


def test_fault_strict_409_refuses_a_batch_with_a_known_id(
    proxied: LrsClient,
    client: LrsClient,
    fault_proxy: FaultProxy,
) -> None:
    known = make_statement()
    assert client.post_statements([known]).status == 200
    new1, new2 = make_statement(), make_statement()
    fault_proxy.set_default(faults.strict_409())

    assert proxied.post_statements([new1, known, new2]).status == 409
    assert client.get_statement(sid(new1)) is None
    assert client.get_statement(sid(new2)) is None
    assert proxied.put_statement(sid(known), known).status == 409  # even identical

    assert proxied.post_statements([new1, new2]).status == 200
    assert client.get_statement(sid(new1)) is not None
    assert fault_proxy.injected == {"strict_409": 3}
    assert fault_proxy.errors == []


def test_seeded_random_faults_are_reproducible(proxied: LrsClient, fault_proxy: FaultProxy) -> None:
    weights = [(faults.status(503, retry_after=1), 0.3), (faults.reset_before(), 0.2)]

    def run() -> list[int | str]:
        fault_proxy.reset_counters()
        fault_proxy.set_random(seed=1234, weights=weights, methods=["POST"])
        seen: list[int | str] = []
        for _ in range(20):
            try:
                seen.append(proxied.post_statements([make_statement()]).status)
            except LrsError:
                seen.append("reset")
        return seen

    first = run()
    assert run() == first
    assert fault_proxy.requests == 20
    assert first.count(503) == fault_proxy.injected["status"] > 0
    assert first.count("reset") == fault_proxy.injected["reset_before"] > 0
    assert first.count(200) == fault_proxy.forwarded > 0
    assert proxied.get_statement(str(uuid.uuid4())) is None  # GET is not subject to faults


# -- proxies and TLS settings ------------------------------------------------------------------


def test_explicit_proxy_is_used(ralph: RalphServer, fault_proxy: FaultProxy) -> None:
    with LrsClient(settings_for(ralph.endpoint, ralph, proxy=fault_proxy.proxy_url)) as lrs:
        assert lrs.post_statements([make_statement()]).status == 200
    assert fault_proxy.requests == 1


def test_system_proxy_is_used_when_none_is_set(
    ralph: RalphServer,
    fault_proxy: FaultProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_PROXY")
    monkeypatch.delenv("no_proxy")
    monkeypatch.setenv("HTTP_PROXY", fault_proxy.proxy_url)
    with LrsClient(settings_for(ralph.endpoint, ralph)) as lrs:
        assert lrs.post_statements([make_statement()]).status == 200
    assert fault_proxy.requests == 1

    # An explicit proxy overrides the environment entirely.
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_closed_port()}")
    with LrsClient(settings_for(ralph.endpoint, ralph, proxy=fault_proxy.proxy_url)) as lrs:
        assert lrs.post_statements([make_statement()]).status == 200
    assert fault_proxy.requests == 2


def test_missing_ca_bundle_fails_at_construction(ralph: RalphServer, tmp_path: Any) -> None:
    with pytest.raises(OSError):
        LrsClient(settings_for(ralph.endpoint, ralph, ca_bundle=tmp_path / "missing.pem"))


def test_a_sent_batch_is_freed_without_the_cyclic_collector() -> None:
    """A sync of 10,000 statements must not keep every batch body alive until gc runs."""
    sent: list[weakref.ref[httpx.Request]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(weakref.ref(request))
        return httpx.Response(200, json=["id"])

    client = LrsClient(
        LrsSettings("http://127.0.0.1:9/xAPI/", "user", "secret"), transport=httpx.MockTransport(answer)
    )
    gc.disable()
    try:
        assert client.post_statements(['{"id":"id","pad":"' + "x" * 100_000 + '"}']).status == 200
        (freed,) = sent
        assert freed() is None
    finally:
        gc.enable()
        client.close()
