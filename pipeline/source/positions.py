"""Where a character inside a YAML value is written: the line and column an author can jump to.

The reader records where each value starts; a finding about one word needs that word's own
position. The value's characters are traced back through the source text, past quotes, a block
scalar's header, folded line breaks and indentation, and escapes, so a word in the third line of a
folded `>-` paragraph, or after a `\\u00e9` in a quoted string, is placed where it is written. For
a role that `extends` another, the file that wrote the value is the one pointed into.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from functools import cached_property
from typing import Any

from pipeline.source.extends import chain_origin
from pipeline.source.yaml_reader import DataPath, Located

_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""Line breaks as PyYAML counts them for its marks."""
_NODE_PROPERTIES = re.compile(r"(?:[&!]\S*\s+)*")
_ESCAPE_WIDTH = {"x": 4, "u": 6, "U": 10}


def _source_indexes(text: str, start: int, value: str) -> list[int | None]:
    """Where each character of `value` is written in `text`, reading the scalar that starts at `start`
    (None for characters past the end of the source).

    The value's characters are matched against the source in order: quotes, a block scalar's
    header line, indentation and folded line breaks have no counterpart and are passed over; a
    double-quoted escape (`\\u00e9`) stands for one character; a run of spaces in the value that
    stands for a folded line break is placed where that break is. One pass for the whole value, so
    that many findings in one long paragraph cost what one does.
    """
    found: list[int | None] = [None] * len(value)
    i = _NODE_PROPERTIES.match(text, start).end()
    style = text[i : i + 1]
    if style in ("|", ">"):
        header_end = _LINE_BREAK.search(text, i)
        i = header_end.end() if header_end else len(text)
    elif style in ('"', "'"):
        i += 1
    j = 0
    while i < len(text) and j < len(value):
        s, v = text[i], value[j]
        if style == '"' and s == "\\":
            if _LINE_BREAK.match(text, i + 1):  # an escaped line break stands for nothing
                i += 1
                while i < len(text) and text[i].isspace():
                    i += 1
                continue
            found[j] = i
            i += _ESCAPE_WIDTH.get(text[i + 1 : i + 2], 2)
            j += 1
        elif s == v:
            found[j] = i
            i += 1
            j += 1
        elif s.isspace() and v.isspace():  # a folded line break and its indentation
            run_start = j
            while j < len(value) and value[j].isspace():
                j += 1
            found[run_start:j] = [i] * (j - run_start)
            while i < len(text) and text[i].isspace():
                i += 1
        else:
            i += 1
    return found


class SourceText:
    """One file's text, to turn a value's (line, column) plus an offset into the character's own."""

    def __init__(self, located: Located) -> None:
        self.located = located
        self._indexes: dict[tuple[int, str], list[int | None]] = {}

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [m.end() for m in _LINE_BREAK.finditer(self.located.text)]

    def position(self, path: DataPath, value: str, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of `value[offset]`, or of the value itself if it cannot be traced."""
        line, column = self.located.where(path)
        if line > len(self.line_starts):  # a Located made without its source text
            return line, column
        start = self.line_starts[line - 1] + column - 1
        if (start, value) not in self._indexes:
            self._indexes[start, value] = _source_indexes(self.located.text, start, value)
        indexes = self._indexes[start, value]
        index = indexes[offset] if 0 <= offset < len(indexes) else None
        if index is None:
            return line, column
        found = bisect_right(self.line_starts, index)
        return found, index - self.line_starts[found - 1] + 1


def strings(data: Any, path: DataPath = (), *, skip: Collection[str] = ()) -> Iterator[tuple[DataPath, str]]:
    """Every string in the data with its path, in file order, leaving out the keys in `skip`."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in skip:
                yield from strings(value, path + (key,), skip=skip)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, path + (i,), skip=skip)


def _value_at(data: Any, path: DataPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


class Positions:
    """Positions of characters in the merged text of roles, each file's line table built once.

    The files used last are kept (a parent's text is placed for each role that extends it), not
    every file: linting a catalogue of thousands of roles places text in all of them once."""

    KEPT = 128

    def __init__(self) -> None:
        self._texts: OrderedDict[str, SourceText] = OrderedDict()

    def _text(self, located: Located) -> SourceText:
        if located.file in self._texts:
            self._texts.move_to_end(located.file)
        else:
            self._texts[located.file] = SourceText(located)
            if len(self._texts) > self.KEPT:
                self._texts.popitem(last=False)
        return self._texts[located.file]

    def locate(self, chain: Sequence[Located], path: DataPath, value: str | None = None,
               offset: int = 0) -> tuple[str, int, int]:
        """The file, line and column of `value[offset]`, where `value` is the text at `path` in the
        merged data of `chain` (root ancestor first; the last file that writes `path` supplied it).

        `value` may be the text as a model holds it, stripped of the spaces around it; the offset
        is moved by what was stripped. Without a value, or where no file writes `path` (a default,
        a list replaced whole), the position is that of the value or of its nearest written ancestor.
        """
        writer = next((located for located in reversed(chain) if path in located.values), None)
        if writer is None or value is None:
            return chain_origin(list(chain), path)
        raw = _value_at(writer.data, path)
        if isinstance(raw, str) and raw != value and value in raw:
            offset += raw.index(value)
            value = raw
        return (writer.file, *self._text(writer).position(path, value, offset))
