"""Reading one YAML file into plain data plus the line and column of every key and value.

PyYAML's constructors forget positions, keep the last of two duplicate keys, expand aliases
without limit, and build whatever a tag names. We compose the node graph ourselves so each of those
becomes a located problem, and only plain data (text, numbers, dates, lists, mappings) is built.
libyaml composes it about twenty times faster than pure Python, so it is used where installed and
where it reads the text exactly as PyYAML does; PyYAML reads the rest and words every syntax error.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.problems import ContentError, Problem, dotted
from pipeline.source.regular_files import NotAFile, TooLarge, read_regular

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; write the content out plainly"

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
    texts: tuple[tuple[DataPath, str], ...] = ()
    """Every text value with its path, in file order, as the reader met them: the checks that read
    each value (links, characters, fitness, placeholders) take them from here rather than walking
    the data again, which is a tenth of validating a large catalogue."""

    def strings(self, skip: Collection[str] = ()) -> list[tuple[DataPath, str]]:
        """Every text value with its path, in file order, leaving out those under a key in `skip`."""
        if not skip:
            return list(self.texts)
        return [(path, value) for path, value in self.texts if skip.isdisjoint(path)]

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
    def __init__(self, file: str, constructor: yaml.constructor.SafeConstructor, *, escapes: bool = True) -> None:
        self.file = file
        self.constructor = constructor
        self.escapes = escapes
        """Whether the text has a backslash: only an escape can write half of a surrogate pair."""
        self.values: dict[DataPath, tuple[int, int]] = {}
        self.keys: dict[DataPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.texts: list[tuple[DataPath, str]] = []
        self.count = 0
        self.collections: set[int] = set()
        self.aliased = False
        """Whether a collection was reached twice, which only an alias does."""

    def problem(self, at: tuple[int, int], path: DataPath, message: str) -> None:
        self.problems.append(Problem(self.file, at[0], at[1], dotted(path), message))

    def walk(self, node: yaml.Node, path: DataPath) -> Any:
        # Every value of a catalogue passes here, so the common case (plain text) takes the
        # fewest steps: one type test, the mark, the tag and the text.
        self.count += 1
        kind = type(node)
        if kind is not yaml.ScalarNode:
            self.aliased = self.aliased or id(node) in self.collections
            self.collections.add(id(node))
        if self.count > MAX_NODES:
            # Aliases share one node, so the node's own mark may be far from the expansion; the
            # top-level key being expanded is where an author can act.
            top = path[:1]
            why = (f"expands to more than {MAX_NODES:,} values through aliases (an alias bomb); "
                   "write the content out plainly") if self.aliased else (
                   f"holds more than {MAX_NODES:,} values, far more than any role needs; shorten it")
            raise ContentError([Problem(self.file, *self.keys.get(top, _mark(node)), dotted(top), why)])
        if len(path) > MAX_DEPTH:
            raise ContentError([Problem(
                self.file, *_mark(node), dotted(path[:1]),
                _TOO_DEEP)])
        mark = node.start_mark
        self.values[path] = (mark.line + 1, mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            self.foreign_tag(node, path)
            return None
        if kind is yaml.MappingNode:
            return self._mapping(node, path)
        if kind is yaml.SequenceNode:
            return [self.walk(item, path + (i,)) for i, item in enumerate(node.value)]
        value = self.scalar(node, path)
        if type(value) is str:
            self.texts.append((path, value))
        return value

    def foreign_tag(self, node: yaml.Node, path: DataPath) -> None:
        """Refuse a tag for something other than plain data (`!!python/object`, `!!binary`,
        `!!set`, `!custom`), so no tag decides what a value becomes."""
        shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
        self.problem(_mark(node), path, f"the YAML tag {shown} is not allowed: content is plain text, numbers, "
                                        "dates, lists and mappings; remove the tag")

    def scalar(self, node: yaml.Node, path: DataPath) -> Any:
        """The node's value; a date-like text that is no real date (2026-02-30) is a problem, not a crash."""
        tag = node.tag
        if tag == _STR or tag == _VALUE:  # YAML 1.1's `=` "value" type is text in YAML 1.2
            if self.escapes and (found := _SURROGATE.search(node.value)) is not None:
                half = found.group()
                self.problem(_mark(node), path, f"U+{ord(half):04X} is half of a UTF-16 surrogate pair, not a "
                                                "character; write the character itself, or one \\U0001F680-style escape")
            return node.value  # what SafeConstructor.construct_yaml_str returns, without its bookkeeping
        if tag == _BOOL and node.value.lower() not in ("true", "false"):
            # YAML 1.2: only true and false are booleans. YAML 1.1 also reads yes, no, on and off,
            # which turns Norway's code (NO) and Ontario's (ON) into false and true.
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
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
            if type(key_node) is not yaml.ScalarNode:
                self.problem(at, path, "a list or mapping is written as a key, but keys must be text; write a plain key")
                continue
            if key_node.tag not in _PLAIN_TAGS:
                self.foreign_tag(key_node, path)
                continue
            before = len(self.problems)
            key = self.scalar(key_node, path)
            if len(self.problems) > before:
                continue
            if type(key) is not str:
                self.problem(at, path, f"key '{key_node.value}' is read as {_kind(key)}, but keys must be text; quote it")
                continue
            if (found := _CONTROL.search(key)) is not None:
                self.problem(at, path, f"key {key!r} holds the control character U+{ord(found.group()):04X}; "
                                       "keys are plain words: retype it")
                continue
            inner = path + (key,)
            if key in out:
                first = self.keys[inner]
                self.problem(at, inner, f"duplicate key '{key}' (first defined at line {first[0]})")
                continue
            self.keys[inner] = at
            out[key] = self.walk(value_node, inner)
        return out


