"""Reading a recruiter's file into neutral blocks: one reader per format, chosen by extension.

Imported documents are untrusted. Nothing here fetches or runs anything: no reader follows a URL,
an external relationship, an XML entity or an include, and no macro or script is run; every file
is read through intake.py's bounds first. Each reader takes the bytes, so tests can feed it broken
input without files. Plain text and Markdown are read here; DOCX and HTML have modules of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from pipeline.importing.blocks import Block, Document, Heading, Item, ListBlock, Paragraph, nest
from pipeline.importing.docx_reader import read_docx
from pipeline.importing.html_reader import fragment_blocks, read_html
from pipeline.importing.intake import ReadError, decode, read_bounded
from pipeline.importing.text import BULLET, LABEL_LINE, Inline, after_marker, plain, unwrap

# Plain text -----------------------------------------------------------------------------------------

_NUMBERED = re.compile(r"^\s*(?:\d{1,2}|[a-z])[.)]\s+")
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")


def _marker(line: str) -> re.Match[str] | None:
    return BULLET.match(line) or _NUMBERED.match(line)


def _caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters) and len(line) <= 80


def _short_line(line: str) -> bool:
    text = line.strip()
    return 0 < len(text) <= 60 and not text.endswith((".", "!", "?", ":", ";", ",")) and not LABEL_LINE.match(text)


def _stacked_title(lines: list[str]) -> bool:
    """Two short lines that open the file on their own (a title over a company name or a place),
    which unwrapping would run together into one title."""
    return (len(lines) > 2 and _short_line(lines[0]) and _short_line(lines[1]) and not lines[2].strip()
            and not _marker(lines[1]) and not _UNDERLINE.match(lines[1]))


def read_text(raw: bytes) -> Document:
    """A `.txt` posting: blank lines end paragraphs, hand-typed bullets and numbers make lists
    (nested by indentation), and a line in capitals or underlined with === or --- is a heading.

    The first line is the title when it stands alone and reads like one (short, no final stop).
    """
    lines = decode(raw).expandtabs(4).split("\n")
    if _stacked_title(lines):
        lines.insert(1, "")  # "Customer Support Lead" over "Larkspur Payroll": a title, then a line of its own
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[tuple[int, str]] = []
    numbered: list[bool] = []
    """Whether each item's marker was a number ("1.", "a)"): a list whose top items all are is ordered."""

    def flush() -> None:
        if paragraph:
            blocks.append(Paragraph(unwrap(paragraph)))
            paragraph.clear()
        if items:
            top = min(depth for depth, _ in items)
            blocks.append(ListBlock(nest(items), ordered=all(n for (depth, _), n in zip(items, numbered) if depth == top)))
            items.clear()
            numbered.clear()

    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not line.strip():
            flush()
        elif _UNDERLINE.match(line) and i > 0 and lines[i - 1].strip():
            continue  # taken with the line above
        elif _UNDERLINE.match(following) and len(following.strip()) >= 3:
            flush()
            blocks.append(Heading(1 if following.strip()[0] == "=" else 2, line.strip()))
        elif _caps_heading(line.strip()) and not _marker(line):
            flush()
            blocks.append(Heading(2, line.strip()))
        elif marker := _marker(line):
            if paragraph:
                flush()
            items.append((len(line) - len(line.lstrip()), after_marker(line, marker)))
            numbered.append(_NUMBERED.match(line) is not None)
        elif items and len(line) - len(line.lstrip()) > items[-1][0]:
            depth, text = items[-1]
            items[-1] = (depth, f"{text} {line.strip()}")  # an item's wrapped continuation
        else:
            if items:
                flush()
            paragraph.append(line.strip())
    flush()
    first = blocks[0] if blocks else None
    if (isinstance(first, Paragraph) and "\n" not in first.text and len(first.text) <= 100
            and not first.text.endswith((".", "!", "?", ":", ";", ",")) and not LABEL_LINE.match(first.text)):
        blocks[0] = Heading(1, first.text)
    return Document(tuple(blocks))


# Markdown ----------------------------------------------------------------------------------------

