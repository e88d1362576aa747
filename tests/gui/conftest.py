"""GUI tests: the real widgets offscreen, driven by key presses; some sync to a real Ralph."""

from tests.support.learners import make_learner
from tests.support.lrs.fixtures import fault_proxy, fresh_ralph, ralph, strict_lrs

__all__ = ["fault_proxy", "fresh_ralph", "make_learner", "ralph", "strict_lrs"]
