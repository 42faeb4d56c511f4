"""What the commands print goes through one filter: text from content, file names and documents
reaches the terminal with its control characters shown, not obeyed.

A role file named `\\x1b]0;owned\\x07.yaml` or a title holding a right-to-left override (U+202E, the
"Trojan Source" character) would otherwise retitle the terminal, move the cursor or reorder the
line a reviewer reads. Every character in Unicode's control categories (C0, DEL, C1) but the line
feed and the tab, and every bidirectional embedding, override and isolate, is written as its
Python escape (`\\x1b`, `\\u202e`): visible, and still valid inside a JSON string.
"""

from __future__ import annotations

import sys
from typing import TextIO

from pipeline.problems import shown


class Escaping:
    """A text stream that escapes what it is given before passing it on."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(shown(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def escape_output() -> None:
    """Put the filter in front of stdout and stderr (once: a stream already filtered is kept)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, Escaping):
            setattr(sys, name, Escaping(stream))
