"""Reading an `.html` posting (a saved careers page, an ATS export) into neutral blocks with lxml.

The parser is told not to touch the network, and everything that could load or run something
(scripts, styles, frames, objects, images, forms) is dropped unread before the text is walked, so
nothing a page points at is ever fetched. When the page has a <main> (or else an <article>), only
that is read: the navigation and footer around a posting are the site's, not the role's.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from pipeline.importing.blocks import Block, Document, Heading, Item, ListBlock, Paragraph
from pipeline.importing.intake import ReadError, decode
from pipeline.importing.text import Inline, plain

_DROPPED = ("script", "style", "noscript", "template", "svg", "math", "img", "link", "meta", "base", "input",
            "select", "textarea", "button", "head", "source", "track")
"""Elements whose content is never the posting's text: dropped whole."""
_UNWRAPPED = ("iframe", "frame", "frameset", "object", "embed", "applet", "canvas", "audio", "video", "picture")
"""Elements that load something but hold fallback text (or, unclosed, the rest of the page): their
tag is dropped and what they hold is read as text."""
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINERS = frozenset({"div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
                         "figure", "figcaption", "address", "details", "summary", "fieldset", "form", "center", "pre",
                         "li", "body", "html", "dd", "dt"})
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em", "cite"})
_SPACE = re.compile(r"[ \t\n\r\f]+")


def _add(out: Inline, text: str | None, *, bold: bool, italic: bool, href: str | None) -> None:
    if text:
        out.add(_SPACE.sub(" ", text), bold=bold, italic=italic, href=href)


def _inline(element: etree._Element, out: Inline, *, bold: bool = False, italic: bool = False,
            href: str | None = None) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    bold, italic = bold or tag in _BOLD, italic or tag in _ITALIC
    href = element.get("href") if tag == "a" else href
    if tag == "br":
        out.add("\n", bold=bold, italic=italic, href=href)
    _add(out, element.text, bold=bold, italic=italic, href=href)
    for child in element:
        _inline(child, out, bold=bold, italic=italic, href=href)
        _add(out, child.tail, bold=bold, italic=italic, href=href)


def _text(element: etree._Element) -> str:
    out = Inline()
    _inline(element, out)
    return out.text()


def _item(li: etree._Element) -> Item:
    texts, children = [], []
    for block in _blocks(li):
        if isinstance(block, ListBlock):
            children += block.items
        else:
            texts.append(block.text)
    return Item("\n".join(texts), tuple(children))


def _row(tr: etree._Element) -> Paragraph:
    cells = [_text(cell) for cell in tr if cell.tag in ("td", "th")]
    return Paragraph(": ".join(cells) if len(cells) == 2 else " | ".join(cells))


def _definitions(dl: etree._Element) -> list[Block]:
    """`<dt>Location</dt><dd>Berlin</dd>` as the line `Location: Berlin`, which the mapping reads as a fact."""
    blocks: list[Block] = []
    term = None
    for child in dl:
        if child.tag == "dt":
            if term is not None:
                blocks.append(Paragraph(term))
            term = _text(child)
        elif child.tag == "dd":
            blocks.append(Paragraph(f"{term}: {_text(child)}" if term is not None else _text(child)))
            term = None
    if term is not None:
        blocks.append(Paragraph(term))
    return blocks


def _blocks(container: etree._Element) -> list[Block]:
    """The blocks of an element, its loose text and inline children gathered into paragraphs."""
    blocks: list[Block] = []
    pending = Inline()

    def flush() -> None:
        nonlocal pending
        if pending.text().strip():
            blocks.append(Paragraph(pending.text()))
        pending = Inline()

    _add(pending, container.text, bold=False, italic=False, href=None)
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _HEADINGS:
            flush()
            blocks.append(Heading(_HEADINGS[tag], plain(_text(child))))
        elif tag == "p":
            flush()
            blocks.append(Paragraph(_text(child)))
        elif tag in ("ul", "ol", "menu"):
            flush()
            blocks.append(ListBlock(tuple(_item(li) for li in child if li.tag == "li"), ordered=tag == "ol"))
        elif tag == "table":
            flush()
            blocks += [_row(tr) for tr in child.iter("tr")]
        elif tag == "dl":
            flush()
            blocks += _definitions(child)
        elif tag in _CONTAINERS:
            flush()
            blocks += _blocks(child)
        else:
            _inline(child, pending)
        _add(pending, child.tail, bold=False, italic=False, href=None)
    flush()
    return blocks


_PARSER = dict(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)


def _parse(raw: bytes) -> etree._Element:
    parser = lxml.html.HTMLParser(**_PARSER)
    try:
        root = lxml.html.document_fromstring(raw.removeprefix(b"\xef\xbb\xbf"), parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise ReadError(f"it is not a readable HTML page ({err})") from None
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        # libxml2 stops at 256 levels of nesting and drops the rest of the page without an error
        raise ReadError("its elements are nested more than 255 levels deep, past which the rest of the page "
                        "cannot be read; no posting is written that deep: open it in a browser or Word and save "
                        "it again as a plain page")
    return root


def _disarm(root: etree._Element, notes: list[str]) -> None:
    """Drop, unread, everything that could load or run something; note what pointed outside."""
    remote = [el for el in root.iter(*_DROPPED, *_UNWRAPPED) if el.get("src") or el.get("href") or el.get("data")]
    if remote:
        notes.append(f"left out {len(remote)} script(s), image(s), frame(s) or stylesheet(s) it points at; "
                     "none was fetched")
    for element in list(root.iter(*_DROPPED)):
        element.drop_tree()
    for element in list(root.iter(*_UNWRAPPED)):
        element.drop_tag()


def fragment_blocks(markup: str, notes: list[str]) -> list[Block]:
    """The blocks of an HTML fragment inside another format (a Markdown HTML block), read the same way."""
    root = _parse(markup.encode("utf-8"))
    _disarm(root, notes)
    return _blocks(root.find("body") if root.find("body") is not None else root)


def read_html(raw: bytes) -> Document:
    """An `.html` posting; its `lang` and <title> are the declared language and title."""
    decode(raw)  # refuses what is not UTF-8 text, with the same words as the other text formats
    root = _parse(raw)
    title = root.findtext(".//title")
    language = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    notes: list[str] = []
    _disarm(root, notes)
    body = next((el for tag in ("main", "article") for el in root.iter(tag)), None)
    if body is not None:
        notes.append(f"read the page's <{body.tag}> only; its navigation and footer were left out")
    else:
        body = root.find("body") if root.find("body") is not None else root
    return Document(tuple(_blocks(body)), title=title.strip() if title and title.strip() else None,
                    language=language, notes=tuple(notes))
