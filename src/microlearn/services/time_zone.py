"""The learner's time zone, for due dates: an IANA zone where the system names one.

Due dates are calendar days where the learner is, and a zone (not today's UTC offset) keeps
them right across daylight-saving changes.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ZONEINFO_MARK = "zoneinfo/"


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def learner_zone(environ: dict[str, str] | None = None, localtime: Path = Path("/etc/localtime")) -> tzinfo:
    """``TZ`` if it names a zone; else the zone /etc/localtime links to; else today's offset."""
    env = os.environ if environ is None else environ
    named = env.get("TZ", "").lstrip(":")
    if named and (zone := _zone(named)):
        return zone
    try:
        target = str(localtime.resolve())
    except OSError:
        target = ""
    if ZONEINFO_MARK in target and (zone := _zone(target.split(ZONEINFO_MARK, 1)[1])):
        return zone
    # No IANA name (e.g. Windows without the tzdata package): the current offset, which is
    # right except for a date on the far side of a daylight-saving change.
    return datetime.now().astimezone().tzinfo or ZoneInfo("UTC")
