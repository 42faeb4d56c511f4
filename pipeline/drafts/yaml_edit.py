"""Editing a role file in place: the values a merge changes, and nothing else, byte for byte.

ruamel.yaml reads the file as a round-trip tree (comments, key order, quoting and block styles
kept) and writes it back. Before any edit, the untouched file must come back byte-identical under
the indentation found; a file ruamel.yaml would reformat (say, a long plain value folded over lines)
is refused with the first line it would change, so a merge never rewrites lines nobody edited.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

Path = tuple[str | int, ...]
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (2, 2, 2), (4, 4, 4), (4, 2, 0), (3, 3, 1))
"""(mapping, sequence, dash offset) as people write YAML, the project's own style first."""


class EditError(ValueError):
    """A role file that cannot be edited in place without changing what nobody edited."""


@dataclass(frozen=True)
class Set:
    path: Path
    value: Any


@dataclass(frozen=True)
class Delete:
    path: Path


@dataclass(frozen=True)
class Insert:
    path: Path
    """The list's path."""
    index: int
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Note:
    """A comment written beside a value: what a reviewer said about it."""
    path: Path
    text: str


Edit = Set | Delete | Insert | Note


def _yaml(indent: tuple[int, int, int]) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _first_difference(a: str, b: str) -> int:
    for number, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), start=1):
        if x != y:
            return number
    return min(len(a.splitlines()), len(b.splitlines())) + 1


def editor(text: str) -> YAML:
    """The ruamel.yaml set-up that writes `text` back unchanged, or EditError naming the line it would change."""
    first = None
    for indent in INDENTS:
        yaml = _yaml(indent)
        try:
            again = _dump(yaml, yaml.load(text))
        except YAMLError as err:
            raise EditError(f"it cannot be read as YAML ({err})") from None
        if again == text:
            return yaml
        first = first or _first_difference(text, again)
    raise EditError(f"writing it back would change line {first}, which no edit touches (a round-trip YAML "
                    "editor keeps comments, order and quoting, but re-wraps a long plain value folded over lines); "
                    "put that value on one line, or in a block (`|`), and merge again")


def apply_edits(text: str, edits: list[Edit]) -> str:
    yaml = editor(text)
    data = yaml.load(text)
    ordered = sorted((e for e in edits if isinstance(e, (Set, Delete, Insert))), key=_order, reverse=True)
    for edit in ordered:
        parent, key = _parent(data, edit.path if not isinstance(edit, Insert) else edit.path + (edit.index,))
        if isinstance(edit, Set):
            parent[key] = _styled(parent[key] if _has(parent, key) else None, edit.value)
        elif isinstance(edit, Delete):
            del parent[key]
        else:
            for value in reversed(edit.values):
                parent.insert(key, _styled(None, value))
    for note in (e for e in edits if isinstance(e, Note)):
        parent, key = _parent(data, note.path)
        if _has(parent, key) and note.text not in text:
            parent.yaml_add_eol_comment(note.text, key)
    return _dump(yaml, data)


def _order(edit: Edit) -> tuple:
    """Last place first, so an edit never moves the index of one still to come; at one index, a change
    or removal goes before an insertion there."""
    if isinstance(edit, Insert):
        return (_sortable(edit.path), edit.index, 0)
    if isinstance(edit.path[-1], int):
        return (_sortable(edit.path[:-1]), edit.path[-1], 1)
    return (_sortable(edit.path), -1, 1)


def _sortable(path: Path) -> tuple:
    return tuple((0, step, "") if isinstance(step, int) else (1, 0, step) for step in path)


def _has(parent: Any, key: str | int) -> bool:
    return key in parent if isinstance(parent, CommentedMap) else 0 <= key < len(parent)


def _parent(data: Any, path: Path) -> tuple[Any, str | int]:
    node = data
    for step in path[:-1]:
        node = node[step]
    if not isinstance(node, (CommentedMap, CommentedSeq)):
        raise EditError(f"{'.'.join(map(str, path))} is not inside a mapping or a list in the file")
    return node, path[-1]


def _styled(old: Any, new: Any) -> Any:
    """The new text in the old value's style: quoted stays quoted, a block stays a block."""
    if not isinstance(new, str):
        return new
    if isinstance(old, ScalarString) and ("\n" not in new or isinstance(old, LiteralScalarString)):
        return type(old)(new)
    if "\n" in new:
        return LiteralScalarString(new)
    return new