_LIBYAML = getattr(yaml, "CSafeLoader", None)
"""libyaml's loader, or None where PyYAML was installed without it."""

_PLAIN_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc), found at C speed: every key and value passes here."""
_STR = "tag:yaml.org,2002:str"
_VALUE = "tag:yaml.org,2002:value"
_PLAIN_TAGS = frozenset({_PLAIN_NULL, _BOOL, _STR, _VALUE} | {f"tag:yaml.org,2002:{kind}" for kind in (
    "int", "float", "timestamp", "seq", "map")})
"""The tags plain data resolves to, which `!!str` and the like merely confirm."""

_EXPLICIT_KEY = re.compile(r"\n[ -]*\?(?:\s|$)")
_GLUED_COMMENT = re.compile(r"#(?<=[|>]#)|#(?<=[|>][-+0-9]#)|#(?<=[|>][-+0-9]{2}#)")
"""`>#` or `|-#`, written from the `#` back so the search skips from one `#` to the next."""


def _pyyaml_only(text: str) -> bool:
    """Whether libyaml reads `text` differently from PyYAML, as far as the text alone shows.

    libyaml accepts tabs where PyYAML refuses them, counts no column for a byte-order mark inside
    the text, places the empty value of an explicit `? key` at the end elsewhere, and accepts a
    comment glued to a block scalar's `|` or `>`.
    """
    return ("\t" in text or "\ufeff" in text or _EXPLICIT_KEY.search("\n" + text) is not None
            or _GLUED_COMMENT.search(text) is not None)


def _libyaml_agrees(root: yaml.Node, text: str) -> bool:
    """Whether PyYAML would compose the same nodes at the same marks as libyaml did for `root`.

    libyaml places an empty value inside `[...]` or `{...}` at the next token (PyYAML: where the
    value was due), reads `?` inside plain text there (PyYAML refuses it), and types a bare `!` as
    text (PyYAML: nothing); without those characters there is nothing to look for. Anything but a
    mapping at the top is an error, worded by PyYAML anyway.
    """
    if not isinstance(root, yaml.MappingNode):
        return False
    if not any(char in text for char in "[{!"):
        return True
    seen: set[tuple[int, bool]] = set()
    todo: list[tuple[yaml.Node, bool]] = [(root, False)]
    while todo:
        node, in_flow = todo.pop()
        if (id(node), in_flow) in seen:
            continue
        seen.add((id(node), in_flow))
        if isinstance(node, yaml.ScalarNode):
            if not node.style and ((node.value == "" and (in_flow or node.tag != _PLAIN_NULL))
                                   or (in_flow and "?" in node.value)):
                return False
            continue
        in_flow = in_flow or bool(node.flow_style)
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
        todo.extend((child, in_flow) for child in children)
    return True


def _compose_with_libyaml(text: str) -> tuple[yaml.Node, yaml.constructor.SafeConstructor] | None:
    """libyaml's node graph for `text`, or None where PyYAML must read it."""
    if _LIBYAML is None or _pyyaml_only(text):
        return None
    loader = _LIBYAML(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None  # PyYAML reads it again, to word the error as it always has
    finally:
        loader.dispose()
    return (node, loader) if _libyaml_agrees(node, text) else None


def _compose(text: str) -> tuple[yaml.Node | None, yaml.constructor.SafeConstructor]:
    """The document's node graph and a constructor for its values; raises PyYAML's errors."""
    fast = _compose_with_libyaml(text)
    if fast is not None:
        return fast
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()


_SYNTAX_HINTS = {
    "mapping values are not allowed here": "text with ': ' in it must be quoted",
    "expected <block end>": "check the indentation against the lines above",
}

_KEY_WITHOUT_SPACE = re.compile(r"[A-Za-z_][\w-]*(?=:(?!//)\S)")
_KEY_POSITION = re.compile(r" *(?:- +)*")
_SWALLOWED_KEY = re.compile(r"\n *[A-Za-z_][\w-]*: ")

Explained = tuple[int, int, str]
"""A syntax error as an author can act on it: the 1-based line and column, and what to do."""


def _at(mark: yaml.Mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _token_before(text: str, mark: yaml.Mark | None) -> yaml.Token | None:
    """The last token PyYAML scans that starts before `mark`: what the parser stopped just after."""
    if mark is None:
        return None
    scanner = yaml.SafeLoader(text)
    last = None
    try:
        while (token := scanner.peek_token()) is not None and token.start_mark.index < mark.index:
            last = scanner.get_token()
    except yaml.MarkedYAMLError:
        last = next((t for t in reversed(scanner.tokens) if t.start_mark.index < mark.index), last)
    finally:
        scanner.dispose()
    return last


def _tab(err: yaml.MarkedYAMLError, text: str, before: yaml.Token | None) -> Explained | None:
    """PyYAML allows no tab outside text; at the start of a line it is indentation."""
    mark = err.problem_mark
    if mark is None or "'\\t' that cannot start any token" not in (err.problem or ""):
        return None
    indentation = not text[mark.index - mark.column:mark.index].strip()
    return (mark.line + 1, mark.column + 1,
            "indent with spaces, not tabs" if indentation else "use a space here, not a tab")


def _unclosed_quote(err: yaml.MarkedYAMLError, text: str, before: yaml.Token | None) -> Explained | None:
    """A quote left open runs to the end of the file, or on to the next quote, swallowing keys."""
    opened = err.context_mark
    if err.context == "while scanning a quoted scalar" and opened is not None:
        return (opened.line + 1, opened.column + 1,
                f"the quote opened on {_at(opened)} is not closed; add the closing {text[opened.index]} "
                "at the end of the text")
    stopped = err.problem_mark
    if not (isinstance(before, yaml.ScalarToken) and before.style in ("'", '"') and stopped is not None
            and before.end_mark.line == stopped.line > before.start_mark.line
            and _SWALLOWED_KEY.search(text, before.start_mark.index, before.end_mark.index)):
        return None
    opened, closed = before.start_mark, before.end_mark
    return (opened.line + 1, opened.column + 1,
            f"the quote opened on {_at(opened)} is not closed on its line, so the text runs on to the quote "
            f"on line {closed.line + 1}, column {closed.column}; "
            f"add the closing {before.style} on line {opened.line + 1}")


def _missing_space(text: str, start: yaml.Mark) -> Explained | None:
    """`key:value` at the start of a line is one word of text to YAML, not a key and its value."""
    line_start = start.index - start.column
    key = _KEY_WITHOUT_SPACE.match(text, start.index)
    if key is None or not _KEY_POSITION.fullmatch(text, line_start, start.index):
        return None
    return (start.line + 1, start.column + len(key.group()) + 1,
            f"add a space after the colon on line {start.line + 1}, so `{key.group()}` reads as a key")


def _not_a_key(err: yaml.MarkedYAMLError, text: str, before: yaml.Token | None) -> Explained | None:
    """A line lined up with the keys above must be a key; PyYAML notices only on the next line."""
    start = err.context_mark
    if err.context != "while scanning a simple key" or start is None:
        return None
    return _missing_space(text, start) or (
        start.line + 1, start.column + 1,
        f"line {start.line + 1} is neither `key: value` nor a `- ` list item; add what it lacks, "
        "or indent it further to continue the text above")


def _colon_in_text(err: yaml.MarkedYAMLError, text: str, before: yaml.Token | None) -> Explained | None:
    """An unquoted ': ' inside a value, or `key:value` some lines up, or a key indented too deep."""
    colon = err.problem_mark
    if (colon is None or not (err.problem or "").startswith("mapping values are not allowed")
            or not isinstance(before, yaml.ScalarToken) or before.style is not None):
        return None
    found = _missing_space(text, before.start_mark)
    if found is not None:
        return found
    if before.start_mark.line == colon.line:
        return (colon.line + 1, colon.column + 1,
                "put the text in quotes (\"...\"), because ': ' inside unquoted text starts a new key")
    return (colon.line + 1, colon.column + 1,
            f"line {colon.line + 1} continues the text above; if it is a new key, line it up with the keys "
            "above, and if it is text, put the text in quotes (\"...\")")


_EXPLAINERS = (_tab, _unclosed_quote, _not_a_key, _colon_in_text)


def _syntax_problem(file: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    """The mistake where it was made, in words that say the fix; else PyYAML's complaint with a hint."""
    before = _token_before(text, err.problem_mark)
    for explain in _EXPLAINERS:
        found = explain(err, text, before)
        if found is not None:
            line, column, message = found
            return Problem(file, line, column, "", f"YAML syntax error: {message}")
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    notes = []
    reason = err.problem or err.context or "unreadable YAML"
    if err.problem and err.context and err.context_mark and err.context_mark is not mark:
        notes.append(f"{err.context} at {_at(err.context_mark)}")
    said = f"{err.problem} {err.context}"
    notes += [hint for needle, hint in _SYNTAX_HINTS.items() if needle in said]
    return Problem(file, line, column, "", f"YAML syntax error: {reason}" + "".join(f"; {n}" for n in notes))


def read_yaml(path: Path, display: str | None = None) -> Located:
    """Read `path` or raise ContentError with one clear, located message per problem."""
    file = display or str(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except TooLarge as err:
        raise ContentError([Problem(file, 1, 1, "", str(err))]) from None
    except NotAFile as err:
        raise ContentError([Problem(file, 1, 1, "", f"cannot be read: {err}")]) from None
    return parse_yaml(raw, file)


_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""Line breaks as PyYAML counts them for its marks."""


def _unreadable_character(file: str, text: str, err: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses to read at all, at its line and column, with what it says about the file."""
    breaks = list(_LINE_BREAK.finditer(text, 0, err.position))
    line_start = breaks[-1].end() if breaks else 0
    at = (len(breaks) + 1, err.position - line_start + 1)
    if err.character == 0:
        return Problem(file, *at, "", "the file holds a NUL byte, so it is binary, or text saved as UTF-16 or "
                                      "UTF-32; save it as UTF-8 text")
    return Problem(file, *at, "", f"U+{err.character:04X} is a control character, which YAML does not allow in a "
                                  "file; delete it (it usually comes with pasted text)")


_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


def _too_deep(file: str, text: str) -> Problem | None:
    """Where nesting first passes MAX_DEPTH, for a document too deep to compose.

    Composing recurses once per level, so a deep enough document stops Python before the walker
    can place its problem; PyYAML's parser gives its events one at a time, without recursion
    (libyaml's stops at 1,000 levels), so they are counted instead, and the problem is the
    walker's, at the same value (None if the events stop at a syntax error first).
    """
    loader = yaml.SafeLoader(text)
    depth, top_key, key_next = 0, "", False
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, _NODE_EVENTS) and depth > MAX_DEPTH:
                mark = event.start_mark
                return Problem(file, mark.line + 1, mark.column + 1, dotted((top_key,)) if top_key else "",
                               _TOO_DEEP)
            if depth == 1 and isinstance(event, _NODE_EVENTS):  # in the top-level mapping
                if key_next and isinstance(event, yaml.ScalarEvent):
                    top_key = event.value
                key_next = not key_next
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                key_next = key_next or depth == 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def parse_yaml(raw: bytes, file: str) -> Located:
    """Parse bytes already read; pure, so tests can feed broken input without files."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ContentError([Problem(file, 1, 1, "", "the file is UTF-16 (or UTF-32) text; save it as UTF-8")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ContentError([Problem(file, line, column, "",
                                    f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8")]) from None
    text = text.removeprefix("\ufeff")
    try:
        node, constructor = _compose(text)
    except yaml.MarkedYAMLError as err:
        raise ContentError([_syntax_problem(file, text, err)]) from None
    except yaml.reader.ReaderError as err:
        raise ContentError([_unreadable_character(file, text, err)]) from None
    except yaml.YAMLError as err:
        raise ContentError([Problem(file, 1, 1, "", f"YAML error: {err}")]) from None
    except RecursionError:
        raise ContentError([_too_deep(file, text) or Problem(
            file, 1, 1, "", "the document is nested too deeply to read; write the content out plainly")]) from None
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _PLAIN_NULL and not node.value):
        # `---` alone, or comments only: a document with nothing in it
        raise ContentError([Problem(file, 1, 1, "", "the file is empty; expected a mapping of keys")])
    if not isinstance(node, yaml.MappingNode):
        found = "a list" if isinstance(node, yaml.SequenceNode) else "text"
        raise ContentError([Problem(file, *_mark(node), "",
                                    f"expected a mapping of keys (like `title: ...`) at the top of the file, got {found}")])
    walker = _Walker(file, constructor, escapes="\\" in text)
    try:
        data = walker.walk(node, ())
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        raise ContentError([Problem(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, "",
                                    f"YAML error: {err.problem}")]) from None
    if walker.problems:
        raise ContentError(walker.problems)
    return Located(file, data, walker.values, walker.keys, text, tuple(walker.texts))
