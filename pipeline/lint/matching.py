"""Phrase lists as patterns that find whole words, so "he" is found in "he will" but not in "help".

Curly apostrophes are read as straight ones (one character for one, so offsets stay those of the
text), since authors type either: "you’ll need" and "you'll need" are the same phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def plain(text: str) -> str:
    """`text` with typographic apostrophes as `'`, the same length."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def phrase_pattern(phrases: Iterable[str], *, loose: bool = False) -> re.Pattern[str]:
    """One case-insensitive pattern for all `phrases`, the longest tried first at each place.

    Words of a phrase match across any run of spaces or a line break; with `loose`, also across a
    hyphen or nothing at all ("rock star" finds rockstar and rock-star).
    """
    gap = r"[\s\-]*" if loose else r"\s+"
    pieces = [gap.join(re.escape(word) for word in plain(phrase).split())
              for phrase in sorted(set(phrases), key=len, reverse=True)]
    return re.compile(rf"(?<![\w'])(?:{'|'.join(pieces)})(?![\w])", re.IGNORECASE)


def find(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match of `pattern` in `text`, curly apostrophes read as straight."""
    return pattern.finditer(plain(text))
