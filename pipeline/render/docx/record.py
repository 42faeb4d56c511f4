"""What a draft records about itself, so a hiring manager's edits can come back (`rolepack merge`).

Each piece of text that came from content sits between a pair of hidden bookmarks, `_rp<N>` (Word
hides a bookmark whose name starts with `_`). A custom XML part names the role, the kind, the brand,
the digest of the content the draft was built from, and for each N the field it came from and the
text it held; and every paragraph of the body as built, so text typed outside any piece can be placed.
The base of a three-way merge is therefore the draft itself: it needs no build folder and no git.

Why bookmarks and not content controls: LibreOffice 7.4 saves a DOCX without its content controls'
tags and moves block controls inside paragraphs (measured in tests/drafts); bookmarks and custom XML
parts survive a save in Word and in LibreOffice alike, and neither shows on the page.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from lxml import etree

from pipeline.render.docx.wordml import Span, WParagraph, keeps, markdown, safe_parser

NAMESPACE = "urn:rolepack:draft:1"
SOURCE = re.compile(r"^(role|company|pay):([a-z_]+|\d+)(\.([a-z_]+|\d+))*$")
"""`role:job_description.key_responsibilities.2`: where a piece's text came from. `role` and
`company` are text from the role file and company.yaml; `pay` is a pay band printed from its numbers."""


class RecordError(ValueError):
    """A record that is missing, unreadable or names places no role has."""


@dataclass(frozen=True)
class Piece:
    number: int
    source: str
    markdown: str
    """The text as built, as content Markdown read back from the document."""

    @property
    def origin(self) -> str:
        return self.source.partition(":")[0]

    @property
    def path(self) -> tuple[str | int, ...]:
        return source_path(self.source)


def source_path(source: str) -> tuple[str | int, ...]:
    """`role:job_description.key_responsibilities.2` → ("job_description", "key_responsibilities", 2)."""
    return tuple(int(p) if p.isdigit() else p for p in source.partition(":")[2].split("."))


def source_label(source: str) -> str:
    """`role:job_description.key_responsibilities.2` → `job_description.key_responsibilities[2]`, as people read it."""
    return re.sub(r"\.(\d+)", r"[\1]", source.partition(":")[2]) if source else ""


@dataclass(frozen=True)
class Line:
    """A paragraph of the body as built: the pieces in it, and the text rolepack printed outside them
    (a heading, a label such as "Department"); a piece's own text is in its piece."""
    text: str
    pieces: tuple[int, ...]
    style: str


@dataclass(frozen=True)
class Record:
    role: str
    kind: str
    brand: str
    language: str
    digest: str
    pieces: tuple[Piece, ...]
    lines: tuple[Line, ...]
    purpose: str = "draft"
    """"draft" (edit and merge back) or "redline" (a review of changes between two versions)."""

    def piece(self, number: int) -> Piece | None:
        return next((p for p in self.pieces if p.number == number), None)


def piece_spans(para: WParagraph, number: int, bare: frozenset[tuple[int, ...]] = frozenset()) -> list[Span]:
    """The spans of piece `number` in `para`. A paragraph that was one piece and nothing else when
    built (`bare`) is that piece whole: Word and LibreOffice put text typed at either end of a
    bookmark outside it, and that text belongs to the piece, not to nowhere."""
    whole = len(para.pieces) == 1 and tuple(sorted(para.pieces)) in bare
    return [s for s in para.spans if number in s.pieces or (whole and not s.pieces)]


def bare_lines(record: Record) -> frozenset[tuple[int, ...]]:
    """The paragraphs that were one piece and nothing else when the draft was built."""
    return frozenset(line.pieces for line in record.lines if len(line.pieces) == 1 and not line.text.strip())


