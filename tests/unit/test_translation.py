"""The wording helpers outside the window: the command line has no QApplication and no translator."""

from __future__ import annotations

import subprocess
import sys

from microlearn.ui.translation import args, english_plural

WITHOUT_AN_APP = """
import sys
from microlearn.services.catalog import OutboxCounts
from microlearn.ui.status_text import outbox_status
for pending in (1, 2):
    print(outbox_status(OutboxCounts(pending=pending, sent=0, rejected=0, conflict=0)))
print("QtWidgets" if "PySide6.QtWidgets" in sys.modules else "no widgets")
"""


def test_the_status_words_read_right_without_a_window_or_a_translation() -> None:
    out = subprocess.run([sys.executable, "-c", WITHOUT_AN_APP], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["1 result waiting to sync", "2 results waiting to sync", "no widgets"]


def test_english_plurals_keep_the_ending_for_any_count_but_one() -> None:
    assert english_plural("%n minute(s) ago", 1) == "%n minute ago"
    assert [english_plural("%n minute(s)", n) for n in (0, 2)] == ["%n minutes"] * 2


def test_numbered_places_are_filled_once_so_a_value_is_never_read_as_a_place() -> None:
    assert args("%1 of %2", "%2", "7") == "%2 of 7"
    assert args("best score %1%", "90") == "best score 90%"


def test_english_chooses_between_words_as_well() -> None:
    text = "%n result(s) (was|were) refused"
    assert [english_plural(text, n) for n in (1, 3)] == ["%n result was refused", "%n results were refused"]
