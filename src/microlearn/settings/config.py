"""Configuration: one table of keys, and the precedence that decides each value.

Lowest first: built-in defaults < site policy (IT) < user settings < environment
(``MICROLEARN_*``) < command line. Keys the policy lists under ``locked`` cannot be
changed by user settings; the Settings screen shows them read-only.

A broken policy (a TOML syntax error, or a value of the wrong kind) never stops the
learner: every other value still applies and learning goes on offline, but
:attr:`Config.sync_blocked_reason` is set, and the sync service stays off until IT fixes it.
docs/deploying.md has the table of every key; a test keeps it in step with ``KEYS``.
"""

from __future__ import annotations

import base64
import contextlib
import getpass
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from microlearn.settings import logs
from microlearn.settings.logs import hide_url_password
from microlearn.settings.paths import AppPaths
from microlearn.settings.policy import PolicyFile, PolicyProblem, read_policy, unknown_message

Source = Literal["default", "policy", "user", "environment", "command line"]
# url: an http(s) address is required; optional_url: empty or http(s); proxy_url: empty or a proxy.
Form = Literal["", "url", "optional_url", "proxy_url"]
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


@dataclass(frozen=True)
class Key:
    name: str
    kind: type  # str, int, or list (a list of text; comma-separated in the environment)
    default: Any
    help: str
    secret: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    form: Form = ""


KEYS: tuple[Key, ...] = (
    Key(
        "identity.source",
        str,
        "os_user",
        "Where the learner's name in the record comes from: "
        "os_user (the operating-system login) or fixed (identity.name).",
        choices=("os_user", "fixed"),
    ),
    Key("identity.name", str, "", "The learner's account name when identity.source is fixed."),
    Key(
        "identity.home_page",
        str,
        "https://example.org",
        "The organisation's account home page: the namespace of learner account names.",
        form="url",
    ),
    Key(
        "content.activity_base",
        str,
        "https://example.org/microlearn",
        "Base IRI for module, question and track activity ids in the record.",
        form="url",
    ),
    Key(
        "content.feed_url",
        str,
        "",
        "Reserved for content updates: the address of the organisation's content feed.",
        form="optional_url",
    ),
    Key(
        "content.feed_signing_key",
        str,
        "",
        "Reserved for content updates: the public key that content packages must be signed with.",
    ),
    Key(
        "audience.groups",
        list,
        (),
        "The learner's audience groups (e.g. a team or role), used to decide which tracks are assigned.",
    ),
    Key(
        "lrs.endpoint",
        str,
        "",
        "xAPI endpoint of the Learning Record Store, e.g. https://lrs.example.org/xAPI/.",
        form="optional_url",
    ),
    Key("lrs.username", str, "", "LRS Basic-auth user (key)."),
    Key("lrs.password", str, "", "LRS Basic-auth password (secret).", secret=True),
    Key(
        "lrs.sync_interval_minutes",
        int,
        30,
        "Minutes between background syncs (jittered).",
        minimum=5,
        maximum=1440,
    ),
    Key("network.proxy", str, "", "Proxy URL; empty means the system proxy.", form="proxy_url"),
    Key("network.ca_bundle", str, "", "Extra CA bundle (PEM) trusted besides the OS trust store."),
    Key("display.font_size", int, 0, "Font size in points; 0 follows the system.", minimum=0, maximum=72),
    Key(
        "display.theme",
        str,
        "system",
        "Colour scheme: system, light, dark or high-contrast.",
        choices=("system", "light", "dark", "high-contrast"),
    ),
)
KEYS_BY_NAME = {key.name: key for key in KEYS}
URL_KEYS = frozenset(key.name for key in KEYS if key.form)


class ConfigError(Exception):
    """A setting has a value of the wrong type or outside its choices."""


def env_name(key: str) -> str:
    return "MICROLEARN_" + key.replace(".", "_").upper()


