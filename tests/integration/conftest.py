"""Integration tests: a real Ralph LRS on loopback, the fault proxy in front of it, real processes."""

from tests.support.learners import make_learner
from tests.support.lrs.fixtures import fault_proxy, fresh_ralph, ralph, strict_lrs

__all__ = ["fault_proxy", "fresh_ralph", "make_learner", "ralph", "strict_lrs"]
