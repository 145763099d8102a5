"""YAML documents that remember where each value was written, for ``file:line`` errors.

Registry and policy files are edited by hand; a mistake must be reported as
``pakistan.yaml:212: groups[14].kind: 'armed' is not one of …`` rather than as a stack trace.
:func:`load_yaml` parses with PyYAML's safe loader (libyaml's, in C, where PyYAML was built
with it: the group registry reads about ten times as fast) and records the line of every mapping key
and sequence item by its path (``("groups", 14, "kind")``), so a validator that reports paths —
pydantic does — can be turned into a precise message with :meth:`YamlDoc.where`.

A key written twice in one mapping is refused at the second one's line: YAML loaders keep the
last value silently, so a policy rule's second ``action:`` would otherwise win unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nigehban.errors import InputError
from nigehban.privacy.masking import preview

PathKey = tuple[str | int, ...]

_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)
"""PyYAML's safe loader, libyaml's where built: the same documents and marks; libyaml counts a
character error's position in UTF-8 bytes, PyYAML in characters."""

MAX_VALUES = 200_000
"""Values a document may hold once its aliases are expanded (the shipped registry holds about
8,000): aliases nested in aliases ("a billion laughs") would otherwise take hours to read."""
MAX_BYTES = 4_000_000
"""A policy or registry file larger than this is refused before it is parsed (the shipped
ones are under 200 kB; a 9 MB file took half a minute to refuse)."""


@dataclass(frozen=True, slots=True)
class YamlDoc:
    path: Path
    data: Any
    lines: dict[PathKey, int]

    def line_of(self, key: Sequence[str | int]) -> int:
        """The 1-based line of ``key``, or of its nearest enclosing value that has one."""
        probe = tuple(key)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return 1

    def where(self, key: Sequence[str | int]) -> str:
        """``file:line`` of ``key``."""
        return f"{self.path.name}:{self.line_of(key)}"

    def error(self, key: Sequence[str | int], problem: str) -> InputError:
        """An :class:`InputError` located at ``key``, naming the field."""
        return InputError(self.where(key), f"{format_path(key)}: {problem}")


def format_path(key: Sequence[str | int]) -> str:
    """``("groups", 3, "kind")`` -> ``groups[3].kind``."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def load_yaml(path: Path) -> YamlDoc:
    """Parse one YAML document; syntax errors become :class:`InputError` at ``file:line``."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{path.name}:1", f"the file holds {size:,} bytes, more than {MAX_BYTES:,}"
            )
        data = path.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path.name}:{line}", f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    loader = None
    try:
        loader = _LOADER(text)
        node = loader.get_single_node()
        if node is None:
            raise InputError(f"{path.name}:1", "the file is empty")
        lines: dict[PathKey, int] = {}
        _record(node, (), lines, set(), [0])
        data = loader.construct_document(node)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a NUL …)
        raise InputError(
            f"{path.name}:{_line_at(text, exc.position)}",
            f"YAML: character {exc.character:#06x} is not allowed",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(f"{path.name}:{line}", f"YAML syntax: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name}:1", f"YAML: {exc}") from None
    except _TooManyValuesError as exc:
        raise InputError(
            f"{path.name}:{exc.line}",
            f"{format_path(exc.key)}: the document holds more than {MAX_VALUES:,} values "
            "(aliases expanded)",
        ) from None
    except _SelfReferenceError as exc:
        raise InputError(
            f"{path.name}:{exc.line}", f"{format_path(exc.key)}: an alias refers to itself"
        ) from None
    except _DuplicateKeyError as exc:
        raise InputError(
            f"{path.name}:{exc.line}",
            f"{format_path(exc.key)}: duplicate key {preview(str(exc.key[-1]), 60)} "
            f"(first written at line {exc.first})",
        ) from None
    except RecursionError:
        raise InputError(path.name, "YAML nested too deeply to read") from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(path, data, lines)


def _line_at(text: str, position: int) -> int:
    """The 1-based line of a reader error's position (bytes for libyaml, characters for
    PyYAML)."""
    if _LOADER is yaml.SafeLoader:
        return text.count("\n", 0, position) + 1
    return text.encode("utf-8", "surrogatepass").count(b"\n", 0, position) + 1


class _NodeError(Exception):
    """A refusal found while recording lines, at ``line`` and ``key``."""

    def __init__(self, line: int, key: PathKey) -> None:
        super().__init__(line, key)
        self.line = line
        self.key = key


class _SelfReferenceError(_NodeError):
    pass


class _TooManyValuesError(_NodeError):
    pass


class _DuplicateKeyError(_NodeError):
    def __init__(self, line: int, key: PathKey, first: int) -> None:
        super().__init__(line, key)
        self.first = first


MERGE_KEY = "<<"
"""YAML's merge key, which a mapping may hold with the keys it overrides."""


def _record(
    node: yaml.Node, key: PathKey, lines: dict[PathKey, int], open_: set[int], seen: list[int]
) -> None:
    """Record the line of every key and item under ``node``. ``open_`` holds the collections
    being recorded: an alias back to one of them (``a: &x [*x]``) makes a value contain
    itself, which no validator can read, and is refused at its line. ``seen`` counts the
    values, aliases expanded, against :data:`MAX_VALUES`."""
    seen[0] += 1
    if seen[0] > MAX_VALUES:
        raise _TooManyValuesError(node.start_mark.line + 1, key)
    lines.setdefault(key, node.start_mark.line + 1)
    if not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        return
    if id(node) in open_:
        raise _SelfReferenceError(node.start_mark.line + 1, key)
    open_.add(id(node))
    if isinstance(node, yaml.MappingNode):
        firsts: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*key, name)
            line = key_node.start_mark.line + 1
            if isinstance(key_node, yaml.ScalarNode) and name != MERGE_KEY:
                tagged = (key_node.tag, name)  # 1 and "1" are different keys
                if tagged in firsts:
                    raise _DuplicateKeyError(line, child, firsts[tagged])
                firsts[tagged] = line
            lines[child] = line
            _record(value_node, child, lines, open_, seen)
    else:
        for index, item in enumerate(node.value):
            child = (*key, index)
            lines[child] = item.start_mark.line + 1
            _record(item, child, lines, open_, seen)
    open_.discard(id(node))
