"""libyaml's C parser and the pure-Python one report the same problems at the same lines.

The checker reads YAML with libyaml when PyYAML has it (several times faster) and falls back
to the pure parser; an author must be told the same whichever one their machine has.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from microlearn.content import yaml_lines
from microlearn.content.loader import load_catalog
from tests.support.hostile_content import CRASHERS, HANGERS, Breaker
from tests.support.locations import SAMPLE_CONTENT

CASES = {**CRASHERS, **{name: breaker for name, breaker in HANGERS.items() if "alias" in name}}


def _problems(content: Path) -> list[str]:
    return sorted(problem.render(content) for problem in load_catalog(content).problems)


def test_libyaml_is_used_where_pyyaml_has_it() -> None:
    assert (yaml_lines._Loader is not yaml_lines._LineLoader) == bool(yaml.__with_libyaml__)


@pytest.mark.parametrize("breaker", CASES.values(), ids=CASES.keys())
def test_both_parsers_report_the_same_problems(
    content: Path, breaker: Breaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    breaker(content)
    with_libyaml = _problems(content)
    monkeypatch.setattr(yaml_lines, "_Loader", yaml_lines._LineLoader)
    assert _problems(content) == with_libyaml


def test_the_sample_reads_the_same_with_both_parsers() -> None:
    for path in sorted(SAMPLE_CONTENT.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        fast, pure = yaml_lines.load_yaml(text), yaml_lines.load_yaml(text, pure=True)
        assert fast == pure
        assert fast.key_lines == pure.key_lines