def pieces_of(paragraphs: list[WParagraph], view: str = "before",
              bare: frozenset[tuple[int, ...]] = frozenset()) -> dict[int, str]:
    """Each piece's text as Markdown, its paragraphs joined by blank lines (a piece split by Enter)."""
    texts: dict[int, list[str]] = {}
    for para in paragraphs:
        for number in sorted(para.pieces):
            spans = [s for s in piece_spans(para, number, bare) if keeps(s, view)]
            texts.setdefault(number, []).append(markdown(spans))
    return {n: "\n\n".join(t for t in parts if t.strip()) for n, parts in texts.items()}


def record_of(paragraphs: list[WParagraph], sources: dict[int, str], *, role: str, kind: str, brand: str,
              language: str, digest: str) -> Record:
    """The record of a document just written, read back from its own body."""
    texts = pieces_of(paragraphs)
    pieces = tuple(Piece(n, sources[n], texts.get(n, "")) for n in sorted(sources))
    lines = tuple(Line(p.text() if not p.pieces else "".join(s.text for s in p.spans if not s.pieces),
                       tuple(sorted(p.pieces)), p.style) for p in paragraphs)
    return Record(role, kind, brand, language, digest, pieces, lines)


def to_xml(record: Record) -> bytes:
    root = etree.Element(f"{{{NAMESPACE}}}draft", nsmap={None: NAMESPACE})
    for name in ("role", "kind", "brand", "language", "digest"):
        root.set(name, getattr(record, name))
    if record.purpose != "draft":
        root.set("purpose", record.purpose)
    for piece in record.pieces:
        el = etree.SubElement(root, f"{{{NAMESPACE}}}piece", n=str(piece.number), source=piece.source)
        el.text = piece.markdown
    for line in record.lines:
        el = etree.SubElement(root, f"{{{NAMESPACE}}}line", pieces=" ".join(map(str, line.pieces)), style=line.style)
        el.text = line.text  # for a paragraph with pieces, only its text outside them (a label)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def from_xml(data: bytes) -> Record:
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as err:
        raise RecordError(f"its rolepack record cannot be read ({err})") from None
    if root.tag != f"{{{NAMESPACE}}}draft":
        raise RecordError("its rolepack record is not one this version of rolepack reads")
    pieces, lines = [], []
    for el in root:
        if el.tag == f"{{{NAMESPACE}}}piece":
            source = el.get("source", "")
            if not SOURCE.match(source) or not (el.get("n") or "").isdigit():
                raise RecordError(f"its record names a place that is not a content field ({source!r}); "
                                  "the draft was altered outside rolepack")
            pieces.append(Piece(int(el.get("n")), source, el.text or ""))
        elif el.tag == f"{{{NAMESPACE}}}line":
            numbers = (el.get("pieces") or "").split()
            if not all(n.isdigit() for n in numbers):
                raise RecordError("its record lists a paragraph with unreadable piece numbers")
            lines.append(Line(el.text or "", tuple(int(n) for n in numbers), el.get("style", "")))
    values = {name: root.get(name, "") for name in ("role", "kind", "brand", "language", "digest")}
    if not all(values.values()):
        raise RecordError("its rolepack record does not say which role and document it is")
    return Record(**values, pieces=tuple(pieces), lines=tuple(lines), purpose=root.get("purpose", "draft"))


def record_part(parts: dict[str, bytes]) -> bytes | None:
    """The custom XML part rolepack wrote, wherever an editor renumbered it (LibreOffice does)."""
    marker = f'xmlns="{NAMESPACE}"'.encode()
    for name, data in sorted(parts.items()):
        if name.startswith("customXml/item") and not name.startswith("customXml/itemProps") and marker in data[:400]:
            return data
    return None


def item_properties(record_id: str) -> bytes:
    """The custom XML part's properties (`itemProps`), as Word writes them: its store item id."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            f'<ds:datastoreItem ds:itemID="{{{record_id}}}" '
            f'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
            f'<ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>').encode()


def record_id(record: Record) -> str:
    """A store item id that is the same for the same draft, so the DOCX stays reproducible."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{NAMESPACE}:{record.role}:{record.kind}:{record.brand}")).upper()
