"""The table of every setting, and what each accepts.

docs/deploying.md's policy reference is generated from this table
(``python -m microlearn.settings.reference``), so ``help``, ``example`` and the words for
kinds and defaults are what an IT admin reads; a test fails when the two differ.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from microlearn.settings.redaction import hide_url_password

# url: an http(s) address is required; optional_url: empty or http(s); proxy_url: empty or a proxy.
Form = Literal["", "url", "optional_url", "proxy_url"]
PROXY_SCHEMES = ("http", "https")
# SOCKS is refused, not supported: it needs an extra package (socksio) in the HTTP client, and
# WORKAROUND for https://github.com/encode/httpcore/issues/1089 (the SOCKS5 handshake ignores every
# timeout, so a proxy that accepts and then stalls hangs sync for good; tried here, still so in
# httpcore 1.0.9). Revisit when that is fixed.
UNSUPPORTED_PROXY_SCHEMES = ("socks4", "socks4a", "socks5", "socks5h")
# Long enough for any real address or account name; short enough that a pasted file is refused.
MAX_TEXT_CHARS = 2048
MAX_NAME_CHARS = 255
SHOWN_CHARS = 80  # how much of a bad value a message repeats
TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")


@dataclass(frozen=True)
class Key:
    name: str
    kind: type  # str, int, bool, or list (a list of text; comma-separated in the environment)
    default: Any
    help: str  # the meaning column of the policy reference
    example: str  # a TOML value, as an admin would write it
    secret: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    form: Form = ""
    max_chars: int = MAX_TEXT_CHARS
    multiline: bool = False  # line breaks allowed (a PEM key); other control characters never
    policy_only: bool = False  # only the IT policy may set it (the learner, the environment never)
    reserved: bool = False  # accepted and checked, not used by this version yet
    kind_words: str = ""  # the reference's type column, where the derived words say too little
    default_words: str = ""  # the reference's default column, likewise


KEYS: tuple[Key, ...] = (
    Key(
        "identity.source",
        str,
        "os_user",
        "where the learner's account name in the record comes from: the computer's sign-in name, "
        "or `identity.name` (a shared kiosk)",
        '"fixed"',
        choices=("os_user", "fixed"),
    ),
    Key(
        "identity.name",
        str,
        "",
        'the account name when `identity.source = "fixed"`',
        '"ward-3-kiosk"',
        max_chars=MAX_NAME_CHARS,
    ),
    Key(
        "identity.display_name",
        str,
        "",
        "the learner's name as their certificates show it; empty: the full name the computer "
        "knows for the signed-in user, else the account name",
        '"Ana García López"',
        max_chars=MAX_NAME_CHARS,
    ),
    Key(
        "identity.home_page",
        str,
        "https://example.org",
        "your organisation's account home page: together with the name it identifies the learner in "
        "the LRS. **Set this**, and never change it later (records would no longer match)",
        '"https://login.example.com"',
        form="url",
    ),
    Key(
        "content.activity_base",
        str,
        "https://example.org/microlearn",
        "base of the ids of modules, questions and tracks in the record; set it once, before the first sync",
        '"https://learning.example.com/microlearn"',
        form="url",
    ),
    Key(
        "content.feed_url",
        str,
        "",
        "reserved for content updates: accepted and checked, not used by this version",
        '"https://learning.example.com/feed/"',
        form="optional_url",
        reserved=True,
    ),
    Key(
        "content.feed_signing_key",
        str,
        "",
        "reserved for content updates: the public key content packages must be signed with; "
        "not used by this version",
        '"MCowBQYDK2VwAyEAbx0…"',
        reserved=True,
        multiline=True,
    ),
    Key(
        "audience.groups",
        list,
        (),
        "the learner's audience groups: `content/programme.yaml` assigns tracks and modules, with "
        "due dates, to these groups; a learner in none of them has every track as optional "
        "(environment: comma-separated)",
        '["designated-staff", "managers"]',
    ),
    Key(
        "reminders.enabled",
        bool,
        True,
        "while the app runs, a tray icon and at most one desktop notification a day when an "
        "assigned module is due within 7 days or overdue; `false` turns reminders off "
        "(`microlearn due` still prints what is due)",
        "false",
    ),
    Key(
        "learning.ask_certainty",
        bool,
        True,
        'ask "How sure are you?" (Not sure / Fairly sure / Sure) with each knowledge-check answer; '
        "a track's `ask_certainty: false` turns it off for that track. The answer goes into the "
        "`answered` statement and sets how soon the question comes back in a quick review",
        "false",
    ),
    Key(
        "lrs.endpoint",
        str,
        "",
        "the xAPI endpoint of your LRS; no user name or password in it (use `lrs.username` and "
        "`lrs.password`)",
        '"https://lrs.example.com/xAPI/"',
        form="optional_url",
        default_words="(empty: nothing is sent)",
    ),
    Key(
        "lrs.username",
        str,
        "",
        "the LRS account (Basic authentication key)",
        '"microlearn-client"',
        max_chars=MAX_NAME_CHARS,
    ),
    Key(
        "lrs.password",
        str,
        "",
        "its password (Basic authentication secret); only the policy may set it; never logged, "
        "removed from diagnostics",
        '"s3cret-from-your-LRS"',
        secret=True,
    ),
    Key(
        "lrs.allow_insecure_http",
        bool,
        False,
        "allow sending the credentials over plain `http://` to another computer (never needed for "
        "`https://` or for an LRS on the same computer); only the policy may set it",
        "true",
        policy_only=True,
    ),
    Key(
        "lrs.sync_interval_minutes",
        int,
        30,
        "minutes between the app's background syncs while it is open; each wait is jittered so "
        "laptops do not call together",
        "60",
        minimum=5,
        maximum=1440,
    ),
    Key(
        "network.proxy",
        str,
        "",
        "an explicit proxy for the LRS (`http://` or `https://`; `http://user:password@host:port` for "
        "Basic proxy authentication; SOCKS proxies are not supported)",
        '"http://proxy.example.com:3128"',
        form="proxy_url",
        default_words="(empty: the system's proxy)",
    ),
    Key(
        "network.ca_bundle",
        str,
        "",
        "a PEM file of extra CA certificates trusted for the LRS, on top of the operating system's "
        "trust store",
        '"/etc/ssl/certs/corp-inspection.pem"',
        kind_words="text: a file path",
    ),
    Key(
        "display.font_size",
        int,
        0,
        "text size in points",
        "12",
        minimum=0,
        maximum=72,
        default_words="`0` (the system's)",
    ),
    Key(
        "display.theme",
        str,
        "system",
        "colour scheme",
        '"dark"',
        choices=("system", "light", "dark", "high-contrast"),
    ),
    Key(
        "display.language",
        str,
        "system",
        "the interface's language: `system` follows the computer's, `en` English, `es` Spanish "
        "(takes effect the next time the app opens; the learning content keeps its own language)",
        '"es"',
        choices=("system", "en", "es"),
    ),
)
KEYS_BY_NAME = {key.name: key for key in KEYS}
URL_KEYS = frozenset(key.name for key in KEYS if key.form)
SECRET_KEYS = frozenset(key.name for key in KEYS if key.secret)


class ConfigError(Exception):
    """A setting has a value of the wrong type or outside its choices."""


def env_name(key: str) -> str:
    return "MICROLEARN_" + key.replace(".", "_").upper()


def shown_value(key: Key, value: Any) -> str:
    """A value as a message may repeat it: secrets hidden, passwords in addresses hidden, cut short."""
    if key.secret:
        return "(hidden)"
    text = repr(hide_url_password(value) if isinstance(value, str) else value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _control_character(value: str, multiline: bool) -> str | None:
    """The first control character in ``value`` (a CR/LF would split an HTTP header), or None."""
    for char in value:
        if unicodedata.category(char) == "Cc" and not (multiline and char in "\r\n\t"):
            return f"U+{ord(char):04X}"
    return None


def _check_form(key: Key, value: str) -> None:
    if not value and key.form in ("optional_url", "proxy_url"):
        return
    schemes = PROXY_SCHEMES if key.form == "proxy_url" else ("http", "https")
    try:
        parts = urlsplit(value)
        valid = parts.scheme in schemes and bool(parts.hostname)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        parts, valid = None, False
    if key.form == "proxy_url" and parts is not None and parts.scheme in UNSUPPORTED_PROXY_SCHEMES:
        raise ConfigError(
            f"{key.name}: {parts.scheme}:// proxies are not supported by this version; "
            "give an http:// or https:// proxy, or leave it empty for the system's proxy"
        )
    if not valid:
        wanted = (
            "a proxy address like http://proxy.example.org:3128"
            if key.form == "proxy_url"
            else ("an address starting with https:// (or http://)")
        )
        raise ConfigError(f"{key.name} must be {wanted}, not {shown_value(key, value)}")
    if key.form != "proxy_url" and parts is not None and "@" in parts.netloc:
        # A password here would be sent and shown wherever the address is; the LRS's has its own keys.
        where = "lrs.username and lrs.password" if key.name == "lrs.endpoint" else "nothing"
        raise ConfigError(
            f"{key.name} must not hold a user name or password (the part before @); put them in {where}"
        )


def _as_bool(key: Key, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise ConfigError(f"{key.name} must be true or false, not {shown_value(key, value)}")


def check_value(key: Key, value: Any) -> Any:
    """The value converted to the key's kind; ConfigError says, in one phrase, what is wrong."""
    if key.kind is bool:
        return _as_bool(key, value)
    if key.kind is int and isinstance(value, str):
        try:
            # int() of thousands of digits is slow (and refused past 4,300): no setting needs 20.
            value = int(value.strip()) if len(value) <= 20 else int("not a number")
        except ValueError:
            raise ConfigError(f"{key.name} must be a whole number, not {shown_value(key, value)}") from None
    if key.kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise ConfigError(f"{key.name} must be a whole number, not {shown_value(key, value)}")
    if key.kind is list:
        if isinstance(value, str):  # the environment: comma-separated
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f'{key.name} must be a list of names, e.g. ["sales", "emea"], not {shown_value(key, value)}'
            )
        for item in value:
            _check_text(key, item)
        return tuple(value)
    if key.kind is str and not isinstance(value, str):
        raise ConfigError(f"{key.name} must be text, not {shown_value(key, value)}")
    if isinstance(value, str):
        _check_text(key, value)
    if key.choices and value not in key.choices:
        raise ConfigError(
            f"{key.name} must be one of {', '.join(key.choices)}, not {shown_value(key, value)}"
        )
    if key.minimum is not None and value < key.minimum:
        raise ConfigError(f"{key.name} must be at least {key.minimum}, not {shown_value(key, value)}")
    if key.maximum is not None and value > key.maximum:
        raise ConfigError(f"{key.name} must be at most {key.maximum}, not {shown_value(key, value)}")
    if key.form:
        _check_form(key, value)
    return value


def _check_text(key: Key, value: str) -> None:
    if len(value) > key.max_chars:
        raise ConfigError(f"{key.name} must be at most {key.max_chars} characters, not {len(value):,}")
    control = _control_character(value, key.multiline)
    if control:
        raise ConfigError(
            f"{key.name} must be one line of text without control characters (found {control}, "
            "e.g. an escaped line break)"
        )
