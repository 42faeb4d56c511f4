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
    text: str = ""
    """The decoded source (BOM removed), so a finding can point at a word inside a value."""

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
        if self.count > MAX_NODES:
            # Aliases share one node, so the node's own mark may be far from the expansion; the
            # top-level key being expanded is where an author can act.
            top = path[:1]
            raise ContentError([Problem(
                self.file, *self.keys.get(top, _mark(node)), dotted(top),
                f"expands to more than {MAX_NODES:,} values through aliases (an alias bomb); "
                "write the content out plainly")])
        if len(path) > MAX_DEPTH:
            raise ContentError([Problem(
                self.file, *_mark(node), dotted(path[:1]),
                f"nested more than {MAX_DEPTH} levels deep; write the content out plainly")])
        self.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: DataPath) -> Any:
        """The node's value; a date-like text that is no real date (2026-02-30) is a problem, not a crash."""
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError as err:
            self.problem(_mark(node), path, f"'{node.value}' is read as a date, but it is not one ({err}); "
                                            "write a real date as YYYY-MM-DD, or quote the text")
            return None

    def _mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            at = _mark(key_node)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(at, path, "YAML merge keys (<<) are not supported; use `extends` to vary a role")
                continue
            if isinstance(key_node, yaml.ScalarNode):
                before = len(self.problems)
                key = self.scalar(key_node, path)
                if len(self.problems) > before:
                    continue
            else:
                key = None
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


_SYNTAX_HINTS = {
    "mapping values are not allowed here": "text with ': ' in it must be quoted",
    "that cannot start any token": "indent with spaces, not tabs",
    "expected <block end>": "check the indentation against the lines above",
    "could not find expected ':'": "check the indentation, or quote text with ': ' in it",
    "while scanning a quoted scalar": "a quotation mark is not closed",
}


def _syntax_problem(file: str, err: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's complaint, at the place it noticed, with where the construct began and a hint."""
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    notes = []
    reason = err.problem or err.context or "unreadable YAML"
    if err.problem and err.context and err.context_mark and err.context_mark is not mark:
        notes.append(f"{err.context} at line {err.context_mark.line + 1}, column {err.context_mark.column + 1}")
    said = f"{err.problem} {err.context}"
    notes += [hint for needle, hint in _SYNTAX_HINTS.items() if needle in said]
    return Problem(file, line, column, "", f"YAML syntax error: {reason}" + "".join(f"; {n}" for n in notes))


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
        raise ContentError([_syntax_problem(file, err)]) from None
    except yaml.YAMLError as err:
        raise ContentError([Problem(file, 1, 1, "", f"YAML error: {err}")]) from None
    except RecursionError:
        raise ContentError([Problem(file, 1, 1, "", "the document is nested too deeply to read; "
                                                    "write the content out plainly")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentError([Problem(file, 1, 1, "", "the file is empty; expected a mapping of keys")])
    if not isinstance(node, yaml.MappingNode):
        found = "a list" if isinstance(node, yaml.SequenceNode) else "text"
        raise ContentError([Problem(file, *_mark(node), "",
                                    f"expected a mapping of keys (like `title: ...`) at the top of the file, got {found}")])
    walker = _Walker(file, loader)
    try:
        data = walker.walk(node, ())
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        raise ContentError([Problem(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "",
                                    f"YAML error: {err.problem}")]) from None
    if walker.problems:
        raise ContentError(walker.problems)
    return Located(file, data, walker.values, walker.keys, text)
