"""Editing a DOCX draft the ways its readers do, for the merge tests.

`Edits` changes a draft's WordprocessingML as Word writes it: direct edits retype a paragraph's runs
(the bookmarks around them stay, as Word keeps a bookmark whose text is retyped); a new paragraph
typed after another copies its properties but not its bookmarks (Enter at the end of a paragraph);
tracked changes are `w:ins`/`w:del` with an id, author and date, a deleted paragraph's mark carrying
its own `w:del`; a comment is a `comments.xml` part, related and typed as Word relates it, with its
range and its reference run. `libreoffice_resave` saves a DOCX through LibreOffice, as a second
editor would.
"""

from __future__ import annotations

import copy
import io
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


class Edits:
    """A draft open for editing; `save` writes the edited package."""

    def __init__(self, source: Path) -> None:
        with zipfile.ZipFile(source) as package:
            self.parts = {name: package.read(name) for name in package.namelist()}
        self.root = etree.fromstring(self.parts["word/document.xml"])
        self.body = self.root.find(w("body"))
        self.next_id = 9000
        self.comments: list[tuple[str, str, str, str]] = []

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def paragraph(self, containing: str):
        found = [p for p in self.body.iter(w("p")) if containing in text_of(p)]
        assert len(found) == 1, f"{len(found)} paragraphs contain {containing!r}"
        return found[0]

    # Direct edits -------------------------------------------------------------------------

    def retype(self, containing: str, new: str, old: str | None = None) -> None:
        """Type `new` over `old` (default: the paragraph's whole text): the run where `old` starts takes
        the new text, the rest of `old` goes from the runs it spanned, every other run is untouched."""
        p = self.paragraph(containing)
        texts = list(p.iter(w("t")))
        whole = "".join(t.text or "" for t in texts)
        old = whole if old is None else old
        start = whole.index(old)
        end = start + len(old)
        offset = 0
        placed = False
        for t in texts:
            text = t.text or ""
            lo, hi = offset, offset + len(text)
            offset = hi
            if hi <= start and not (start == lo == hi) or lo >= end and placed:
                continue
            keep_before = text[:max(0, start - lo)]
            keep_after = text[max(0, end - lo):] if end < hi else ""
            t.text = keep_before + ("" if placed else new) + keep_after
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            placed = True

    def type_after(self, containing: str, new: str, *, plain: bool = False) -> None:
        """Enter at the end of a paragraph, then typing: a paragraph like it, without its bookmarks
        (`plain`: in the Normal style, as Enter after a heading gives)."""
        p = self.paragraph(containing)
        added = self._like(p, new)
        if plain:
            ppr = added.find(w("pPr"))
            for name in ("pStyle", "numPr"):
                for el in (ppr.findall(w(name)) if ppr is not None else []):
                    ppr.remove(el)
        p.addnext(added)

    def _like(self, p, new: str):
        added = copy.deepcopy(p)
        for el in list(added):
            if el.tag != w("pPr"):
                added.remove(el)
        run = etree.SubElement(added, w("r"))
        t = etree.SubElement(run, w("t"))
        t.text = new
        return added

    def type_at_end(self, containing: str, text: str) -> None:
        """Typing after a paragraph's last character: Word puts the text after the bookmark's end."""
        p = self.paragraph(containing)
        run = etree.SubElement(p, w("r"))
        t = etree.SubElement(run, w("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def type_at_start(self, containing: str, text: str) -> None:
        """Typing before a paragraph's first character: before the bookmark's start."""
        p = self.paragraph(containing)
        run = etree.Element(w("r"))
        t = etree.SubElement(run, w("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        ppr = p.find(w("pPr"))
        if ppr is not None:
            ppr.addnext(run)
        else:
            p.insert(0, run)

    def split(self, containing: str, at: str) -> None:
        """Enter typed inside a paragraph, before `at`: the paragraph's bookmark now ends in the new
        paragraph, as Word leaves a bookmark that spanned the place."""
        p = self.paragraph(containing)
        texts = list(p.iter(w("t")))
        owner = next(t for t in texts if at in (t.text or ""))
        head, tail = owner.text.split(at, 1)
        owner.text = head.rstrip()
        new = copy.deepcopy(p)
        for el in list(new):
            if el.tag != w("pPr"):
                new.remove(el)
        run = etree.SubElement(new, w("r"))
        etree.SubElement(run, w("t")).text = at + tail
        ends = [el for el in p if el.tag == w("bookmarkEnd")]
        if ends:
            new.append(ends[-1])
        p.addnext(new)

    def move_after(self, containing: str, after: str) -> None:
        """Cut a whole paragraph (its bookmarks go with it) and paste it after another."""
        p = self.paragraph(containing)
        target = self.paragraph(after)
        p.getparent().remove(p)
        target.addnext(p)

    def delete(self, containing: str) -> None:
        p = self.paragraph(containing)
        p.getparent().remove(p)

    # Tracked changes ----------------------------------------------------------------------

    def _change(self, kind: str, author: str, date: str):
        el = etree.Element(w(kind))
        el.set(w("id"), self._id())
        el.set(w("author"), author)
        el.set(w("date"), date)
        return el

    def track_replace(self, containing: str, new: str, author: str, date: str, old: str | None = None) -> None:
        """Select text (default: the whole paragraph) and type over it with Track Changes on; `old`
        must be whole runs, as a piece of content is."""
        p = self.paragraph(containing)
        runs = [r for r in p if r.tag == w("r") and r.find(w("t")) is not None]
        if old is not None:
            for first in range(len(runs)):
                for last in range(first, len(runs)):
                    if "".join(text_of(r) for r in runs[first:last + 1]) == old:
                        runs = runs[first:last + 1]
                        break
                else:
                    continue
                break
            assert "".join(text_of(r) for r in runs) == old, f"{old!r} is not whole runs"
        deleted = self._change("del", author, date)
        runs[0].addprevious(deleted)
        rpr = runs[0].find(w("rPr"))
        for r in runs:
            deleted.append(r)
            for t in r.findall(w("t")):
                t.tag = w("delText")
        inserted = self._change("ins", author, date)
        run = etree.SubElement(inserted, w("r"))
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        etree.SubElement(run, w("t")).text = new
        deleted.addnext(inserted)

    def track_type_after(self, containing: str, new: str, author: str, date: str) -> None:
        """Enter and typing with Track Changes on: the new paragraph's mark and its text are insertions."""
        p = self.paragraph(containing)
        added = copy.deepcopy(p)
        for el in list(added):
            if el.tag != w("pPr"):
                added.remove(el)
        ppr = added.find(w("pPr"))
        if ppr is None:
            ppr = etree.SubElement(added, w("pPr"))
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._change("ins", author, date))
        inserted = self._change("ins", author, date)
        run = etree.SubElement(inserted, w("r"))
        etree.SubElement(run, w("t")).text = new
        added.append(inserted)
        p.addnext(added)

    def track_delete(self, containing: str, author: str, date: str) -> None:
        """Select a whole paragraph and delete it with Track Changes on."""
        p = self.paragraph(containing)
        deleted = self._change("del", author, date)
        runs = [r for r in p if r.tag == w("r")]
        runs[0].addprevious(deleted)
        for r in runs:
            deleted.append(r)
            for t in r.findall(w("t")):
                t.tag = w("delText")
        ppr = p.find(w("pPr"))
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._change("del", author, date))

    # Comments -----------------------------------------------------------------------------

    def comment(self, containing: str, said: str, author: str, date: str) -> None:
        p = self.paragraph(containing)
        cid = str(len(self.comments))
        runs = [r for r in p if r.tag == w("r")]
        start = etree.Element(w("commentRangeStart"))
        start.set(w("id"), cid)
        end = etree.Element(w("commentRangeEnd"))
        end.set(w("id"), cid)
        runs[0].addprevious(start)
        runs[-1].addnext(end)
        reference = etree.Element(w("r"))
        etree.SubElement(reference, w("commentReference")).set(w("id"), cid)
        end.addnext(reference)
        self.comments.append((cid, said, author, date))

    # Saving -------------------------------------------------------------------------------

    def save(self, target: Path) -> Path:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if self.comments:
            parts["word/comments.xml"] = self._comments_xml()
            rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
            rel = etree.SubElement(rels, f"{{{PKG_RELS}}}Relationship")
            rel.set("Id", "rIdComments1")
            rel.set("Type", COMMENTS_TYPE)
            rel.set("Target", "comments.xml")
            parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8")
            types = etree.fromstring(parts["[Content_Types].xml"])
            override = etree.SubElement(types, f"{{{CT}}}Override")
            override.set("PartName", "/word/comments.xml")
            override.set("ContentType", COMMENTS_CT)
            parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for name in ["[Content_Types].xml"] + [n for n in parts if n != "[Content_Types].xml"]:
                package.writestr(name, parts[name])
        target.write_bytes(out.getvalue())
        return target

    def _comments_xml(self) -> bytes:
        root = etree.Element(w("comments"), nsmap={"w": W})
        for cid, said, author, date in self.comments:
            comment = etree.SubElement(root, w("comment"))
            comment.set(w("id"), cid)
            comment.set(w("author"), author)
            comment.set(w("date"), date)
            comment.set(w("initials"), "".join(part[0] for part in author.split()))
            run = etree.SubElement(etree.SubElement(comment, w("p")), w("r"))
            etree.SubElement(run, w("t")).text = said
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def libreoffice_resave(source: Path, folder: Path) -> Path:
    """The DOCX as LibreOffice saves it back (Word 2007–365 format), in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / ".profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    saved = folder / source.name
    assert saved.is_file(), f"LibreOffice wrote no {saved}"
    return saved
