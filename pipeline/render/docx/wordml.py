"""Reading WordprocessingML as Word shows it: every paragraph in order (through tables and content
controls), each run with its formatting, its link, and whether a tracked change inserted or deleted it,
by whom and when, and the bookmarks and comments open around it.

python-docx's paragraph iteration skips text inside `w:ins`, `w:sdt` and nested tables, so a draft
read through it loses exactly what a reviewer added. Both ways back read through here: `merge` (a
draft rolepack wrote) and `import` (any other Word document); the writer reads its own output through
here too, so a draft's recorded text and the text read back from it come from one reading.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from html import unescape

from lxml import etree

from pipeline.source.markdown import inline

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PIECE = re.compile(r"^_rp(\d+)$")
"""A bookmark around a piece of content: hidden in Word's list (its name starts with `_`)."""


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


(P, PPR, RUN, RPR, TC, VAL, ID, NAME, AUTHOR, DATE, HYPERLINK, ANCHOR, BOOKMARK_START, BOOKMARK_END, COMMENT_START,
 COMMENT_END, TEXT, DELETED_TEXT, TAB, CR, BR, TYPE, NO_BREAK_HYPHEN) = map(w, (
    "p", "pPr", "r", "rPr", "tc", "val", "id", "name", "author", "date", "hyperlink", "anchor", "bookmarkStart",
    "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "t", "delText", "tab", "cr", "br", "type", "noBreakHyphen"))
"""The tags and attributes read on every paragraph and run, named once."""
PARAGRAPH_STYLE, PARAGRAPH_NUMBERING = w("pStyle"), w("numPr")
MARK_CHANGES = (("ins", w("ins")), ("del", w("del")))
"""A paragraph mark's tracked change, in its `w:pPr/w:rPr`."""
CHANGES = {w("ins"): "ins", w("moveTo"): "ins", w("del"): "del", w("moveFrom"): "del"}
RELATIONSHIP_ID = f"{{{R}}}id"
BOLD, ITALIC = w("b"), w("i")


@dataclass(frozen=True)
class Change:
    kind: str
    """"ins" or "del"."""
    author: str
    date: str


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""
    change: Change | None = None
    pieces: frozenset[int] = frozenset()
    """The numbers of the `_rpN` bookmarks this text sits in."""
    comments: frozenset[str] = frozenset()


@dataclass
class WParagraph:
    style: str
    numbered: bool
    spans: list[Span] = field(default_factory=list)
    mark: Change | None = None
    """A tracked change on the paragraph mark: the paragraph itself was inserted or deleted."""
    in_table: bool = False
    pieces: set[int] = field(default_factory=set)
    """Every piece open anywhere in the paragraph, even one whose text was all deleted."""

    def text(self, view: str = "before") -> str:
        """The text as it stood before tracked changes ("before") or with all of them accepted ("after")."""
        return "".join(s.text for s in self.spans if keeps(s, view))


def keeps(span: Span, view: str) -> bool:
    if span.change is None:
        return True
    return (span.change.kind == "del") == (view == "before")


def _on(rpr, tag: str) -> bool:
    found = rpr.find(tag) if rpr is not None else None
    if found is None:
        return False
    return found.get(VAL, "true").lower() not in ("0", "false", "off", "none")


class _Walk:
    """One pass over a body: bookmarks and comment ranges may open in one paragraph and close in another."""

    def __init__(self, links: dict[str, str]) -> None:
        self.links = links
        self.bookmarks: dict[str, int] = {}  # w:id → piece number, while open
        self.comments: set[str] = set()
        self.paragraphs: list[WParagraph] = []

    def paragraph(self, p) -> None:
        ppr = p.find(PPR)  # one-step finds: lxml runs a path of several steps in Python
        style = numbering = mark = None
        if ppr is not None:
            style, numbering = ppr.find(PARAGRAPH_STYLE), ppr.find(PARAGRAPH_NUMBERING)
            marked = ppr.find(RPR)
            for kind, tag in MARK_CHANGES if marked is not None else ():
                found = marked.find(tag)
                if found is not None:
                    mark = Change(kind, found.get(AUTHOR, ""), found.get(DATE, ""))
        para = WParagraph(style.get(VAL, "") if style is not None else "", numbering is not None, mark=mark,
                          in_table=any(a.tag == TC for a in p.iterancestors()))
        para.pieces.update(self.bookmarks.values())
        self._inline(p, para, None, "")
        self.paragraphs.append(para)

    def _inline(self, el, para: WParagraph, change: Change | None, href: str) -> None:
        """`change` and `href`: the nearest tracked change and link around `el` within its paragraph."""
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag == PPR:
                continue
            if tag == RUN:
                self._run(child, para, change, href)
            elif tag == BOOKMARK_START:
                match = PIECE.match(child.get(NAME, ""))
                if match:
                    self.bookmarks[child.get(ID, "")] = int(match[1])
                    para.pieces.add(int(match[1]))
            elif tag == BOOKMARK_END:
                self.bookmarks.pop(child.get(ID, ""), None)
            elif tag == COMMENT_START:
                self.comments.add(child.get(ID, ""))
            elif tag == COMMENT_END:
                self.comments.discard(child.get(ID, ""))
            elif tag == P:
                continue  # a paragraph inside a text box: read as its own paragraph by the caller
            elif tag in CHANGES:
                self._inline(child, para, Change(CHANGES[tag], child.get(AUTHOR, ""), child.get(DATE, "")), href)
            elif tag == HYPERLINK:
                target = self.links.get(child.get(RELATIONSHIP_ID, ""), "")
                anchor = child.get(ANCHOR, "")
                self._inline(child, para, change, target or (f"#{anchor}" if anchor else "") or href)
            else:  # w:sdt/w:sdtContent, w:smartTag, w:fldSimple …
                self._inline(child, para, change, href)

    def _run(self, r, para: WParagraph, change: Change | None, href: str) -> None:
        rpr = r.find(RPR)
        bold, italic = _on(rpr, BOLD), _on(rpr, ITALIC)
        text: list[str] = []
        for part in r:
            tag = part.tag
            if tag == TEXT or tag == DELETED_TEXT:
                text.append(part.text or "")
            elif tag == TAB:
                text.append("\t")
            elif tag == CR or (tag == BR and part.get(TYPE, "textWrapping") == "textWrapping"):
                text.append("\n")  # a page or column break lays the text out, it is not in it
            elif tag == NO_BREAK_HYPHEN:
                text.append("\u2011")
        if text:
            para.spans.append(Span("".join(text), bold, italic, href, change,
                                   frozenset(self.bookmarks.values()), frozenset(self.comments)))


def paragraphs(body, links: dict[str, str]) -> list[WParagraph]:
    """Every paragraph of `body` (an lxml `w:body`, `w:hdr` …) in reading order."""
    walk = _Walk(links)
    for p in body.iter(P):
        walk.paragraph(p)
    return walk.paragraphs


def links_of(rels_xml: bytes | None) -> dict[str, str]:
    """A part's hyperlink relationships: id → address (read, never fetched)."""
    if not rels_xml:
        return {}
    root = etree.fromstring(rels_xml, safe_parser())
    return {rel.get("Id", ""): rel.get("Target", "") for rel in root
            if rel.get("Type", "").endswith("/hyperlink")}


def safe_parser() -> etree.XMLParser:
    """An XML parser for untrusted parts: no entities resolved, no DTD loaded, nothing fetched."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


_MARKS = re.compile(r"([*_\[\]\\])")


_READ_AS_MARKUP = re.compile(r"[*_\[\]\\\n\r\x00]")
"""What Markdown's rules here (emphasis, links, line breaks) or its reading of the input could turn
into something else; text without any of them, and without white space at either end, prints as typed."""


def markdown(spans: list[Span]) -> str:
    """The spans as content is written: **bold**, *italic*, [text](address), line breaks as typed.
    A character that would read as markup is escaped only where it would (`snake_case` stays)."""
    if not any(s.bold or s.italic or s.href for s in spans):  # most paragraphs: no need to parse it back
        text = "".join(s.text for s in spans)
        if text == text.strip() and not _READ_AS_MARKUP.search(text):
            return text
    plain = _markdown(spans, escape=False)
    if plain_text(plain) == "".join(s.text for s in spans):
        return plain
    return _markdown(spans, escape=True)


def _markdown(spans: list[Span], *, escape: bool) -> str:
    out: list[str] = []
    for (bold, italic, href), group in itertools.groupby(spans, key=lambda s: (s.bold, s.italic, s.href)):
        text = "".join(s.text for s in group)
        text = _MARKS.sub(r"\\\1", text) if escape else text
        styled = _styled(text, bold, italic)
        out.append(f"[{styled}]({href})" if href and not href.startswith("#") else styled)
    return "".join(out)


def _styled(text: str, bold: bool, italic: bool) -> str:
    core = text.strip()
    if not core or not (bold or italic):
        return text
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    mark = "***" if bold and italic else "**" if bold else "*"
    return f"{lead}{mark}{core}{mark}{trail}"


def plain_text(text: str) -> str:
    """What Markdown prints of `text`, as plain text."""
    html = str(inline(text)).replace("<br>", "\n")
    return unescape(re.sub(r"<[^>]+>", "", html))
