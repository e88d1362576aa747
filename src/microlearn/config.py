"""Configuration: one table of keys, and the precedence that decides each value.

Lowest first: built-in defaults < site policy (IT) < user settings < environment
(``MICROLEARN_*``) < command line. Keys the policy lists under ``locked`` cannot be
changed by user settings; the Settings screen shows them read-only.
"""

from __future__ import annotations

import getpass
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from microlearn.paths import AppPaths

Source = Literal["default", "policy", "user", "environment", "command line"]


@dataclass(frozen=True)
class Key:
    name: str
    kind: type
    default: Any
    help: str
    secret: bool = False
    choices: tuple[str, ...] = ()


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
    ),
    Key(
        "content.activity_base",
        str,
        "https://example.org/microlearn",
        "Base IRI for module, question and track activity ids in the record.",
    ),
    Key(
        "lrs.endpoint",
        str,
        "",
        "xAPI endpoint of the Learning Record Store, e.g. https://lrs.example.org/xAPI/.",
    ),
    Key("lrs.username", str, "", "LRS Basic-auth user (key)."),
    Key("lrs.password", str, "", "LRS Basic-auth password (secret).", secret=True),
    Key("lrs.sync_interval_minutes", int, 30, "Minutes between background syncs (jittered)."),
    Key("network.proxy", str, "", "Proxy URL; empty means the system proxy."),
    Key("network.ca_bundle", str, "", "Extra CA bundle (PEM) trusted besides the OS trust store."),
    Key("display.font_size", int, 0, "Font size in points; 0 follows the system."),
    Key(
        "display.theme",
        str,
        "system",
        "Colour scheme: system, light or dark.",
        choices=("system", "light", "dark"),
    ),
)
KEYS_BY_NAME = {key.name: key for key in KEYS}


class ConfigError(Exception):
    """A setting has a value of the wrong type or outside its choices."""


def env_name(key: str) -> str:
    return "MICROLEARN_" + key.replace(".", "_").upper()


def _coerce(key: Key, value: Any, where: str) -> Any:
    if key.kind is int and isinstance(value, str):
        try:
            value = int(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: {key.name} must be a whole number, not {value!r}.") from exc
    if key.kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise ConfigError(f"{where}: {key.name} must be a whole number, not {value!r}.")
    if key.kind is str and not isinstance(value, str):
        raise ConfigError(f"{where}: {key.name} must be text, not {value!r}.")
    if key.choices and value not in key.choices:
        raise ConfigError(f"{where}: {key.name} must be one of {', '.join(key.choices)}, not {value!r}.")
    return value


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        dotted = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


@dataclass
class Config:
    """Resolved settings with where each came from."""

    values: dict[str, Any]
    sources: dict[str, Source]
    locked: frozenset[str] = frozenset()
    problems: list[str] = field(default_factory=list)

    def get(self, name: str) -> Any:
        return self.values[name]

    def source(self, name: str) -> Source:
        return self.sources[name]

    def is_locked(self, name: str) -> bool:
        return name in self.locked

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
        """Values safe to show or log: secrets replaced."""
        return {
            name: ("(set)" if KEYS_BY_NAME[name].secret and value else value)
            for name, value in self.values.items()
        }


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown-user"


def _read_policy(path: Path | None) -> tuple[dict[str, Any], frozenset[str], list[str]]:
    if path is None or not path.is_file():
        return {}, frozenset(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        return {}, frozenset(), [f"{path}: the policy file could not be read ({exc}); ignored."]
    problems: list[str] = []
    locked_raw = data.pop("locked", {})
    # The documented form is `[locked] keys = [...]`; a bare `locked = [...]` is accepted too.
    names = locked_raw.get("keys", []) if isinstance(locked_raw, dict) else locked_raw
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problems.append(
            f"{path}: locked keys must be a list of setting names, e.g. "
            '[locked] keys = ["lrs.endpoint"]; nothing is locked until this is fixed.'
        )
        names = []
    for name in names:
        if name not in KEYS_BY_NAME:
            problems.append(f"{path}: locked key {name!r} is not a known setting.")
    locked = frozenset(names)
    return _flatten(data), locked, problems


def read_user_settings(paths: AppPaths) -> dict[str, Any]:
    try:
        data = json.loads(paths.settings_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_user_setting(paths: AppPaths, name: str, value: Any) -> None:
    """Store one user setting; written to a temp file and renamed so it is never half-written."""
    if name not in KEYS_BY_NAME:
        raise ConfigError(f"Unknown setting {name!r}.")
    settings = read_user_settings(paths)
    settings[name] = _coerce(KEYS_BY_NAME[name], value, "settings")
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    tmp = paths.settings_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(paths.settings_file)


def load_config(paths: AppPaths, overrides: Mapping[str, Any] | None = None) -> Config:
    policy, locked, problems = _read_policy(paths.policy_file)
    layers: list[tuple[Source, Mapping[str, Any]]] = [
        ("policy", policy),
        ("user", read_user_settings(paths)),
        (
            "environment",
            {k.name: os.environ[env_name(k.name)] for k in KEYS if env_name(k.name) in os.environ},
        ),
        ("command line", overrides or {}),
    ]
    values = {key.name: key.default for key in KEYS}
    sources: dict[str, Source] = dict.fromkeys(values, "default")
    for source, layer in layers:
        for name, raw in layer.items():
            key = KEYS_BY_NAME.get(name)
            if key is None:
                problems.append(f"{source}: unknown setting {name!r} ignored.")
                continue
            if source == "user" and name in locked:
                continue
            try:
                values[name] = _coerce(key, raw, source)
            except ConfigError as exc:
                problems.append(str(exc))
                continue
            sources[name] = source
    return Config(values=values, sources=sources, locked=locked, problems=problems)
