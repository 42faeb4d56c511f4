"""The neutral form every reader turns a document into, so that mapping is written once.

A document is a flat run of headings, paragraphs and lists; what a heading *means* (responsibilities,
benefits, …) is decided later, by the mapping, the same way for every format. Text is already in the
content's inline subset (`**bold**`, `*italic*`, `[text](https://…)`), and a `\\n` is a line break
the author typed (a DOCX or HTML `<br>`, a Markdown hard break), never a soft wrap.
"""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    level: int
    """1 for a title or top heading, 2 and deeper for sections."""
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Item:
    text: str
    children: tuple[Item, ...] = ()


@dataclass(frozen=True)
class ListBlock:
    items: tuple[Item, ...]
    ordered: bool = False
    """Numbered (1., 2., …): steps in order, kept numbered."""


Block = Heading | Paragraph | ListBlock


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    title: str | None = None
    """A title the file declares apart from its text (DOCX core properties, HTML <title>)."""
    language: str | None = None
    """The language the file declares (DOCX default run language, HTML `lang`), as written there."""
    notes: tuple[str, ...] = field(default_factory=tuple)
    """What the reader left out or noticed (images, macros, page chrome), for the report."""
    front_matter: bool = False
    """The title is a front matter's: the author's own, over any heading."""
    dated: dt.date | None = None
    """The date the file declares (a front matter's `date`, DOCX core properties' created): what its pay figures are as of."""


def nest(entries: list[tuple[int, str]]) -> tuple[Item, ...]:
    """List items from (depth, text) pairs in document order: a deeper pair is a child of the one before."""
    root: list[tuple[str, list]] = []
    stack: list[tuple[int, list]] = [(-1, root)]
    for depth, text in entries:
        while stack[-1][0] >= depth:
            stack.pop()
        children: list = []
        stack[-1][1].append((text, children))
        stack.append((depth, children))

    def freeze(nodes: list[tuple[str, list]]) -> tuple[Item, ...]:
        return tuple(Item(text, freeze(children)) for text, children in nodes)

    return freeze(root)
