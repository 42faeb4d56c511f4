"""Format-neutral tidying of a read document: what authors typed by hand, read as what they meant.

Recruiters fake structure: a bold line stands for a heading, "✅ Remote" lines for a list. These
rules apply the same way whatever the format, after the reader and before the mapping; they only
regroup and clean text, never drop words.
"""

from __future__ import annotations

from pydantic import TypeAdapter, ValidationError

from pipeline.schema.role import Text
from pipeline.importing.blocks import Block, Document, Heading, Item, ListBlock, Paragraph
from pipeline.importing.text import BULLET, LABEL_LINE, after_marker, clean, plain
from pipeline.importing.vocabulary import vocabulary

_TEXT = TypeAdapter(Text)

PSEUDO_HEADING_CHARS = 80


def _typed_lists(blocks: tuple[Block, ...]) -> list[Block]:
    """Paragraphs (or the lines of one) that each start with a typed bullet, as one list."""
    out: list[Block] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 2:
            out.append(ListBlock(tuple(Item(after_marker(line, BULLET.match(line))) for line in run)))
        elif run:
            out.append(Paragraph(run[0]))
        run.clear()

    for block in blocks:
        lines = block.text.split("\n") if isinstance(block, Paragraph) else []
        if lines and all(BULLET.match(line) for line in lines):
            run += lines
            continue
        flush()
        out.append(block)
    flush()
    return out


def _worded(text: str) -> str:
    """`text` cleaned, or "" when it is no content text (a rule of dashes, a lone bullet)."""
    cleaned = clean(text)
    try:
        _TEXT.validate_python(cleaned)
    except ValidationError:
        return ""
    return cleaned


def _clean_item(item: Item) -> Item | None:
    children = tuple(c for c in (_clean_item(child) for child in item.children) if c is not None)
    text = _worded(item.text)
    return Item(text, children) if text or children else None


def _cleaned(block: Block) -> Block | None:
    if isinstance(block, ListBlock):
        items = tuple(i for i in (_clean_item(item) for item in block.items) if i is not None)
        return ListBlock(items, block.ordered) if items else None
    text = _worded(block.text)
    if not text:
        return None
    return Heading(block.level, text) if isinstance(block, Heading) else Paragraph(text)


def _looks_like_heading(text: str) -> bool:
    """A paragraph that stands for a heading: one short line, wholly bold or a known heading phrase.

    A labelled line ("**Salary:** €60k") is a fact, and a sentence ending in a full stop is prose.
    """
    words = plain(text)
    if "\n" in text or len(words) > PSEUDO_HEADING_CHARS or words.endswith((".", "!", ";", ",")):
        return False
    if LABEL_LINE.match(words):
        return False
    bold = text.startswith("**") and text.endswith("**") and text.count("**") == 2
    match = vocabulary().heading_slot(words.rstrip(" :："))
    known = match is not None and match[1]  # the whole line is a phrase of the table
    return bold or known


def normalise(document: Document) -> Document:
    """The document with typed lists made lists, text cleaned, and stand-in headings made headings."""
    blocks: list[Block] = []
    level = 1
    for block in _typed_lists(document.blocks):
        cleaned = _cleaned(block)
        if isinstance(cleaned, Heading):
            level = cleaned.level
        elif isinstance(cleaned, Paragraph) and _looks_like_heading(cleaned.text):
            cleaned = Heading(level + 1, plain(cleaned.text).rstrip(" :："))
        if cleaned is not None:
            blocks.append(cleaned)
    return Document(tuple(blocks), title=clean(document.title or "") or None, language=document.language,
                    notes=document.notes, front_matter=document.front_matter, dated=document.dated)
