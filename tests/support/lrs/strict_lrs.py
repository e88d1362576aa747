"""The strict-LRS emulation: the fault proxy behaving like an LRS that follows xAPI 1.0.3 to the letter.

Ralph (behind it) stores; this layer adds what production LRSs do and Ralph does not:

- 400 for a missing or old ``X-Experience-API-Version``, an unknown property, an invalid
  IRI, a scaled score outside [-1, 1] (``strict_rules.lrs_problems``), nothing stored;
- 409 for a POST or PUT holding an id already stored, identical or not, nothing of the
  batch stored;
- slow processing (``processing_s``, or a ``delay`` fault): a write is stored after that
  time whether or not the client is still waiting for the answer;
- two writes of one id that overlap while the first is still being processed are both
  stored; from then on GET by that id answers 500 ("returned more than one") and lists
  show both copies (``held_twice``);
- what it returns is re-serialised (``strict_rules.reserialised``), GET by id gives the
  statement itself (404 when absent), ``/about`` answers.

What is stored is learnt per agent the first time a write names that agent (one listing
upstream, following ``more``) and kept up to date from the writes that pass through; a
write straight to Ralph under an agent already seen is noticed only when Ralph itself
answers that it knew the statement (then the answer is 409, as here).
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from tests.support.lrs.strict_rules import lrs_problems, reserialised, version_problem

if TYPE_CHECKING:
    from tests.support.lrs.fault_proxy import Request

Answer = tuple[int, list[tuple[str, str]], bytes]
Forward = Callable[["Request"], Answer]
# (path and query, Authorization header or None) -> (status, body); not counted as forwarded.
Fetch = Callable[[str, "str | None"], tuple[int, bytes]]
# Wait this long; True if the proxy is stopping meanwhile.
Wait = Callable[[float], bool]

ABOUT = {"version": ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]}
_IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")


def _json_answer(code: int, payload: object) -> Answer:
    headers = [("Content-Type", "application/json"), ("X-Experience-API-Version", "1.0.3")]
    return code, headers, json.dumps(payload, separators=(",", ":")).encode()


def _refusal(code: int, detail: str) -> Answer:
    return _json_answer(code, {"detail": detail})


def _agent_filter(actor: Any) -> str | None:
    """The ``agent`` query value naming ``actor``, if it is an Agent with one identifier."""
    if not isinstance(actor, dict) or actor.get("objectType", "Agent") != "Agent":
        return None
    found = [key for key in _IDENTIFIERS if key in actor]
    if len(found) != 1:
        return None
    return json.dumps(
        {"objectType": "Agent", found[0]: actor[found[0]]}, separators=(",", ":"), sort_keys=True
    )


def _statements_of(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("statements"), list):
        return list(data["statements"])
    return data if isinstance(data, list) else [data]


@dataclasses.dataclass(frozen=True)
class _Copy:
    statement: dict[str, Any]
    stored: datetime


class StrictLrs:
    def __init__(
        self, endpoint_path: str, *, forward: Forward, fetch: Fetch, wait: Wait, processing_s: float = 0.0
    ) -> None:
        base = endpoint_path if endpoint_path.endswith("/") else endpoint_path + "/"
        self._statements_path = base + "statements"
        self._about_path = base + "about"
        self._forward = forward
        self._fetch = fetch
        self._wait = wait
        self.processing_s = processing_s
        self._lock = threading.Lock()
        self._stored: set[str] = set()
        self._seeded_agents: set[str] = set()
        self._in_flight: Counter[str] = Counter()
        self._copies: dict[str, list[_Copy]] = {}

    def held_twice(self) -> set[str]:
        """Ids this LRS holds more than one statement for (overlapping writes)."""
        with self._lock:
            return set(self._copies)

    # -- one request ---------------------------------------------------------------------------------

    def handle(self, request: Request, delay_s: float = 0.0) -> Answer | None:
        """The answer to ``request``, or ``None`` if the proxy stopped while it was processed."""
        path, _, query = request.target.partition("?")
        if path == self._about_path and request.method == "GET":
            return _json_answer(200, ABOUT)  # the one resource the spec leaves unversioned
        problem = version_problem(request.header("X-Experience-API-Version"))
        if problem is not None:
            return _refusal(400, problem)
        params = {key: values[-1] for key, values in parse_qs(query).items()}
        if path == self._statements_path and request.method in ("POST", "PUT"):
            return self._write(request, params, delay_s)
        if delay_s and self._wait(delay_s):
            return None
        if path == self._statements_path and request.method == "GET":
            return self._read(request, params)
        return self._forward(request)

    # -- writes ----------------------------------------------------------------------------------------

    def _write(self, request: Request, params: dict[str, str], delay_s: float) -> Answer | None:
        try:
            payload: Any = json.loads(request.body)
        except ValueError:
            return _refusal(400, "the request body is not JSON")
        if request.method == "PUT":
            if not isinstance(payload, dict):
                return _refusal(400, "a PUT body must be one statement")
            statement_id = params.get("statementId")
            if not statement_id:
                return _refusal(400, "a PUT needs the statementId parameter")
            if payload.get("id", statement_id) != statement_id:
                return _refusal(400, "the statementId parameter and the statement's id differ")
            statements = [{**payload, "id": statement_id}]
        else:
            statements = payload if isinstance(payload, list) else [payload]
        if not statements:
            return _refusal(400, "an empty batch")
        problems = [
            f"statement {index}: {problem}" if len(statements) > 1 else problem
            for index, statement in enumerate(statements)
            for problem in lrs_problems(statement)
        ]
        if problems:
            return _refusal(400, "; ".join(problems))
        ids = [s["id"] for s in statements if "id" in s]
        if len(ids) != len(set(ids)):
            return _refusal(400, "the batch holds two statements with one id")

        with self._lock:
            self._learn(statements, request.header("Authorization"))
            overlapping = {i for i in ids if self._in_flight[i] > 0}
            known = [i for i in ids if i not in overlapping and i in self._stored]
            if known:
                return _refusal(409, f"statements with these ids are already stored: {known}")
            self._in_flight.update(ids)
        try:
            if self._wait(self.processing_s + delay_s):
                return None
            return self._store(request, statements, overlapping)
        finally:
            with self._lock:
                self._in_flight.subtract(ids)
                self._in_flight += Counter()  # drop the zeros

    def _store(self, request: Request, statements: list[dict[str, Any]], copies: set[str]) -> Answer:
        ahead = [s for s in statements if s.get("id") not in copies]
        assigned: list[str] = []
        if ahead:
            body = request.body
            if len(ahead) != len(statements):
                body = json.dumps(ahead, separators=(",", ":")).encode()
            code, headers, answer = self._forward(dataclasses.replace(request, body=body))
            if code not in (200, 204):
                return code, headers, answer
            expected = [s["id"] for s in ahead if "id" in s]
            if request.method == "POST":
                assigned = [str(i) for i in json.loads(answer)] if code == 200 else []
                if len(assigned) != len(ahead):
                    # Ralph kept only the ids it did not know: it held the others already.
                    with self._lock:
                        self._stored.update(expected)
                    return _refusal(409, "some of these statements are already stored")
            with self._lock:
                self._stored.update(expected if request.method == "PUT" else assigned)
        now = datetime.now(UTC)
        with self._lock:
            for statement in statements:
                if statement.get("id") in copies:
                    self._copies.setdefault(statement["id"], []).append(_Copy(statement, now))
        if request.method == "PUT":
            return 204, [("X-Experience-API-Version", "1.0.3")], b""
        new_ids = iter(assigned)
        return _json_answer(200, [s["id"] if s.get("id") in copies else next(new_ids) for s in statements])

    def _known_upstream(self, statement_id: str, auth: str | None) -> bool:
        code, body = self._fetch(f"{self._statements_path}?statementId={quote(statement_id)}", auth)
        return code == 200 and any(
            isinstance(s, dict) and s.get("id") == statement_id for s in _statements_of(json.loads(body))
        )

    def _learn(self, statements: Sequence[dict[str, Any]], auth: str | None) -> None:
        """Know what upstream holds for each agent named, once per agent (caller holds the lock)."""
        for statement in statements:
            agent = _agent_filter(statement.get("actor"))
            if agent is None:
                if "id" in statement and self._known_upstream(statement["id"], auth):
                    self._stored.add(statement["id"])
                continue
            if agent in self._seeded_agents:
                continue
            target: str | None = f"{self._statements_path}?agent={quote(agent)}&limit=500"
            seen: set[str] = set()
            while target and target not in seen:
                seen.add(target)
                code, body = self._fetch(target, auth)
                if code != 200:
                    break
                page = json.loads(body)
                held = _statements_of(page)
                self._stored.update(
                    s["id"] for s in held if isinstance(s, dict) and isinstance(s.get("id"), str)
                )
                more = page.get("more") if isinstance(page, dict) and held else None
                target = more if isinstance(more, str) and more else None
            else:
                self._seeded_agents.add(agent)

    # -- reads -----------------------------------------------------------------------------------------

    def _read(self, request: Request, params: dict[str, str]) -> Answer:
        wanted = params.get("statementId") or params.get("voidedStatementId")
        if wanted is not None:
            with self._lock:
                twice = wanted in self._copies
            if twice:
                return _refusal(500, f"GET by statementId {wanted} returned more than one statement")
        code, headers, body = self._forward(request)
        if code != 200:
            return code, headers, body
        try:
            data = json.loads(body)
        except ValueError:
            return code, headers, body
        if wanted is not None:
            for statement in _statements_of(data):
                if isinstance(statement, dict) and statement.get("id") == wanted:
                    return _json_answer(200, reserialised(statement))
            return _refusal(404, f"no statement {wanted}")
        if not isinstance(data, dict):
            return code, headers, body
        page: list[Any] = []
        with self._lock:
            copies = {key: list(value) for key, value in self._copies.items()}
        for statement in _statements_of(data):
            if not isinstance(statement, dict):
                page.append(statement)
                continue
            page.append(reserialised(statement))
            for copy in copies.get(str(statement.get("id")), []):
                extra = {**copy.statement, "authority": statement.get("authority")}
                page.append(
                    reserialised({k: v for k, v in extra.items() if v is not None}, stored=copy.stored)
                )
        return _json_answer(200, {**data, "statements": page})
