"""Pytest fixtures for a real Ralph LRS; tests/conftest.py imports the ones it wants.

Nothing is registered globally here: import the fixtures into a conftest or a test
module (``from tests.support.lrs.fixtures import ralph, fresh_ralph  # noqa: F401``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.lrs.fault_proxy import FaultProxy
from tests.support.lrs.ralph_server import RalphServer


@pytest.fixture(scope="session")
def ralph() -> Iterator[RalphServer]:
    """One Ralph for the whole session (shared data: use fresh ids per test)."""
    with RalphServer() as server:
        yield server


@pytest.fixture
def fresh_ralph() -> Iterator[RalphServer]:
    """A Ralph with an empty store, for this test only."""
    with RalphServer() as server:
        yield server


@pytest.fixture
def fault_proxy(ralph: RalphServer) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the session Ralph; use ``fault_proxy.url``."""
    with FaultProxy(ralph.endpoint) as proxy:
        yield proxy


@pytest.fixture
def strict_lrs(ralph: RalphServer) -> Iterator[FaultProxy]:
    """The strict-LRS emulation in front of the session Ralph (faults can be queued too)."""
    with FaultProxy(ralph.endpoint, strict=True) as proxy:
        yield proxy