_HARD_BREAK = "\u2028"
"""Stands for a Markdown hard break while soft-wrapped lines are joined."""
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML is recognised so that it can be read as the HTML reader reads it (disarmed, never
    # fetched), rather than printed as tags.
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _md_inline(node: SyntaxTreeNode, out: Inline, notes: list[str], *, bold: bool = False, italic: bool = False,
               href: str | None = None) -> None:
    for child in node.children:
        kind = child.type
        if kind == "text" or kind == "code_inline":
            out.add(child.content, bold=bold, italic=italic, href=href)
        elif kind == "softbreak":
            out.add("\n", bold=bold, italic=italic, href=href)
        elif kind == "hardbreak":
            out.add(_HARD_BREAK, bold=bold, italic=italic, href=href)
        elif kind == "image":
            notes.append("an image was left out (images are not imported)")
        elif kind == "html_inline":  # a tag: <br> breaks the line; others drop, and the text between stays
            if _BREAK_TAG.fullmatch(child.content.strip()):
                out.add(_HARD_BREAK, bold=bold, italic=italic, href=href)
            elif "src=" in child.content.lower():
                notes.append("an inline HTML element pointing outside was left out; nothing was fetched")
        else:
            _md_inline(child, out, notes, bold=bold or kind == "strong", italic=italic or kind == "em",
                       href=str(child.attrs.get("href", "")) if kind == "link" else href)


def _md_text(node: SyntaxTreeNode, notes: list[str]) -> str:
    inline = Inline()
    _md_inline(node, inline, notes)
    return unwrap(inline.text().split("\n")).replace(_HARD_BREAK, "\n")


def _md_item(node: SyntaxTreeNode, notes: list[str]) -> Item:
    texts: list[str] = []
    children: list[Item] = []
    for block in _md_blocks(node.children, notes):
        if isinstance(block, ListBlock):
            children += block.items
        else:
            texts.append(block.text)
    return Item("\n".join(texts), tuple(children))


def _md_blocks(nodes: list[SyntaxTreeNode], notes: list[str]) -> list[Block]:
    blocks: list[Block] = []
    for node in nodes:
        if node.type == "heading":
            blocks.append(Heading(int(node.tag[1]), plain(_md_text(node.children[0], notes))))
        elif node.type == "paragraph":
            blocks.append(Paragraph(_md_text(node.children[0], notes)))
        elif node.type in ("bullet_list", "ordered_list"):
            blocks.append(ListBlock(tuple(_md_item(item, notes) for item in node.children),
                                    ordered=node.type == "ordered_list"))
        elif node.type == "html_block":
            blocks += fragment_blocks(node.content, notes)
        elif node.type in ("fence", "code_block"):
            blocks.append(Paragraph(node.content.strip("\n")))
        elif node.type == "tr":
            cells = [_md_text(cell.children[0], notes) for cell in node.children if cell.children]
            blocks.append(Paragraph(": ".join(cells) if len(cells) == 2 else " | ".join(cells)))
        elif node.type != "hr":
            blocks += _md_blocks(node.children, notes)  # blockquotes, tables and their parts
    return blocks


def _front_matter(text: str) -> tuple[str | None, dt.date | None, str]:
    """A YAML front matter's `title` and `date`, and the text after it; a block that is not YAML stays text."""
    match = re.match(r"---\n(.*?)\n---\n", text, flags=re.DOTALL)
    if match is None:
        return None, None, text
    try:
        meta = yaml.safe_load(match[1])
    except yaml.YAMLError:
        return None, None, text
    meta = meta if isinstance(meta, dict) else {}
    title = meta.get("title")
    dated = next((value for key in ("date", "published", "posted") if isinstance(value := meta.get(key), dt.date)), None)
    if isinstance(dated, dt.datetime):
        dated = dated.date()
    return (str(title) if title else None), dated, text[match.end():]


def read_markdown(raw: bytes) -> Document:
    """A `.md` posting, read with markdown-it (CommonMark with tables); a front matter gives the title."""
    title, dated, text = _front_matter(decode(raw))
    notes: list[str] = []
    blocks = _md_blocks(SyntaxTreeNode(_markdown().parse(text)).children, notes)
    return Document(tuple(blocks), title=title, notes=tuple(dict.fromkeys(notes)), front_matter=title is not None,
                    dated=dated)


# Dispatch ----------------------------------------------------------------------------------------

READERS: dict[str, Callable[[bytes], Document]] = {
    ".docx": read_docx, ".md": read_markdown, ".markdown": read_markdown, ".html": read_html, ".htm": read_html,
    ".txt": read_text}


SUPPORTED = (".docx", ".md", ".html", ".txt")

_ADVICE = {".doc": "save it as .docx", ".docm": "save it as .docx, without macros", ".rtf": "save it as .docx",
           ".odt": "save it as .docx", ".pdf": "copy its text into a .txt or .docx file"}


def read_document(path: Path) -> Document:
    """The blocks of `path`, chosen by its extension, or ReadError."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        what = f"a {suffix} file" if suffix else "a file without an extension"
        advice = _ADVICE.get(suffix, f"save it as {', '.join(SUPPORTED[:-1])} or {SUPPORTED[-1]}")
        raise ReadError(f"cannot import {what}; {advice}")
    return reader(read_bounded(path))
