"""Configuration: the precedence that decides each value, in this one place.

Lowest first: built-in defaults < site policy (IT) < user settings < environment
(``MICROLEARN_*``) < command line (``--set``). A key the policy lists under ``[locked] keys``
wins over every layer above it, the environment and the command line included, unless the
policy names it in ``[locked] allow_override`` too (then the environment and the command line,
IT's own scripts, may change it; the learner's settings never). Each override a lock ignores
is kept in :attr:`Config.ignored_overrides`, with where it came from, for doctor to report.

A broken policy (a TOML syntax error, or a value of the wrong kind) never stops the
learner: every other value still applies and learning goes on offline, but
:attr:`Config.sync_blocked_reason` is set, and the sync service stays off until IT fixes it.
So it is when the credentials would cross the network in plain HTTP (see
:func:`insecure_http_reason`). docs/deploying.md has the table of every key, generated from
``KEYS``.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from microlearn.settings import logs
from microlearn.settings.keys import (
    KEYS,
    KEYS_BY_NAME,
    UNSUPPORTED_PROXY_SCHEMES,
    URL_KEYS,
    ConfigError,
    Key,
    check_value,
    env_name,
)
from microlearn.settings.paths import AppPaths
from microlearn.settings.policy import PolicyFile, PolicyProblem, read_policy, unknown_message
from microlearn.settings.redaction import hide_url_password, secret_forms
from microlearn.settings.user_settings import read_user_settings, save_user_setting

__all__ = [
    "KEYS",
    "KEYS_BY_NAME",
    "Config",
    "ConfigError",
    "IgnoredOverride",
    "Key",
    "check_value",
    "env_name",
    "load_config",
    "read_user_settings",
    "save_user_setting",
]

Source = Literal["default", "policy", "user", "environment", "command line"]
COMMAND_LINE_OPTION = "--set"


@dataclass(frozen=True)
class IgnoredOverride:
    """A value another layer gave a key that the policy locks."""

    name: str
    source: Source
    origin: str  # the variable, the option or the file it came from

    def render(self) -> str:
        return (
            f"{self.name} from {self.origin} was ignored: the IT policy locks it "
            "(to let IT's scripts change it, list it in [locked] allow_override)"
        )


@dataclass
class Config:
    """Resolved settings with where each came from."""

    values: dict[str, Any]
    sources: dict[str, Source]
    locked: frozenset[str] = frozenset()
    problems: list[str] = field(default_factory=list)  # every layer's, in plain words
    policy: PolicyFile | None = None
    policy_problems: tuple[PolicyProblem, ...] = ()  # the policy's own, with file:line
    secrets: frozenset[str] = field(default=frozenset(), repr=False)  # every form, to keep out of output
    ignored_overrides: tuple[IgnoredOverride, ...] = ()
    insecure_http: str | None = None  # why the credentials may not be sent, or None
    unsupported_proxy: str | None = None  # a system proxy the HTTP client cannot use, or None

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
        """Why sync must stay off (the IT policy is broken, or the credentials would go over
        plain HTTP), or None. For admins and the log."""
        errors = self.policy_errors
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            return (
                f"sync is off until the IT policy is fixed: {errors[0].render()}{more}; "
                "`microlearn doctor` lists every problem"
            )
        if self.insecure_http:
            return f"sync is off: {self.insecure_http}"
        if self.unsupported_proxy:
            return f"sync is off: {self.unsupported_proxy}"
        return None

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


def secret_values(layers: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """Every form in which a configured secret could be written out (see redaction.secret_forms):
    the LRS password, and passwords or tokens inside any address, of every layer."""
    passwords: set[str] = set()
    usernames: set[str] = set()
    tokens: set[str] = set()
    for layer in layers:
        for name, raw in layer.items():
            key = KEYS_BY_NAME.get(name) if isinstance(name, str) else None
            if key is None or not isinstance(raw, str) or not raw:
                continue
            if key.secret:
                passwords.add(raw)
            elif key.form:
                try:
                    parts = urlsplit(raw)
                    user, password = parts.username, parts.password
                except ValueError:  # a malformed address is reported elsewhere
                    continue
                if password:
                    passwords.add(password)
                    usernames.add(user or "")
                elif user:
                    tokens.add(user)  # a token used as the user name
            elif name == "lrs.username":
                usernames.add(raw)
    return secret_forms(passwords, usernames, tokens)


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    import ipaddress  # late: only a configured endpoint or proxy is checked, not the first paint

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def insecure_http_reason(values: Mapping[str, Any]) -> str | None:
    """Why the LRS credentials must not be sent: plain http:// to another computer, which the
    policy has not allowed (``lrs.allow_insecure_http``). None when sending is fine."""
    endpoint = str(values["lrs.endpoint"]).strip()
    has_credentials = bool(values["lrs.username"] or values["lrs.password"])
    if not endpoint or not has_credentials or values["lrs.allow_insecure_http"]:
        return None
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return None
    if parts.scheme != "http" or is_loopback(parts.hostname or ""):
        return None
    return (
        f"lrs.endpoint {hide_url_password(endpoint)} is plain http:// to another computer, so the LRS "
        "password would cross the network readable by anyone on the way; use the LRS's https:// "
        "address, or, on a network IT trusts, set lrs.allow_insecure_http = true in the IT policy"
    )


def unsupported_system_proxy(values: Mapping[str, Any]) -> str | None:
    """Why the system's proxy variables cannot be used (a SOCKS proxy: the HTTP client would fail
    to start, whichever address it is for), or None. An explicit network.proxy replaces them."""
    if str(values["network.proxy"]).strip():
        return None
    # The variables urllib.request.getproxies_environment reads (lower case wins), read here:
    # importing urllib.request would bring http.client and email (~30 ms) to the first paint.
    found: dict[str, str] = {}
    for name in sorted(os.environ, key=lambda n: n.islower()):  # upper case first, lower overrides
        if name.lower().endswith("_proxy") and os.environ[name]:
            found[name[:-6].lower()] = os.environ[name]
    for scheme, proxy in sorted(found.items()):
        if proxy.split("://", 1)[0].lower() in UNSUPPORTED_PROXY_SCHEMES:
            return (
                f"the system's {scheme} proxy ({scheme.upper()}_PROXY) is {hide_url_password(proxy)}, and SOCKS "
                "proxies are not supported by this version; set network.proxy to an http:// proxy in the IT "
                "policy, or remove that variable"
            )
    return None


def _origin(source: Source, name: str, paths: AppPaths) -> str:
    if source == "environment":
        return f"the environment variable {env_name(name)}"
    if source == "command line":
        return f"the command line ({COMMAND_LINE_OPTION} {name}=…)"
    return f"the learner's settings file {paths.settings_file}"


def load_config(paths: AppPaths, overrides: Mapping[str, Any] | None = None) -> Config:
    policy = read_policy(paths.policy_file, KEYS_BY_NAME)
    environment = {k.name: os.environ[env_name(k.name)] for k in KEYS if env_name(k.name) in os.environ}
    user_file = read_user_settings(paths)
    user = user_file.values
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
    problems = [p.render() for p in policy_problems] + list(user_file.problems)

    ignored: list[IgnoredOverride] = []
    layers: list[tuple[Source, Mapping[str, Any]]] = [
        ("user", user),
        ("environment", environment),
        ("command line", overrides),
    ]
    for source, layer in layers:
        for name, raw in layer.items():
            key = KEYS_BY_NAME.get(name) if isinstance(name, str) else None
            if key is None:
                problems.append(f"{source}: {unknown_message(str(name), KEYS_BY_NAME)}.")
                continue
            if key.secret and source == "user":
                problems.append(
                    f"{paths.settings_file}: {name} is not read from the learner's settings file: it is "
                    "the IT policy's (it is kept there, readable only where IT put it); remove it from this file."
                )
                continue
            if key.policy_only:
                problems.append(
                    f"{_origin(source, name, paths)}: {name} can only be set in the IT policy; ignored."
                )
                continue
            if name in policy.locked and (source == "user" or name not in policy.allow_override):
                ignored.append(IgnoredOverride(name, source, _origin(source, name, paths)))
                continue
            try:
                values[name] = check_value(key, raw)
            except ConfigError as exc:
                problems.append(f"{source}: {exc}.")
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
        ignored_overrides=tuple(ignored),
        insecure_http=insecure_http_reason(values),
        unsupported_proxy=unsupported_system_proxy(values),
    )
