"""YAML that remembers line numbers, so the checker can say file:line."""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict[Any, Any]):
    line: int = 1
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    line: int = 1
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry 1-based line numbers."""

    line_offset = 0


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises a bare ValueError for a date that looks right but is not (2027-02-30),
    # which would crash the checker; as text, the schema reports it on its line instead.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse one YAML document; raise YamlError with the line the parser stopped at."""
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        # An unterminated quote or bracket is found at the end of the text; the context
        # mark says where it opened, which is the line the author needs to fix.
        unterminated = exc.context_mark is not None and "end of stream" in (exc.problem or "")
        mark = exc.context_mark if unterminated else (exc.problem_mark or exc.context_mark)
        line = (mark.line + 1 if mark else 1) + line_offset
        reason = exc.problem or "unexpected text"
        raise YamlError(line, f"is not valid YAML: {reason}") from exc
    except yaml.YAMLError as exc:
        raise YamlError(1 + line_offset, f"is not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
