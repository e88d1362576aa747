"""Unit tests: one part at a time on real files and a real SQLite store, no LRS and no window."""

from tests.support.content_samples import content

__all__ = ["content"]
