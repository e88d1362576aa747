"""Fuzzing the content loader: whatever one file of the tree holds, problems, never a crash.

Bounded to a few seconds in the suite; bench/fuzz_content.py runs the same strategies longer.
Each example rewrites one file of a fresh copy of the sample tree (tests/support/content_fuzz.py)
and checks that loading it raises nothing, that every problem names a file in the tree and a
line, and that it finishes in bounded time.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.support.content_fuzz import Mutation, check_one, mutations


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations)
def test_any_one_file_gives_problems_with_a_file_and_a_line_never_a_crash(mutation: Mutation) -> None:
    check_one(mutation)
