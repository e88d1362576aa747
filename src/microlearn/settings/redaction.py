"""The one redaction: every form a secret can take in our output, and the function that hides them.

A secret reaches text in more shapes than as given: URL-quoted (in an address or a query),
Base64 inside a Basic-auth header (``user:password``, or ``token:`` when a token is the user
name), inside an address (``https://user:PW@host``, ``https://TOKEN@host``), and escaped
by ``json.dumps`` or ``repr`` (a password with a quote or a backslash). :func:`secret_forms`
lists them all for the configured secrets; :func:`redact` hides those and every password or
token written inside an address, whether configured or not.

Every output path uses it: the log formatter and the outbox's ``last_error`` (through
``logs.scrub``), doctor's text and JSON, ``sync`` / ``restore`` output and diagnostics.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"

# user:password@ (the password runs to the last @ before the host: a raw @ in it is possible).
_URL_PASSWORD = re.compile(r"(://[^/?#@:\s]*:)[^/?#\s]*@")
# TOKEN@ with no password: a token used as the user name is a secret too.
_URL_TOKEN = re.compile(r"://[^/?#:\s]+@")


def hide_url_password(value: str) -> str:
    """``http://user:secret@host`` → ``http://user:***@host``; ``http://token@host`` →
    ``http://***@host``; anything else unchanged."""
    value = _URL_PASSWORD.sub(rf"\1{MASK}@", value)
    return _URL_TOKEN.sub(f"://{MASK}@", value)


def _escaped(secret: str) -> set[str]:
    return {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
    }


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def secret_forms(
    passwords: Iterable[str], usernames: Iterable[str] = (), tokens: Iterable[str] = ()
) -> frozenset[str]:
    """Every string that would give away one of ``passwords`` (with each of ``usernames`` in a
    Basic-auth header) or ``tokens`` (secrets used as a user name, alone or with a password)."""
    passwords = {p for p in passwords if p}
    tokens = {t for t in tokens if t}
    users = {"", *usernames, *tokens}
    hidden: set[str] = set()
    for password in passwords:
        hidden |= _escaped(password)
        hidden |= {_basic(user, password) for user in users}
    for token in tokens:
        hidden |= _escaped(token)
        hidden.add(_basic(token, ""))
    return frozenset(h for h in hidden if h)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every one of ``secrets`` and every password or token in an address masked."""
    text = hide_url_password(text)
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return text
