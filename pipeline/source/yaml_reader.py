"""Reading one YAML file into plain data plus the line and column of every key and value.

PyYAML's constructors forget positions, keep the last of two duplicate keys, and expand aliases
without limit. We compose the node graph ourselves so each of those becomes a located problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.check.problems import ContentError, Problem, dotted

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64

DataPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """Plain data from one file, with 1-based (line, column) for each path's value and key."""

    file: str
    data: Any
    values: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[DataPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that exists."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return table[path[:end]]
            if key and path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _kind(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list",
            dict: "a mapping", type(None): "nothing"}.get(type(value), type(value).__name__)


class _Walker:
    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.values: dict[DataPath, tuple[int, int]] = {}
        self.keys: dict[DataPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def problem(self, at: tuple[int, int], path: DataPath, message: str) -> None:
        self.problems.append(Problem(self.file, at[0], at[1], dotted(path), message))

    def walk(self, node: yaml.Node, path: DataPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES or len(path) > MAX_DEPTH:
            raise ContentError([Problem(
                self.file, *_mark(node), dotted(path),
                f"the document expands to more than {MAX_NODES:,} values or {MAX_DEPTH} levels "
                "(an alias bomb or a runaway nesting); write the content out plainly")])
        self.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            at = _mark(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(at, path, "YAML merge keys (<<) are not supported; use `extends` to vary a role")
                continue
            key = self.loader.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                shown = f"'{key_node.value}'" if isinstance(key_node, yaml.ScalarNode) else "a collection"
                self.problem(at, path, f"key {shown} is read as {_kind(key)}, but keys must be text; quote it")
                continue
            if key in out:
                first = self.keys[path + (key,)]
                self.problem(at, path + (key,), f"duplicate key '{key}' (first defined at line {first[0]})")
                continue
            self.keys[path + (key,)] = at
            out[key] = self.walk(value_node, path + (key,))
        return out


def read_yaml(path: Path, display: str | None = None) -> Located:
    """Read `path` or raise ContentError with one clear, located message per problem."""
    file = display or str(path)
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ContentError([Problem(file, 1, 1, "", f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")])
    return parse_yaml(raw, file)


def parse_yaml(raw: bytes, file: str) -> Located:
    """Parse bytes already read; pure, so tests can feed broken input without files."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ContentError([Problem(file, line, column, "",
                                    f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = err.problem or err.context or "unreadable YAML"
        raise ContentError([Problem(file, line, column, "", f"YAML syntax error: {reason}")]) from None
    except yaml.YAMLError as err:
        raise ContentError([Problem(file, 1, 1, "", f"YAML error: {err}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError([Problem(file, 1, 1, "", "the file is empty; expected a mapping of keys")])
    if not isinstance(node, yaml.MappingNode):
        raise ContentError([Problem(file, *_mark(node), "", "expected a mapping of keys at the top of the file")])
    walker = _Walker(file, loader)
    try:
        data = walker.walk(node, ())
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        raise ContentError([Problem(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "",
                                    f"YAML error: {err.problem}")]) from None
    if walker.problems:
        raise ContentError(walker.problems)
    return Located(file, data, walker.values, walker.keys)
