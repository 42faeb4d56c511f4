"""A problem found in content, located to the character, and the error that carries many of them.

The ground every layer stands on: reading, checking, rendering and the commands all speak of
problems in these terms, so this module imports nothing of rolepack's.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = "error"
    rule: str = ""
    """A short id for the kind of finding (`stale-pay`, `uncovered-character`), so one can be allowed."""

    def order(self) -> tuple[str, int, int, str, str, str, str]:
        """Its fields in their order, as a sort key: the order dataclass comparison gives, at less
        than half its cost (a catalogue of 5,000 roles sorts 6,875 warnings every run: 31 → 12 ms)."""
        return (self.file, self.line, self.column, self.path, self.message, self.severity, self.rule)

    def __str__(self) -> str:
        where = f"{shown(self.file, UNSAFE_IN_A_NAME)}:{self.line}:{self.column}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        prefix = f"{self.severity}: " if self.severity in ("warning", "error") else ""
        return f"{where}: {prefix}{what}"


class ContentError(Exception):
    """Raised with every problem at once, so an author fixes a file in one pass."""

    def __init__(self, problems: list[Problem], notes: list[str] | None = None) -> None:
        self.problems = sorted(set(problems))
        self.notes = list(notes or [])
        super().__init__("\n".join([str(p) for p in self.problems] + self.notes))


def dotted(path: tuple[str | int, ...]) -> str:
    """`("qualifications", "hard_skills", 2)` reads as `qualifications.hard_skills[2]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


LISTED = 12
"""How many names a message lists before it counts the rest: a catalogue of 5,000 roles listed whole
buried the message under 100 KB of names."""


def listed(names: Sequence[str], empty: str = "none") -> str:
    """`names` for a message: all of them, or the first LISTED and how many more, with where to see them."""
    if not names:
        return empty
    if len(names) <= LISTED:
        return ", ".join(names)
    return f"{', '.join(names[:LISTED])} and {len(names) - LISTED} more; `rolepack list` shows them all"


def did_you_mean(word: str, choices: list[str]) -> str:
    """` (did you mean 'x'?)` for a near miss, else nothing."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""



_KIND = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping",
         str: "text", type(None): "nothing"}


def kind_of(value: Any) -> str:
    """What a YAML value is, as an author would call it: `a list`, `true/false`."""
    return _KIND.get(type(value), type(value).__name__)


SUMMARISED = {"stale-pay": "salary data of {count} role{s} is more than 12 months old (the oldest, {oldest}, "
                           "at {where}); refresh it, or accept it with --allow stale-pay"}
"""Warnings that repeat across a catalogue and read better as one line per run."""


def summarised(warnings: list[Problem]) -> list[str]:
    """Each warning as a line, except the kinds in SUMMARISED, which become one line each."""
    lines = [str(w) for w in warnings if w.rule not in SUMMARISED]
    for rule, template in SUMMARISED.items():
        group = sorted((w for w in warnings if w.rule == rule), key=lambda w: (w.message, w.file))
        if group:
            first = group[0]
            oldest = first.message.split(" is from ", 1)[-1].split(",", 1)[0]
            files = len({w.file for w in group})  # a role with local bands has more than one source
            lines.append("warning: " + template.format(count=files, s="s" if files != 1 else "",
                                                      oldest=oldest, where=f"{first.file}:{first.line}:{first.column}"))
    return lines


def file_key(path: object) -> str:
    """A file as named, absolute, to compare a role's file with the files problems name: a link is
    never followed (one that loops or points nowhere has no target to compare)."""
    return os.path.abspath(str(path))


def files_with_problems(problems: Iterable[Problem]) -> frozenset[str]:
    """The files (`file_key`) that the problems are about."""
    return frozenset(file_key(p.file) for p in problems)


_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[{_CONTROLS}]")
"""What a terminal obeys rather than shows: Unicode's control characters (C0, DEL, C1) but the line
feed and the tab, and the bidirectional marks, embeddings, overrides and isolates ("Trojan Source")."""
UNSAFE_IN_A_NAME = re.compile(f"[{_CONTROLS}\n\t\u2028\u2029]")
"""The same, and the line feed, the tab and Unicode's line and paragraph separators, which a file
name printed on one line must not hold either (a reader splitting the output into lines, as Python's
`splitlines` does, would cut the message in two at U+2028)."""


def shown(text: str, unsafe: re.Pattern[str] = UNSAFE) -> str:
    """`text` with every `unsafe` character written as its Python escape (`\\x1b`, `\\u202e`, `\\n`)."""
    return unsafe.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
