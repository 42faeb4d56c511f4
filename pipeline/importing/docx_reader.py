"""Reading a `.docx` posting into neutral blocks with python-docx, after the zip has been bounded.

python-docx parses the package's XML without resolving entities or touching the network, and it
loads no external relationship (a linked image, an attached template, a hyperlink's target): those
stay addresses, which are listed in the report and never fetched. A macro project is never run; a
macro-enabled document is refused. The zip is checked first, from its directory alone, so a
document that would unpack to more than MAX_UNZIPPED is refused before anything is inflated.
"""

from __future__ import annotations

import io
import re

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph as DocxParagraph

from pipeline.importing.blocks import Block, Document, Heading, ListBlock, Paragraph, nest
from pipeline.importing.intake import ReadError
from pipeline.importing.text import Inline
from pipeline.render.docx.record import record_part
from pipeline.render.docx.untrusted import PackageError, check_package, members

_HEADING_STYLE = re.compile(r"^heading (\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list(?: (?:bullet|number|paragraph|continue))?(?: (\d))?$", re.IGNORECASE)


def _check_zip(raw: bytes) -> list[str]:
    try:
        notes = check_package(raw)
        written = record_part(members(raw))
    except PackageError as err:
        raise ReadError(str(err)) from None
    if written is not None:
        raise ReadError("rolepack wrote this document (a draft of a role): importing it would make a new role "
                        "from the printed text and lose what the role says beyond it; bring its edits back "
                        "with `rolepack merge FILE` instead")
    return notes


def _as_accepted(body) -> str | None:
    """The text as it reads with every tracked change accepted, and content controls opened, in place:
    python-docx reads neither `w:ins` nor `w:sdt`, so a reviewer's insertions would vanish and their
    deletions stay. Returns what was done, for the report (None when there was nothing to do)."""
    inserted, deleted, authors = 0, 0, set()
    for tag in ("w:del", "w:moveFrom"):
        for el in body.xpath(f".//{tag}[not(parent::w:rPr)]"):
            deleted += 1
            authors.add(el.get(qn("w:author")) or "")
            el.getparent().remove(el)
    for p in body.xpath(".//w:p[w:pPr/w:rPr/w:del]"):
        if not "".join(p.xpath(".//w:t/text()")).strip():
            p.getparent().remove(p)  # a paragraph deleted whole: its mark went with its text
    for tag in ("w:ins", "w:moveTo"):
        for el in body.xpath(f".//{tag}[not(parent::w:rPr)]"):
            inserted += 1
            authors.add(el.get(qn("w:author")) or "")
            _unwrap(el)
    controls = body.xpath(".//w:sdt")
    for sdt in reversed(controls):  # innermost first
        content = sdt.find(qn("w:sdtContent"))
        if content is not None:
            _unwrap(content)
        _unwrap(sdt, drop=qn("w:sdtPr"))
    if not (inserted or deleted):
        return None
    by = ", ".join(sorted(a for a in authors if a)) or "an unnamed reviewer"
    return (f"it carries tracked changes by {by}: {inserted} insertion(s) kept and {deleted} deletion(s) "
            "left out, as if all were accepted; check the role reads as intended")


def _unwrap(el, drop: str | None = None) -> None:
    """Put an element's children in its place (its properties element `drop` left out)."""
    parent, index = el.getparent(), el.getparent().index(el)
    for offset, child in enumerate([c for c in el if c.tag != drop and c.tag != qn("w:sdtEndPr")]):
        parent.insert(index + offset, child)
    parent.remove(el)


def _inline(paragraph: DocxParagraph) -> str:
    out = Inline()
    for part in paragraph.iter_inner_content():
        runs, href = (part.runs, part.address or None) if isinstance(part, Hyperlink) else ([part], None)
        for run in runs:
            style = run.style.name if run.style is not None else ""
            out.add(run.text, bold=bool(run.bold) or style == "Strong", italic=bool(run.italic) or style == "Emphasis",
                    href=href)
    return out.text()


def _outline_level(paragraph: DocxParagraph) -> int | None:
    values = paragraph._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    return int(values[0]) + 1 if values and values[0].isdigit() and int(values[0]) < 9 else None


def _list_depth(paragraph: DocxParagraph, style: str) -> int | None:
    """How deep a list paragraph sits (0 at the top), from its numbering or its list style; None if not a list."""
    levels = paragraph._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
    if paragraph._p.xpath("./w:pPr/w:numPr/w:numId"):
        return int(levels[0]) if levels and levels[0].isdigit() else 0
    if match := _LIST_STYLE.match(style):
        return int(match[1]) - 1 if match[1] else 0
    return None


def _table(table: Table) -> list[Block]:
    blocks: list[Block] = []
    for row in table.rows:
        cells = [cell.text.strip() for i, cell in enumerate(row.cells) if i == 0 or cell._tc is not row.cells[i - 1]._tc]
        cells = [c for c in cells if c]
        if cells:
            blocks.append(Paragraph(": ".join(cells) if len(cells) == 2 else " | ".join(cells)))
    return blocks


def _blocks(document: DocxDocument) -> list[Block]:
    blocks: list[Block] = []
    items: list[tuple[int, str]] = []
    ordered = False
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            blocks += _table(part)
            continue
        style = part.style.name if part.style is not None else ""
        heading = _HEADING_STYLE.match(style)
        level = 1 if style == "Title" else int(heading[1]) if heading else _outline_level(part)
        depth = None if level else _list_depth(part, style)  # a numbered heading ("2. Requirements") heads
        if depth is not None:
            ordered = ordered or (not items and "Number" in style)  # "List Number": steps in order
            items.append((depth, _inline(part)))
            continue
        if items:
            blocks.append(ListBlock(nest(items), ordered))
            items, ordered = [], False
        blocks.append(Heading(level, part.text) if level else Paragraph(_inline(part)))
    if items:
        blocks.append(ListBlock(nest(items), ordered))
    return blocks


def _external_targets(document: DocxDocument) -> list[str]:
    """What the package points outside itself at, hyperlinks aside (those are kept as links)."""
    return sorted({rel.target_ref for part in document.part.package.iter_parts() for rel in part.rels.values()
                   if rel.is_external and not rel.reltype.endswith("/hyperlink")})


def read_docx(raw: bytes) -> Document:
    """A `.docx` posting; its core title and language, or else its default text language, are declared."""
    notes = _check_zip(raw)
    try:
        document = docx.Document(io.BytesIO(raw))
        tracked = _as_accepted(document.element.body)
        blocks = _blocks(document)
        properties = document.core_properties
        languages = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
        external = _external_targets(document)
    except Exception as err:  # any failure inside an untrusted package is the file's, not ours
        kind = "macro-enabled" if "macroEnabled" in str(err) else "damaged or not a Word document"
        raise ReadError(f"it cannot be read as a Word document ({kind}: {err})") from None
    if tracked:
        notes.append(tracked)
    if external:
        shown = ", ".join(external[:3]) + (f" and {len(external) - 3} more" if len(external) > 3 else "")
        notes.append(f"it refers to {len(external)} outside address(es) ({shown}); none was fetched")
    return Document(tuple(blocks), title=properties.title or None,
                    language=properties.language or (languages[0] if languages else None), notes=tuple(notes))
