"""YAML that remembers line numbers, so the checker can say file:line, and that never crashes.

Authored YAML is untrusted input: whatever the text, ``load_yaml`` returns data or raises
``YamlError`` with a line and a plain sentence. Three things PyYAML allows are bounded here:

- nesting (lists in lists, fields in fields) deeper than ``MAX_DEPTH`` levels, which would
  exhaust Python's recursion limit while the data is built;
- aliases (``*name``) that expand to more than ``MAX_ALIAS_EXPANSION`` values beyond the
  file's own: a 1 KB "billion laughs" would otherwise take minutes and gigabytes to check;
- values PyYAML's constructors raise ordinary exceptions for (``2027-02-30``, a number of
  5,000 digits, ``!!float x``), which become errors at the value's line.

Tags that build sets, ordered maps, pairs or bytes are refused: no field of the format takes
them, and a set passed where a list is expected would otherwise be accepted as that list.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from microlearn.content.problems import ProblemList
from microlearn.content.source_files import read_text

MAX_DEPTH = 50
MAX_ALIAS_EXPANSION = 10_000
_TAG = "tag:yaml.org,2002:"
_REFUSED_TAGS = {
    "set": "a set",
    "omap": "an ordered map",
    "pairs": "a list of pairs",
    "binary": "binary data",
}
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHOWN_CHARACTERS = 40
_HALF_CHARACTER = "contains an escape like \\ud800 that is half of a character; write the character itself"


class ContentValueError(ConstructorError):
    """A value the content cannot hold, though the text is valid YAML: said without "not valid YAML"."""


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


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN_CHARACTERS else value[:_SHOWN_CHARACTERS] + "…"


class _LimitError(ComposerError):
    """The text is beyond the bounds above."""


class _BoundedComposer(yaml.composer.Composer):
    """A composer that measures each node's depth and expanded size as it builds the tree."""

    # id(node) -> (height, expanded size); the tree keeps every node alive while it is built.
    _measures: dict[int, tuple[int, int]]
    _depth: int
    anchors: dict[Any, Any]

    if TYPE_CHECKING:  # provided by the parser the loader is built with

        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...

    def compose_document(self) -> Any:
        self._measures, self._depth = {}, 0
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitError(
                    None,
                    None,
                    f"lists and fields are nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,
                )
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                target = self.anchors.get(event.anchor)
                if target is not None and id(target) not in self._measures:
                    raise _LimitError(
                        None,
                        None,
                        f"the alias *{event.anchor} is used inside the list or fields it names",
                        event.start_mark,
                    )
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if id(node) not in self._measures:
            self._measure(node)
        return node

    def _measure(self, node: Any) -> None:
        measures = self._measures
        if isinstance(node, yaml.ScalarNode):
            measures[id(node)] = (1, 1)  # most nodes: kept cheap, this runs for every one
            return
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = node.value
        height = size = 0
        for child in children:
            child_height, child_size = measures[id(child)]
            height = max(height, child_height)
            size += child_size
        height, size = height + 1, size + 1
        self._measures[id(node)] = (height, size)
        if height > MAX_DEPTH:
            # Only aliases can make a tree taller than its text is deep.
            raise _LimitError(
                None,
                None,
                f"aliases (*name) nest lists and fields more than {MAX_DEPTH} levels deep",
                node.start_mark,
            )
        if size > len(self._measures) + MAX_ALIAS_EXPANSION:
            raise _LimitError(
                None,
                None,
                f"aliases (*name) repeat more than {MAX_ALIAS_EXPANSION:,} values; write the values out "
                "instead of repeating an anchor (&name) so often",
                node.start_mark,
            )


class _LineConstructor(yaml.constructor.SafeConstructor):
    """Mappings and sequences carry 1-based line numbers; a value that cannot be built is an error."""

    line_offset = 0

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError) as exc:
            raise ContentValueError(None, None, _unreadable(node), node.start_mark) from exc


def _unreadable(node: Any) -> str:
    value = node.value if isinstance(node.value, str) else ""
    kind = node.tag.removeprefix(_TAG)
    if kind == "timestamp":
        return (
            f"'{_shown(value)}' is not a real date; write dates as YYYY-MM-DD "
            "(put it in quotes if it is meant as text)"
        )
    if kind == "int" and sum(c.isdigit() for c in value) > 100:
        return (
            f"the number '{_shown(value)}' has {sum(c.isdigit() for c in value):,} digits; numbers in "
            "content are small (put it in quotes if it is meant as text)"
        )
    if kind in ("int", "float"):
        return f"'{_shown(value)}' is not a number"
    if kind == "bool":
        return f"'{_shown(value)}' is not true or false"
    return f"the value '{_shown(value)}' cannot be read as {node.tag}"


