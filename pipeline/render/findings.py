"""What a renderer noticed about a finished document that a person should look at.

Renderers are pure, so they cannot know which role file wrote a piece of text; they report the
text as printed, and the build locates it in the content.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class LayoutFinding:
    rule: str
    """A short id: `overflow` for text that leaves its page or table cell."""
    text: str
    """The text as printed (the line or word that does not fit), to find it in the content."""
    message: str
    """Where and by how much, in words: `runs 14 mm past the right edge of the text on page 2`."""

    def __str__(self) -> str:
        return f"{self.message}: “{self.text}”"
