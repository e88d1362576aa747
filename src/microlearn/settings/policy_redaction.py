"""The IT policy as written, with its secrets taken out: for the helpdesk's diagnostics zip.

Only a policy that parses is copied: in a broken one (``password: "PW"``, a duplicate key, a
missing ``=``) nothing says reliably where a value starts or ends, so it is left out and the
zip says so. In one that parses, secrets are taken out twice: by key name and line (the
secret keys, and anything named like one, however misspelt), and by value (every text under
such a key, wherever else it appears, each line of a multi-line one included).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from microlearn.settings.policy import key_lines
from microlearn.settings.redaction import hide_url_password

REDACTED = "(redacted)"
_SECRET_NAME = re.compile(r"pass|secret|token|credential", re.IGNORECASE)
_VALUE_RE = re.compile(r"^(\s*[^=]+=\s*)(.*)$")


def _looks_secret(name: str, secret_names: Collection[str]) -> bool:
    leaf = name.rsplit(".", 1)[-1]
    leaves = [n.rsplit(".", 1)[-1] for n in secret_names]
    return bool(
        name in secret_names
        or _SECRET_NAME.search(name)
        or difflib.get_close_matches(leaf, leaves, n=1, cutoff=0.75)
    )


def _texts(value: Any) -> Iterator[str]:
    """Every text inside a value: itself, or the items of its arrays and inline tables."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, Mapping):
            stack.extend(current.values())


def _secret_texts(data: Mapping[str, Any], secret_names: Collection[str]) -> set[str]:
    found: set[str] = set()
    stack: list[tuple[str, Mapping[str, Any]]] = [("", data)]
    while stack:
        prefix, table = stack.pop()
        for name, value in table.items():
            dotted = f"{prefix}{name}"
            if _looks_secret(dotted, secret_names):
                found.update(_texts(value))
            elif isinstance(value, Mapping):
                stack.append((dotted + ".", value))
            elif isinstance(value, list):
                stack.extend((dotted + ".", item) for item in value if isinstance(item, Mapping))
    return found


def redact_policy_text(text: str, secret_names: Collection[str]) -> str | None:
    """``text`` with every secret replaced (same number of lines, so file:line still points
    right), or None when it is not a policy that parses: then it must not be copied at all."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    values: set[str] = set()
    for secret in _secret_texts(data, secret_names):
        values.update(part for part in (secret, *(p.strip() for p in secret.splitlines())) if part)
    secret_lines = {line for name, line in key_lines(text).items() if _looks_secret(name, secret_names)}
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _VALUE_RE.match(line)
        if number in secret_lines and match:
            line = f'{match.group(1)}"{REDACTED}"'
        for value in sorted(values, key=len, reverse=True):
            line = line.replace(value, REDACTED)
        out.append(hide_url_password(line))
    return "\n".join(out) + "\n"
