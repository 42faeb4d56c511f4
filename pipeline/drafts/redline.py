"""`rolepack redline`: a role's document with real tracked changes between two versions of its
content, so an approver reviews what changed in Word's own review pane (accept, reject, comment).

The newer version is built as usual; every piece of text whose field changed is then marked up as
Word marks up a revision: words removed in `w:del`, words added in `w:ins` (a word-level diff), a
new list item or paragraph as an insertion with its paragraph mark, an item that went as a deleted
paragraph where it stood. A changed piece is set in its first run's formatting (a bold word inside
a changed sentence prints plain); unchanged text keeps all of its own.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from pipeline.drafts.proposals import list_of, normal
from pipeline.render.docx.record import Piece, Record, from_xml, record_part, to_xml
from pipeline.render.docx.wordml import PIECE, W, plain_text, safe_parser, w

AUTHOR = "rolepack"
WORDS = re.compile(r"\s+|[^\s]+")


@dataclass
class Marked:
    changed: int = 0
    added: int = 0
    removed: int = 0
    unplaced: int = 0
    """Removed text with no place left to show it (a field the newer version no longer prints)."""

    @property
    def total(self) -> int:
        return self.changed + self.added + self.removed


class _Marker:
    def __init__(self, root, when: dt.date) -> None:
        self.root = root
        self.date = f"{when.isoformat()}T00:00:00Z"
        self.next_id = 1 + max((int(x) for x in root.xpath("//@w:id", namespaces={"w": W})
                                if x.isdigit()), default=0)
        self.starts = {int(m[1]): el for el in root.iter(w("bookmarkStart"))
                       if (m := PIECE.match(el.get(w("name"), "")))}
        self.ends = {el.get(w("id")): el for el in root.iter(w("bookmarkEnd"))}

    def change(self, kind: str):
        el = etree.Element(w(kind))
        el.set(w("id"), str(self.next_id))
        el.set(w("author"), AUTHOR)
        el.set(w("date"), self.date)
        self.next_id += 1
        return el

    def between(self, number: int) -> tuple[object, list]:
        """A piece's bookmark start and the elements between it and its end, in one paragraph."""
        start = self.starts[number]
        end = self.ends.get(start.get(w("id")))
        inside = []
        node = start.getnext()
        while node is not None and node is not end:
            inside.append(node)
            node = node.getnext()
        return start, inside

    def _run(self, text: str, rpr, deleted: bool = False):
        run = etree.Element(w("r"))
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        t = etree.SubElement(run, w("delText" if deleted else "t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return run

    def reword(self, number: int, old: str, new: str) -> None:
        start, inside = self.between(number)
        rprs = [r.find(w("rPr")) for el in inside for r in ([el] if el.tag == w("r") else el.iter(w("r")))]
        rpr = next((r for r in rprs if r is not None), None)
        a, b = WORDS.findall(old), WORDS.findall(new)
        made = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                made.append(self._run("".join(a[i1:i2]), rpr))
                continue
            if i2 > i1:
                deleted = self.change("del")
                deleted.append(self._run("".join(a[i1:i2]), rpr, deleted=True))
                made.append(deleted)
            if j2 > j1:
                inserted = self.change("ins")
                inserted.append(self._run("".join(b[j1:j2]), rpr))
                made.append(inserted)
        for el in inside:
            el.getparent().remove(el)
        anchor = start
        for el in made:
            anchor.addnext(el)
            anchor = el

    def insert_whole(self, number: int) -> None:
        start, inside = self.between(number)
        inserted = self.change("ins")
        for el in inside:
            inserted.append(el)
        start.addnext(inserted)
        paragraph = start.getparent()
        if normal("".join(paragraph.xpath(".//w:t/text()", namespaces={"w": W}))) == normal(
                "".join(inserted.xpath(".//w:t/text()", namespaces={"w": W}))):
            self._mark(paragraph, "ins")

    def _mark(self, paragraph, kind: str) -> None:
        ppr = paragraph.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            paragraph.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:  # CT_PPr: the paragraph mark's run properties come before a section's end
            rpr = etree.Element(w("rPr"))
            later = next((c for c in ppr if c.tag in (w("sectPr"), w("pPrChange"))), None)
            ppr.insert(ppr.index(later) if later is not None else len(ppr), rpr)
        rpr.append(self.change(kind))

    def deleted_paragraph(self, beside: int, text: str, *, before: bool) -> None:
        """A removed item, shown as a deleted paragraph next to the item it stood beside."""
        neighbour = self.starts[beside].getparent()
        paragraph = etree.Element(w("p"))
        ppr = neighbour.find(w("pPr"))
        if ppr is not None:
            paragraph.append(copy.deepcopy(ppr))
        rpr = next((r.find(w("rPr")) for r in neighbour.iter(w("r")) if r.find(w("rPr")) is not None), None)
        deleted = self.change("del")
        deleted.append(self._run(text, rpr, deleted=True))
        paragraph.append(deleted)
        self._mark(paragraph, "del")
        (neighbour.addprevious if before else neighbour.addnext)(paragraph)


def mark_changes(docx: bytes, old: Record, new: Record, when: dt.date) -> tuple[bytes, Marked]:
    """The newer version's DOCX (`docx`, recorded as `new`) with every difference from `old` tracked."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    root = etree.fromstring(parts["word/document.xml"], safe_parser())
    marker = _Marker(root, when)
    marked = Marked()
    was = {p.source: p for p in old.pieces}
    lists: dict[str, tuple[list[Piece], list[Piece]]] = {}
    for piece in new.pieces:
        in_list = list_of(piece.source)
        if in_list:
            lists.setdefault(in_list[0], ([], []))[1].append(piece)
        elif piece.source in was:
            if normal(was[piece.source].markdown) != normal(piece.markdown):
                marker.reword(piece.number, plain_text(was[piece.source].markdown), plain_text(piece.markdown))
                marked.changed += 1
        else:
            marker.insert_whole(piece.number)
            marked.added += 1
    for piece in old.pieces:
        in_list = list_of(piece.source)
        if in_list:
            lists.setdefault(in_list[0], ([], []))[0].append(piece)
        elif piece.source not in {p.source for p in new.pieces}:
            marked.unplaced += 1
    for before, after in lists.values():
        _mark_list(marker, marked, sorted(before, key=_index), sorted(after, key=_index))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for name, data in parts.items():
        if record_part({name: data}) is not None:
            parts[name] = to_xml(_as_redline(from_xml(data)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data)
    return out.getvalue(), marked


def _index(piece: Piece) -> int:
    return list_of(piece.source)[1]  # type: ignore[index]


def _as_redline(record: Record) -> Record:
    return Record(record.role, record.kind, record.brand, record.language, record.digest, record.pieces,
                  record.lines, purpose="redline")


def _mark_list(marker: _Marker, marked: Marked, before: list[Piece], after: list[Piece]) -> None:
    """One list, its items aligned by text: a changed item is reworded, a new one inserted, a gone one
    shown deleted beside the item it followed."""
    a = [normal(p.markdown) for p in before]
    b = [normal(p.markdown) for p in after]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            marker.reword(after[j1 + k].number, plain_text(before[i1 + k].markdown), plain_text(after[j1 + k].markdown))
            marked.changed += 1
        for j in range(j1 + pairs, j2):
            marker.insert_whole(after[j].number)
            marked.added += 1
        gone = before[i1 + pairs:i2]
        if gone and not after:
            marked.unplaced += len(gone)
            continue
        at_start = j2 == 0
        for piece in (gone if at_start else reversed(gone)):
            beside = after[0] if at_start else after[j2 - 1]
            marker.deleted_paragraph(beside.number, plain_text(piece.markdown), before=at_start)
            marked.removed += 1
