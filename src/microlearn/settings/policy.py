"""The IT policy file as written: read it, find the line of each key, and report problems as file:line.

Which settings exist and which values they accept is config's table (``config.KEYS``); this
module knows only TOML. ``tomllib`` keeps no line numbers, so :func:`key_lines` finds
``key =`` under the right ``[table]`` in the text itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from microlearn.settings.logs import hide_url_password

Severity = Literal["error", "warning"]
LOCKED_TABLE = "locked"
POLICY_REFERENCE = "docs/deploying.md, section 'Policy reference'"

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_TABLE_RE = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY_RE = re.compile(rf"^\s*({_DOTTED})\s*=")
_PART_RE = re.compile(_PART)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


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
    problems: tuple[PolicyProblem, ...]

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
    import difflib  # only when a key is misspelt

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_message(name: str, known: Collection[str], what: str = "setting") -> str:
    nearest = nearest_name(name, known)
    hint = f"did you mean '{nearest}'?" if nearest else f"see {POLICY_REFERENCE} for every setting"
    return f"unknown {what} '{name}' is ignored; {hint}"


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        dotted = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _not_found(path: Path | None) -> PolicyFile:
    return PolicyFile(path, False, {}, {}, frozenset(), ())


def _broken(path: Path, line: int | None, reason: str) -> PolicyFile:
    message = f"the policy file could not be read ({reason}); none of it applies until it is fixed"
    return PolicyFile(path, True, {}, {}, frozenset(), (PolicyProblem("error", path, line, message),))


def read_policy(path: Path | None, known: Collection[str]) -> PolicyFile:
    """Read the policy at ``path``; a missing file is no policy, a broken one is reported, never raised."""
    if path is None or not path.exists():
        return _not_found(path)
    try:
        # utf-8-sig: Windows editors often save UTF-8 with a byte-order mark.
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _broken(path, None, f"it is not UTF-8 text: {exc.reason} at byte {exc.start}")
    except OSError as exc:
        return _broken(path, None, exc.strerror or type(exc).__name__)
    import tomllib  # only when there is a policy to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        position = _TOML_POSITION.search(reason)
        line = int(position.group(1)) if position else None
        if position:
            reason = _TOML_POSITION.sub("", reason) + f" at column {position.group(2)}"
        return _broken(path, line, f"not valid TOML: {reason}")

    lines = key_lines(text)
    problems: list[PolicyProblem] = []
    locked_raw = data.pop(LOCKED_TABLE, {})
    # The documented form is `[locked] keys = [...]`; a bare `locked = [...]` is accepted too.
    names = locked_raw.get("keys", []) if isinstance(locked_raw, dict) else locked_raw
    locked_line = locate_key(lines, "locked.keys")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problems.append(
            PolicyProblem(
                "error",
                path,
                locked_line,
                'locked keys must be a list of setting names, e.g. [locked] keys = ["lrs.endpoint"]; '
                "nothing is locked until this is fixed",
            )
        )
        names = []
    if isinstance(locked_raw, dict):
        for extra in sorted(set(locked_raw) - {"keys"}):
            problems.append(
                PolicyProblem(
                    "warning",
                    path,
                    locate_key(lines, f"locked.{extra}"),
                    unknown_message(f"locked.{extra}", ["locked.keys"], "entry"),
                )
            )
    for name in names:
        if name not in known:
            problems.append(
                PolicyProblem("warning", path, locked_line, unknown_message(name, known, "locked setting"))
            )
    values = _flatten(data)
    for name in list(values):
        if name not in known:
            problems.append(
                PolicyProblem("warning", path, locate_key(lines, name), unknown_message(name, known))
            )
            del values[name]
    return PolicyFile(path, True, values, lines, frozenset(n for n in names if n in known), tuple(problems))


_SECRET_NAME = re.compile(r"pass|secret|token|credential", re.IGNORECASE)
_VALUE_RE = re.compile(r"^(\s*[^=]+=\s*)(.*)$")


def redact_policy_text(text: str, secret_names: Collection[str]) -> str:
    """The policy as written, with the value of every secret setting (and of anything named like
    one, however misspelt) replaced, and passwords inside addresses hidden. For diagnostics."""
    import difflib

    lines = key_lines(text)
    secret_leaves = [name.rsplit(".", 1)[-1] for name in secret_names]

    def looks_secret(name: str) -> bool:
        leaf = name.rsplit(".", 1)[-1]
        return bool(
            name in secret_names
            or _SECRET_NAME.search(name)
            or difflib.get_close_matches(leaf, secret_leaves, n=1, cutoff=0.75)
        )

    secret_lines = {line for name, line in lines.items() if looks_secret(name)}
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _VALUE_RE.match(line)
        if number in secret_lines and match:
            line = f'{match.group(1)}"(redacted)"'
        elif _SECRET_NAME.search(line) and match and "{" in match.group(2):
            line = f'{match.group(1)}"(redacted: an inline table with a secret)"'
        out.append(hide_url_password(line))
    return "\n".join(out) + "\n"
