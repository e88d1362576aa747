"""The IT policy file as written: read it, find the line of each key, and report problems as file:line.

Which settings exist and which values they accept is config's table (``config.KEYS``); this
module knows only TOML. ``tomllib`` keeps no line numbers, so :func:`key_lines` finds
``key =`` under the right ``[table]`` in the text itself.

Nothing in a policy can stop the app: a file too large, nested too deep, with a number too
long or not TOML at all is one error at its file:line (or file), never an exception.
``[locked] keys`` names what no other layer may change (``table.*`` for a whole table), and
``[locked] allow_override`` which of those the environment and command line may still change.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]
LOCKED_TABLE = "locked"
# keys: what the learner and every other layer cannot change; allow_override: which of those the
# environment and the command line (IT's own scripts) may still change, by name.
LOCKED_ENTRIES = ("keys", "allow_override")
MAX_POLICY_BYTES = 1024 * 1024
MAX_NAME_SHOWN = 80  # a message repeats no more of an unknown key's name
MAX_DEPTH = 64  # only for placing the parser's own "too deep" at a line
POLICY_REFERENCE = "docs/deploying.md, section 'Policy reference'"

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_TABLE_RE = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY_RE = re.compile(rf"^\s*({_DOTTED})\s*=")
_PART_RE = re.compile(_PART)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_LONG_NUMBER = re.compile(r"[0-9][0-9_]{4000,}")


@dataclass(frozen=True)
class PolicyProblem:
    severity: Severity
    path: Path
    line: int | None
    message: str

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PolicyFile:
    """A policy as written: flattened ``table.key`` values (not yet checked) and their lines."""

    path: Path | None
    found: bool
    values: dict[str, Any] = field(repr=False)  # may hold the LRS password
    lines: dict[str, int]
    locked: frozenset[str]
    allow_override: frozenset[str]  # locked keys the environment and the command line may change
    problems: tuple[PolicyProblem, ...]
    parsed: bool = True  # False: missing, unreadable or not TOML (never copy such a file out as it is)

    def problem_at(self, name: str, message: str, severity: Severity = "error") -> PolicyProblem:
        """A problem with the value of ``name``, at the line where it is written."""
        return PolicyProblem(severity, self.path or Path(), locate_key(self.lines, name), message)


def _key_parts(dotted: str) -> tuple[str, ...]:
    parts = []
    for match in _PART_RE.finditer(dotted):
        part = match.group(0)
        if part[0] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def key_lines(text: str) -> dict[str, int]:
    """The line (1-based) where each dotted key, and each table, is first written."""
    lines: dict[str, int] = {}
    table: tuple[str, ...] = ()
    in_multiline = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            in_multiline = (line.count('"""') + line.count("'''")) % 2 == 0
            continue
        header = _TABLE_RE.match(line)
        if header:
            table = _key_parts(header.group(1))
            lines.setdefault(".".join(table), number)
            continue
        key = _KEY_RE.match(line)
        if key:
            lines.setdefault(".".join(table + _key_parts(key.group(1))), number)
            # A value that opens a multi-line string hides `x =` look-alikes until it closes.
            in_multiline = (line.count('"""') + line.count("'''")) % 2 == 1
    return lines


def locate_key(lines: Mapping[str, int], dotted: str) -> int | None:
    """The line of ``dotted``; else of the nearest enclosing table or inline table."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        line = lines.get(".".join(parts[:end]))
        if line is not None:
            return line
    return None


def nearest_name(name: str, known: Collection[str]) -> str | None:
    """The known setting most like ``name``: the same key under another table, else a close spelling."""
    last = name.rsplit(".", 1)[-1]
    same_last = [k for k in known if k.rsplit(".", 1)[-1] == last]
    if len(same_last) == 1:
        return same_last[0]
    if len(name) > MAX_NAME_SHOWN:  # no setting is that long; difflib would only take time
        return None
    import difflib  # late: only a mistyped key needs it, never the first paint

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_message(name: str, known: Collection[str], what: str = "setting") -> str:
    nearest = nearest_name(name, known)
    hint = f"did you mean '{nearest}'?" if nearest else f"see {POLICY_REFERENCE} for every setting"
    shown = name if len(name) <= MAX_NAME_SHOWN else name[: MAX_NAME_SHOWN - 1] + "…"
    return f"unknown {what} '{shown}' is ignored; {hint}"


def _flatten(table: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a": {"b": 1}}`` → ``{"a.b": 1}``; iterative, so a key 3,000 tables deep is just unknown."""
    flat: dict[str, Any] = {}
    stack: list[tuple[str, Mapping[str, Any]]] = [("", table)]
    while stack:
        prefix, current = stack.pop()
        for name, value in current.items():
            dotted = f"{prefix}{name}"
            if isinstance(value, Mapping):
                stack.append((dotted + ".", value))
            else:
                flat[dotted] = value
    return flat


def _not_found(path: Path | None) -> PolicyFile:
    return PolicyFile(path, False, {}, {}, frozenset(), frozenset(), (), parsed=False)