def _refuse_tag(what: str) -> Any:
    def construct(loader: _LineLoader, node: Any) -> Any:
        raise ContentValueError(
            None,
            None,
            f"{node.tag.replace(_TAG, '!!')} makes {what}, which no field of the content takes; "
            "write a list with '- ' lines, or plain text",
            node.start_mark,
        )

    return construct


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    # Keys merged in with '<<: *name' may be overridden by the mapping's own keys; two own keys
    # with the same name are a mistake PyYAML would hide by keeping the last.
    own = sum(1 for key_node, _ in node.value if key_node.tag != f"{_TAG}merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own
    result = LineDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.key_lines = {}
    for position, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = _shown(str(key))
        line = key_node.start_mark.line + 1 + loader.line_offset
        if position >= merged and key in result and result.key_lines[key] != line:
            raise ContentValueError(
                None,
                None,
                f"'{_shown(str(key))}' is given twice (first on line {result.key_lines[key]}); keep one",
                key_node.start_mark,
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if _SURROGATE.search(value):
        raise ContentValueError(
            None,
            None,
            _HALF_CHARACTER,
            node.start_mark,
        )
    return value


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.item_lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


class _LineLoader(_BoundedComposer, _LineConstructor, yaml.SafeLoader):
    """PyYAML's safe loader with the bounded composer and the line-keeping constructor."""


_CSafeLoader: Any = getattr(yaml, "CSafeLoader", None)  # None when PyYAML was built without libyaml
_Loader: Any = _LineLoader

if _CSafeLoader is not None:

    class _CLineLoader(_BoundedComposer, _LineConstructor, _CSafeLoader):  # type: ignore[misc]
        """The same loader on libyaml's C scanner and parser (several times faster to read).

        The C parser's events carry the same marks (line numbers). The nodes are still
        composed in Python, by the bounded composer above: libyaml's own composer recurses
        in C without a limit, and a 512 KB file of '[' would overflow the C stack.
        """

        def __init__(self, stream: str) -> None:
            _CSafeLoader.__init__(self, stream)
            yaml.composer.Composer.__init__(self)

    _Loader = _CLineLoader


for _loader in {_LineLoader, _Loader}:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _loader.add_constructor(f"{_TAG}str", _construct_str)
    for _name, _what in _REFUSED_TAGS.items():
        _loader.add_constructor(f"{_TAG}{_name}", _refuse_tag(_what))


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str, line_offset: int = 0, pure: bool = False) -> Any:
    """Parse one YAML document; raise YamlError with the line the parser stopped at.

    libyaml's C parser reads it when PyYAML has it, the pure-Python one otherwise (or when
    ``pure`` asks for it: the tests check that both say the same).
    """
    try:
        loader = _LineLoader(text) if pure else _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise YamlError(_line_at(text, exc.position) + line_offset, _reader_problem(exc)) from exc
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
        if "invalid Unicode character escape" in reason:  # libyaml's words for \ud800 and the like
            raise YamlError(line, _HALF_CHARACTER) from exc
        if isinstance(exc, (ContentValueError, _LimitError)):
            raise YamlError(line, reason) from exc
        raise YamlError(line, f"is not valid YAML: {reason}") from exc
    except yaml.reader.ReaderError as exc:
        raise YamlError(_line_at(text, exc.position) + line_offset, _reader_problem(exc)) from exc
    except yaml.YAMLError as exc:
        raise YamlError(1 + line_offset, f"is not valid YAML: {_shown(str(exc))}") from exc
    except RecursionError as exc:
        # The bounds above keep the tree far from Python's limit; this is the last guard.
        raise YamlError(1 + line_offset, "is not valid YAML: it is nested too deeply") from exc
    finally:
        loader.dispose()


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return f"is not valid YAML: it contains the invisible character U+{ord(character):04X}; delete it"


class Unreadable:
    """What ``read_yaml`` returns for a file it could not read or parse (already reported)."""


UNREADABLE = Unreadable()


def read_yaml(path: Path, problems: ProblemList, root: Path | None = None) -> Any:
    """The YAML in ``path`` (``None`` for an empty file), or ``UNREADABLE`` with the problem reported."""
    text = read_text(path, problems, root)
    if text is None:
        return UNREADABLE
    try:
        return load_yaml(text)
    except YamlError as exc:
        problems.error(path, exc.line, str(exc))
        return UNREADABLE
