"""The learner's own settings file (``settings.json``): read it without ever failing, write it privately.

A file that is too large, nested too deep, not JSON or not an object is one problem naming
the file (and the line, where JSON gives one), and is then treated as empty: the learner's
choices fall back to the defaults, nothing else stops.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from microlearn.settings.keys import KEYS_BY_NAME, ConfigError, check_value
from microlearn.settings.paths import AppPaths, make_private, make_private_dir, private_opener

MAX_SETTINGS_BYTES = 256 * 1024
MAX_DEPTH = 32  # the file holds one flat object; anything deeper is not ours


@dataclass(frozen=True)
class UserSettings:
    values: dict[str, Any]
    problems: tuple[str, ...] = ()


def _depth_exceeded(text: str, limit: int) -> bool:
    """Whether JSON ``text`` nests deeper than ``limit`` (strings skipped), without parsing it."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def read_user_settings(paths: AppPaths) -> UserSettings:
    path = paths.settings_file
    if path.exists() and not path.is_file():  # a FIFO would block the read for good
        return UserSettings({}, (f"{path}: not a regular file, so it was not read; the defaults apply.",))
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:  # none yet: the usual case
        return UserSettings({})
    except OSError as exc:
        return UserSettings({}, (f"{path}: could not be read ({exc.strerror}); the defaults apply.",))
    if len(raw) > MAX_SETTINGS_BYTES:
        return UserSettings(
            {},
            (
                f"{path}: larger than {MAX_SETTINGS_BYTES // 1024} KB, so it was not read; the defaults apply.",
            ),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return UserSettings({}, (f"{path}: not UTF-8 text (byte {exc.start}); the defaults apply.",))
    if _depth_exceeded(text, MAX_DEPTH):
        return UserSettings(
            {}, (f"{path}: nested more than {MAX_DEPTH} deep, so it was not read; the defaults apply.",)
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return UserSettings({}, (f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); the defaults apply.",))
    except (ValueError, RecursionError) as exc:  # e.g. a number of more than 4,300 digits
        return UserSettings({}, (f"{path}: not usable JSON ({type(exc).__name__}); the defaults apply.",))
    if not isinstance(data, dict):
        return UserSettings({}, (f"{path}: must hold one JSON object of settings; the defaults apply.",))
    return UserSettings(data)


def save_user_setting(paths: AppPaths, name: str, value: Any) -> None:
    """Store one user setting; written to a temp file and renamed so it is never half-written."""
    key = KEYS_BY_NAME.get(name)
    if key is None:
        raise ConfigError(f"Unknown setting {name!r}.")
    if key.secret or key.policy_only:
        raise ConfigError(f"{name} is set by the IT policy only, never in the learner's settings.")
    settings = read_user_settings(paths).values
    try:
        settings[name] = check_value(key, value)
    except ConfigError as exc:
        raise ConfigError(f"settings: {exc}.") from None
    make_private_dir(paths.config_dir)
    tmp = paths.settings_file.with_suffix(".tmp")
    text = json.dumps(settings, indent=2, sort_keys=True)
    with open(tmp, "w", encoding="utf-8", opener=private_opener) as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    tmp.replace(paths.settings_file)
    make_private(paths.settings_file)