def _shown(key: Key, value: Any) -> str:
    if key.secret:
        return "(hidden)"
    return repr(hide_url_password(value) if isinstance(value, str) else value)


def _check_form(key: Key, value: str) -> None:
    if not value and key.form in ("optional_url", "proxy_url"):
        return
    schemes = PROXY_SCHEMES if key.form == "proxy_url" else ("http", "https")
    try:
        parts = urlsplit(value)
        valid = parts.scheme in schemes and bool(parts.hostname)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        valid = False
    if not valid:
        wanted = (
            "a proxy address like http://proxy.example.org:3128"
            if key.form == "proxy_url"
            else ("an address starting with https:// (or http://)")
        )
        raise ConfigError(f"{key.name} must be {wanted}, not {_shown(key, value)}")


def check_value(key: Key, value: Any) -> Any:
    """The value converted to the key's kind; ConfigError says, in one phrase, what is wrong."""
    if key.kind is int and isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise ConfigError(f"{key.name} must be a whole number, not {_shown(key, value)}") from None
    if key.kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise ConfigError(f"{key.name} must be a whole number, not {_shown(key, value)}")
    if key.kind is list:
        if isinstance(value, str):  # the environment: comma-separated
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f'{key.name} must be a list of names, e.g. ["sales", "emea"], not {value!r}')
        return tuple(value)
    if key.kind is str and not isinstance(value, str):
        raise ConfigError(f"{key.name} must be text, not {_shown(key, value)}")
    if key.choices and value not in key.choices:
        raise ConfigError(f"{key.name} must be one of {', '.join(key.choices)}, not {_shown(key, value)}")
    if key.minimum is not None and value < key.minimum:
        raise ConfigError(f"{key.name} must be at least {key.minimum}, not {value}")
    if key.maximum is not None and value > key.maximum:
        raise ConfigError(f"{key.name} must be at most {key.maximum}, not {value}")
    if key.form:
        _check_form(key, value)
    return value


def _coerce(key: Key, value: Any, where: str) -> Any:
    try:
        return check_value(key, value)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}.") from None


@dataclass
class Config:
    """Resolved settings with where each came from."""

    values: dict[str, Any]
    sources: dict[str, Source]
    locked: frozenset[str] = frozenset()
    problems: list[str] = field(default_factory=list)  # every layer's, in plain words
    policy: PolicyFile | None = None
    policy_problems: tuple[PolicyProblem, ...] = ()  # the policy's own, with file:line
    secrets: frozenset[str] = field(default=frozenset(), repr=False)  # to keep out of logs and reports

    def __repr__(self) -> str:
        return f"Config(values={self.redacted()!r}, locked={sorted(self.locked)!r})"

    def get(self, name: str) -> Any:
        return self.values[name]

    def source(self, name: str) -> Source:
        return self.sources[name]

    def is_locked(self, name: str) -> bool:
        return name in self.locked

    @property
    def policy_errors(self) -> tuple[PolicyProblem, ...]:
        return tuple(p for p in self.policy_problems if p.severity == "error")

    @property
    def sync_blocked_reason(self) -> str | None:
        """Why sync must stay off (the IT policy is broken), or None. For admins and the log."""
        errors = self.policy_errors
        if not errors:
            return None
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return (
            f"sync is off until the IT policy is fixed: {errors[0].render()}{more}; "
            "`microlearn doctor` lists every problem"
        )

    @property
    def learner_name(self) -> str:
        if self.values["identity.source"] == "fixed" and self.values["identity.name"]:
            return str(self.values["identity.name"])
        return os_user_name()

    @property
    def home_page(self) -> str:
        return str(self.values["identity.home_page"])

    @property
    def activity_base(self) -> str:
        return str(self.values["content.activity_base"]).rstrip("/")

    def redacted(self) -> dict[str, Any]:
        """Values safe to show or log: secrets replaced, passwords in addresses hidden."""
        shown: dict[str, Any] = {}
        for name, value in self.values.items():
            if KEYS_BY_NAME[name].secret and value:
                shown[name] = "(set)"
            elif name in URL_KEYS and isinstance(value, str):
                shown[name] = hide_url_password(value)
            else:
                shown[name] = list(value) if isinstance(value, tuple) else value
        return shown


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown-user"


