"""The learner's zone comes from TZ or the system's zone link, never just today's offset."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from microlearn.services.time_zone import learner_zone


def test_tz_names_the_zone(tmp_path: Path) -> None:
    assert learner_zone({"TZ": "Asia/Tokyo"}, tmp_path / "none") == ZoneInfo("Asia/Tokyo")
    assert learner_zone({"TZ": ":Europe/Berlin"}, tmp_path / "none") == ZoneInfo("Europe/Berlin")


def test_the_system_link_names_the_zone(tmp_path: Path) -> None:
    zone_file = tmp_path / "usr" / "share" / "zoneinfo" / "America" / "New_York"
    zone_file.parent.mkdir(parents=True)
    zone_file.write_bytes(b"")
    link = tmp_path / "localtime"
    link.symlink_to(zone_file)
    assert learner_zone({"TZ": "Not/AZone"}, link) == ZoneInfo("America/New_York")


def test_without_a_name_the_current_offset_is_used(tmp_path: Path) -> None:
    now = datetime.now().astimezone()
    assert learner_zone({}, tmp_path / "none").utcoffset(now) == now.utcoffset()
