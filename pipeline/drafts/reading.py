"""A draft sent back: its record (what rolepack wrote), its paragraphs as they are now, its comments.

Everything comes from the package's bytes, bounded first (render/docx/untrusted.py) and parsed with
entities, DTDs and the network off; nothing a draft says is followed.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from pipeline.render.docx.record import Record, RecordError, from_xml, record_part
from pipeline.render.docx.untrusted import PackageError, check_package, members
from pipeline.render.docx.wordml import WParagraph, links_of, paragraphs, safe_parser, w


class DraftError(ValueError):
    """A file that is not a draft rolepack can merge, and why; nothing is written for it."""


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str
    text: str


@dataclass(frozen=True)
class Draft:
    record: Record
    paragraphs: list[WParagraph]
    comments: dict[str, Comment]


def read_draft(raw: bytes) -> Draft:
    try:
        check_package(raw)
        parts = members(raw)
    except PackageError as err:
        raise DraftError(str(err)) from None
    data = record_part(parts)
    if data is None:
        raise DraftError("it carries no rolepack record: it was not written by rolepack, or an editor dropped "
                         "the record when it saved; `rolepack import` reads any Word document as a new role")
    try:
        record = from_xml(data)
    except RecordError as err:
        raise DraftError(str(err)) from None
    body_xml = parts.get("word/document.xml")
    if body_xml is None:
        raise DraftError("it has no document body (word/document.xml)")
    try:
        root = etree.fromstring(body_xml, safe_parser())
    except etree.XMLSyntaxError as err:
        raise DraftError(f"its document body cannot be read ({err})") from None
    body = root.find(w("body"))
    if body is None:
        raise DraftError("its document body is empty")
    found = paragraphs(body, links_of(parts.get("word/_rels/document.xml.rels")))
    unknown = sorted({n for p in found for n in p.pieces} - {p.number for p in record.pieces})
    if unknown:
        raise DraftError(f"it marks text as piece {unknown[0]}, which its record does not list; "
                         "the draft was altered outside rolepack")
    return Draft(record, found, _comments(parts.get("word/comments.xml")))


def _comments(data: bytes | None) -> dict[str, Comment]:
    if not data:
        return {}
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as err:
        raise DraftError(f"its comments cannot be read ({err})") from None
    found = {}
    for el in root.iter(w("comment")):
        text = "\n".join("".join(t.text or "" for t in p.iter(w("t"))) for p in el.iter(w("p")))
        found[el.get(w("id"), "")] = Comment(el.get(w("id"), ""), el.get(w("author"), ""),
                                             el.get(w("date"), ""), text.strip())
    return found