def read_user_settings(paths: AppPaths) -> dict[str, Any]:
    try:
        text = paths.settings_file.read_text(encoding="utf-8")
    except (OSError, ValueError):  # none yet (the usual case), or not text
        return {}
    import json  # only when the learner has changed a setting

    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def save_user_setting(paths: AppPaths, name: str, value: Any) -> None:
    """Store one user setting; written to a temp file and renamed so it is never half-written."""
    if name not in KEYS_BY_NAME:
        raise ConfigError(f"Unknown setting {name!r}.")
    settings = read_user_settings(paths)
    settings[name] = _coerce(KEYS_BY_NAME[name], value, "settings")
    import json

    paths.config_dir.mkdir(parents=True, exist_ok=True)
    tmp = paths.settings_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(paths.settings_file)


def secret_values(layers: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """Every form in which a configured secret could be written out: as given, URL-quoted,
    in an address (a proxy's password), and inside a Basic-auth header."""
    layers = list(layers)
    passwords: set[str] = set()
    usernames = {""}
    for layer in layers:
        for name, raw in layer.items():
            key = KEYS_BY_NAME.get(name)
            if key is None or not isinstance(raw, str) or not raw:
                continue
            if key.secret:
                passwords.add(raw)
            elif key.form:
                with contextlib.suppress(ValueError):  # a malformed address is reported elsewhere
                    password = urlsplit(raw).password
                    if password:
                        passwords.add(password)
            elif name == "lrs.username":
                usernames.add(raw)
    hidden = set(passwords)
    for password in passwords:
        hidden.add(quote(password, safe=""))
        for user in usernames:
            hidden.add(base64.b64encode(f"{user}:{password}".encode()).decode("ascii"))
    return frozenset(h for h in hidden if h)


def load_config(paths: AppPaths, overrides: Mapping[str, Any] | None = None) -> Config:
    policy = read_policy(paths.policy_file, KEYS_BY_NAME)
    environment = {k.name: os.environ[env_name(k.name)] for k in KEYS if env_name(k.name) in os.environ}
    user = read_user_settings(paths)
    overrides = overrides or {}
    secrets = secret_values([policy.values, user, environment, overrides])
    logs.hide_in_logs(secrets)

    values = {key.name: key.default for key in KEYS}
    sources: dict[str, Source] = dict.fromkeys(values, "default")
    policy_problems = list(policy.problems)
    for name, raw in policy.values.items():
        try:
            values[name] = check_value(KEYS_BY_NAME[name], raw)
        except ConfigError as exc:
            policy_problems.append(policy.problem_at(name, f"{exc}; the built-in default applies"))
            continue
        sources[name] = "policy"
    policy_problems.sort(key=lambda p: (p.line or 0, p.severity))
    problems = [p.render() for p in policy_problems]

    layers: list[tuple[Source, Mapping[str, Any]]] = [
        ("user", user),
        ("environment", environment),
        ("command line", overrides),
    ]
    for source, layer in layers:
        for name, raw in layer.items():
            key = KEYS_BY_NAME.get(name)
            if key is None:
                problems.append(f"{source}: {unknown_message(name, KEYS_BY_NAME)}.")
                continue
            if source == "user" and name in policy.locked:
                continue
            try:
                values[name] = _coerce(key, raw, source)
            except ConfigError as exc:
                problems.append(str(exc))
                continue
            sources[name] = source
    return Config(
        values=values,
        sources=sources,
        locked=policy.locked,
        problems=problems,
        policy=policy,
        policy_problems=tuple(policy_problems),
        secrets=secrets,
    )