def _broken(path: Path, line: int | None, reason: str) -> PolicyFile:
    message = f"the policy file could not be read ({reason}); none of it applies until it is fixed"
    problem = PolicyProblem("error", path, line, message)
    return PolicyFile(path, True, {}, {}, frozenset(), frozenset(), (problem,), parsed=False)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _too_deep_line(text: str) -> int | None:
    """The line where arrays or inline tables first nest deeper than MAX_DEPTH (strings and comments
    skipped roughly: this only places the error that the parser itself raised)."""
    depth = 0
    quote: str | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif text.startswith(quote, index):
                index += len(quote) - 1
                quote = None
        elif char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, index) else char
            index += len(quote) - 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_of(text, index)
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return None


def _parse(path: Path, text: str) -> dict[str, Any] | PolicyFile:
    """The TOML of ``text``, or the broken policy that says why not (never an exception)."""
    import tomllib  # late: only a machine with a policy file reads TOML, after the first paint or not

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        position = _TOML_POSITION.search(reason)
        line = int(position.group(1)) if position else None
        if position:
            reason = _TOML_POSITION.sub("", reason) + f" at column {position.group(2)}"
        return _broken(path, line, f"not valid TOML: {reason}")
    except RecursionError:
        return _broken(path, _too_deep_line(text), f"arrays or tables nested more than {MAX_DEPTH} deep")
    except ValueError:  # a number of more than 4,300 digits (Python refuses to convert it)
        long_number = _LONG_NUMBER.search(text)
        line = _line_of(text, long_number.start()) if long_number else None
        return _broken(path, line, "a number far too long to be a setting")


def _name_list(
    raw: Any, entry: str, path: Path, lines: Mapping[str, int], known: Collection[str]
) -> tuple[frozenset[str], list[PolicyProblem]]:
    """The setting names of ``[locked] <entry>``: ``table.*`` stands for every key of that table."""
    line = locate_key(lines, f"{LOCKED_TABLE}.{entry}")
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        message = (
            f'locked {entry} must be a list of setting names, e.g. [locked] {entry} = ["lrs.endpoint"]; '
            + ("nothing is locked until this is fixed" if entry == "keys" else "no override is allowed")
        )
        return frozenset(), [PolicyProblem("error", path, line, message)]
    names: set[str] = set()
    problems = []
    for name in raw:
        if name.endswith(".*"):
            table = name[:-1]
            matches = {k for k in known if k.startswith(table)}
        else:
            matches = {name} & set(known)
        if not matches:
            problems.append(
                PolicyProblem("warning", path, line, unknown_message(name, known, "locked setting"))
            )
        names |= matches
    return frozenset(names), problems


def read_policy(path: Path | None, known: Collection[str]) -> PolicyFile:
    """Read the policy at ``path``; a missing file is no policy, a broken one is reported, never raised."""
    if path is None or not path.exists():
        return _not_found(path)
    if not path.is_file():  # a folder, or a FIFO that would block the read for good
        return _broken(path, None, "it is not a regular file")
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        return _broken(path, None, exc.strerror or type(exc).__name__)
    if len(raw) > MAX_POLICY_BYTES:
        return _broken(
            path, None, f"it is larger than {MAX_POLICY_BYTES // 1024} KB, far more than a policy needs"
        )
    try:
        # utf-8-sig: Windows editors often save UTF-8 with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _broken(path, None, f"it is not UTF-8 text: {exc.reason} at byte {exc.start}")
    data = _parse(path, text)
    if isinstance(data, PolicyFile):
        return data

    lines = key_lines(text)
    problems: list[PolicyProblem] = []
    locked_raw = data.pop(LOCKED_TABLE, {})
    # The documented form is `[locked] keys = [...]`; a bare `locked = [...]` is accepted too.
    table = locked_raw if isinstance(locked_raw, dict) else {"keys": locked_raw}
    locked, found = _name_list(table.get("keys", []), "keys", path, lines, known)
    problems += found
    allowed, found = _name_list(table.get("allow_override", []), "allow_override", path, lines, known)
    problems += found
    for name in sorted(allowed - locked):
        problems.append(
            PolicyProblem(
                "warning",
                path,
                locate_key(lines, f"{LOCKED_TABLE}.allow_override"),
                f"'{name}' is in [locked] allow_override but not locked: it can be changed anyway",
            )
        )
    for extra in sorted(set(table) - set(LOCKED_ENTRIES)):
        problems.append(
            PolicyProblem(
                "warning",
                path,
                locate_key(lines, f"{LOCKED_TABLE}.{extra}"),
                unknown_message(
                    f"{LOCKED_TABLE}.{extra}", [f"{LOCKED_TABLE}.{e}" for e in LOCKED_ENTRIES], "entry"
                ),
            )
        )
    values = _flatten(data)
    for name in list(values):
        if name not in known:
            problems.append(
                PolicyProblem("warning", path, locate_key(lines, name), unknown_message(name, known))
            )
            del values[name]
    return PolicyFile(path, True, values, lines, locked, allowed & locked, tuple(problems), parsed=True)
