"""The HTML → Word mapping: each supported element becomes the Word structure that means the same.

Supported HTML (anything else stops the build, naming the layout and the element):
  containers  section, header, nav, div, main, article, footer (class "new-page" = page break;
              header.cover = the cover, followed by a section break; nav.toc = a TOC field)
  blocks      h1–h3 (Heading 1–3), p (Normal, or a style by class), ul/ol (nested; real Word
              numbering, each list restarting), table/caption/thead/tbody/tr/th/td (colspan; thead rows
              repeat on every page; the caption names the table), img (inline picture with alt text),
              a p holding a textarea (a box to write in, labelled by the paragraph's words)
  inline      strong/b, em/i, a (hyperlink; #fragment = internal), br, span (span.checkbox = a
              checkbox content control; span.address = text never hyphenated); form fields as content controls named by their `name`:
              input type=radio|checkbox (a checkbox tagged `name=value`), input type=text and
              textarea (a plain-text control tagged `name`), each labelled by its `title`
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph

from pipeline.render.docx import ooxml
from pipeline.render.docx.styles import COMPACT, COMPACT_SCALE
from pipeline.render.errors import RenderError
from pipeline.render.private_folder import own_folder, write_atomically
from pipeline.source.digests import library_version

SECTION_PROPERTIES, TABLE = qn("w:sectPr"), qn("w:tbl")

CONTAINERS = {"section", "header", "nav", "div", "main", "article", "footer", "body"}
HEADINGS = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
PARAGRAPH_CLASSES = {"summary": "Subtitle", "source": "Small Print", "note": "Small Print", "eeo": "Small Print",
                     "confidential": "Small Print", "kicker": "Kicker", "lead": "Lead", "ask": "Question"}
LIST_STYLES = {"ul": "List Bullet", "ol": "List Number"}
ROW_HEIGHTS_MM = {"notes": 8, "tall": 22, "debrief-grid": 14, "fill-in": 7}
TEXT_AREA_MM = 35  # document.css: `p.evidence textarea`, five ruled lines
FIELD_LABEL_SCALE = 0.7  # document.css: `p.evidence` (0.78 em) × `.evidence-label` (0.9 em)
CAPTION_SCALE = 1.08  # document.css: `table.score caption`, of the table's text
PLAIN_HEADS = {"score"}
"""Tables whose header row names the choices of a form (the scorecard's ratings): set in the brand's
primary colour on white with no rules, as the PDF sets them, not on a dark band."""
IMAGE_WIDTH_MM = {"cover": 24, "masthead": 11}
COVER_SHAPES = {"h1": (3.1, 0.0, None), "summary": (1.35, 0.0, 12.0), "confidential": (None, 40.0, None)}
"""document.css's cover: the title's and the summary's size in em of the text, the room above the
note for the hiring team (mm), which a rule heads, and below the summary (mm)."""
COVER_GAP_MM = 18  # brand.css.j2: `.cover .cover-body`'s padding above the title
BAND_PAD_MM = (8, 12)  # brand.css.j2: the cover band's padding below the top margin, and at its foot
MASTHEAD_SCALE = 1.15  # document.css: `.masthead .company`
TABLE_TEXT_PT = {"score": 7.5}  # the scorecard's anchors, small as in the PDF, so the form stays compact
FORM_GAP_MM = 3.5  # document.css: the anchors' padding, right only
FORM_LINE_HEIGHT = 1.2  # document.css: the anchors' line height
STYLE_TYPES = {WD_STYLE_TYPE.PARAGRAPH: "paragraph", WD_STYLE_TYPE.CHARACTER: "character",
               WD_STYLE_TYPE.TABLE: "table", WD_STYLE_TYPE.LIST: "numbering"}
COMPACT_HEADINGS = {"h1": (2.3, 0.0, 0.2), "h2": (1.3, 0.7, 0.35), "h3": (1.1, 1.2, 0.35)}
"""Headings inside the job description: (size, space before, space after) in em, as document.css
sets `.jd` headings; they keep their Heading styles (the outline, the contents) with these on top."""
BOXES = {"question": ("surface", "accent"), "facts": ("surface", "accent"), "band": ("primary", None)}
"""The designed blocks of document.css (a question card, the facts box, the cover's band) in Word's
own terms: the paragraphs inside are shaded with the first colour and ruled on the left with the
second, so they stay editable text (no text boxes)."""
DARK_BOXES = {"band"}  # text on the brand's primary colour is white
BOX_GAP_MM = 3.5
BOXED_HANG = 260  # twips: a bulleted item's text from its bullet, in a box
LABEL_SCALE = 0.82  # document.css: `ul.facts li strong`
KEPT_WHOLE = {"question", "interview-plan", "jd-apply", "jd-pay", "faq", "attribute"}
"""Containers that document.css keeps on one page (`break-inside: avoid`): their paragraphs keep
with the next and their lines together, so Word moves them whole, as the PDF does."""
COLUMN_GAP_MM = 7  # the PDF's column-gap of a two-column list
FIELD_CHARACTERS = 30
"""How much room a text field claims when columns share the width: a name or a date fits."""
INLINE_FORMAT = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic"}
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
HTML_SPACE = " \t\n\f\r"  # HTML collapses only these; a no-break space (U+00A0, U+202F) is text
HTML_SPACE_RUN = re.compile(f"[{HTML_SPACE}]+")


def classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def bookmark_name(anchor: str) -> str:
    return "_Toc_" + re.sub(r"[^A-Za-z0-9]", "_", anchor)[:35]


@dataclass
class _Piece:
    kind: str  # "text", "br", "checkbox", "link" (external), "anchor" (a heading in this document),
    # "open"/"close" (the bounds of content from one field: `data-src`, its source in `href`),
    # "field"/"lines" (a text control, one line or several; its form field name in `href`)
    text: str = ""
    bold: bool = False
    italic: bool = False
    href: str = ""
    address: bool = False  # an e-mail or web address typed as text (span.address): never hyphenated


@dataclass
class BodyWriter:
    """Writes one document body; state is the pending page break and running ids."""

    doc: DocxDocument
    layout: str
    numbering: ooxml.Numbering
    picture: Callable[[str], tuple[bytes, str]]
    palette: dict[str, str]  # the brand's colours by name (primary, accent, text, muted, surface)
    text_width_mm: float
    margins_mm: tuple[float, float, float, float]  # the page's margins: top, right, bottom, left
    text_size: float  # the brand's text size, in points
    pages: dict[str, tuple[int, bool]] | None = None  # the PDF's page of each heading anchor, and if it starts it
    pending_break: bool = False
    page_top: bool = False  # the next paragraph starts a page (a section that starts one)
    at_top: bool = False  # the last paragraph made starts a page
    compact: bool = False  # inside the job description (`.jd`), set denser as in the PDF
    box: tuple[str, str, str | None] | None = None  # the designed block being written (`_box`)
    sheets: list[int] = field(default_factory=list)  # the sections set with a form sheet's margins
    sheet_open: bool = False  # a sheet was written and nothing after it yet
    cover_gap: bool = False  # the next paragraph opens the cover's body, below its band
    section_start: bool = True
    next_id: int = 1
    toc_entries: list[tuple[str, str]] = field(default_factory=list)
    chapters: int | None = None  # the numbering of the chapters the contents list
    chapter_anchors: set[str] = field(default_factory=set)
    kept_rows: set = field(default_factory=set)
    style_ids: dict[tuple[str, str], str | None] = field(default_factory=dict)
    sources: dict[int, str] = field(default_factory=dict)
    """Each `_rpN` bookmark's field (an element's `data-src`): what `merge` maps an edit back to."""

    def fail(self, el, why: str) -> RenderError:
        return RenderError(f"{self.layout}: <{el.tag}> {why} (line {el.sourceline}); "
                           "see pipeline/render/docx/blocks.py for the HTML the DOCX writer supports")

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _style_id(self, name: str, style_type: WD_STYLE_TYPE) -> str | None:
        """The id to write for a style name, from one pass over the document's styles: python-docx
        reads every style twice per lookup. None for the default style, which Word applies unnamed;
        a name the document lacks is left to python-docx, which says so."""
        if not self.style_ids:
            for style in self.doc.styles.element.findall(qn("w:style")):
                named = style.find(qn("w:name"))
                if named is not None:
                    default = style.get(qn("w:default")) in ("1", "true")
                    self.style_ids[(named.get(qn("w:val")), style.get(qn("w:type")))] = (
                        None if default else style.get(qn("w:styleId")))
        key = (BabelFish.ui2internal(name), STYLE_TYPES[style_type])
        if key not in self.style_ids:
            return self.doc.styles.get_style_id(name, style_type)
        return self.style_ids[key]

    # Blocks -------------------------------------------------------------------------------

    def body(self, root) -> None:
        """The body of `root`, the page's parsed HTML (which is read, never changed)."""
        self.blocks(root.find("body"), self.doc, ancestors=())

    def blocks(self, el, container, ancestors: tuple[str, ...]) -> None:
        if (el.text or "").strip():
            raise self.fail(el, "has loose text; wrap it in a <p>")
        for child in el:
            if not isinstance(child.tag, str):
                continue  # comments
            self.block(child, container, ancestors)
            if (child.tail or "").strip():
                raise self.fail(el, "has loose text; wrap it in a <p>")

    def _paragraph(self, container, style: str) -> Paragraph:
        if self.compact:
            style = COMPACT.get(style, style)
        paragraph = container.add_paragraph()
        if self.box is not None and container is self.doc:  # in a cell, the cell is the box
            ooxml.box(paragraph._p.get_or_add_pPr(), *self.box[1:])
        paragraph._p.style = self._style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        self.at_top = self.page_top or (self.pending_break and container is self.doc)
        if self.pending_break and container is self.doc:
            paragraph.paragraph_format.page_break_before = True
            self.pending_break = False
        if self.at_top:  # as CSS drops a margin at a page break, and Word keeps it after a forced one
            paragraph.paragraph_format.space_before = Pt(0)
        if self.cover_gap:
            paragraph.paragraph_format.space_before, self.cover_gap = Mm(COVER_GAP_MM), False
        self.section_start = self.page_top = False
        return paragraph

    def block(self, el, container, ancestors: tuple[str, ...]) -> None:
        tag, cls = el.tag, classes(el)
        if self.sheet_open and container is self.doc:  # more follows the sheet: it ends its section
            self._end_section(next_start=WD_SECTION.NEW_PAGE)
            self.pending_break, self.page_top, self.sheet_open = False, True, False
        if tag in CONTAINERS:
            if "new-page" in cls and not self.section_start:
                self.pending_break = True
            if tag == "nav" and "toc" in cls:
                self.toc(el)
                return
            if "masthead" in cls and container is self.doc:
                self.masthead(el)
                return
            if "band" in cls and "cover" in ancestors and container is self.doc:
                self.band(el, ancestors + tuple(cls))
                return
            self.cover_gap = self.cover_gap or ("cover-body" in cls and container is self.doc)
            compact, self.compact = self.compact, self.compact or "jd" in cls
            box, self.box = self.box, self._box(cls) or self.box
            if self.box is not box and container is self.doc:
                self._apart()
            written = len(self.doc.element.body)
            sheet = "scorecard" in cls and container is self.doc and not self.section_start
            if sheet:  # a sheet of its own, with the narrower top and bottom margins of the PDF's
                self._end_section(next_start=WD_SECTION.NEW_PAGE)
                self.pending_break, self.page_top = False, True
                self.sheets.append(len(self.doc.sections) - 1)
            self.blocks(el, container, ancestors + tuple(cls))
            self.sheet_open = self.sheet_open or sheet  # a sheet that ends the document ends it, no blank page after
            self.compact, self.box = compact, box
            if cls & KEPT_WHOLE and container is self.doc:
                ooxml.keep_whole(self.doc.element.body[written - 1:-1])
            if tag == "header" and "cover" in cls:
                self.doc.add_section(WD_SECTION.NEW_PAGE)
                self.pending_break, self.section_start, self.page_top = False, True, True
        elif tag in HEADINGS:
            anchor = el.get("id")
            if anchor and (self.pages or {}).get(anchor, (0, False))[1] and not self.section_start:
                self.pending_break = True  # the PDF starts a page with this heading: so does the draft
            paragraph = self._paragraph(container, HEADINGS[tag])
            shape = COMPACT_HEADINGS.get(tag) if self.compact else None
            size = self.text_size * COMPACT_SCALE * shape[0] if shape else None
            if shape:
                if not self.at_top:
                    paragraph.paragraph_format.space_before = Pt(size * shape[1])
                paragraph.paragraph_format.space_after = Pt(size * shape[2])
            if tag == "h2" and self.chapters is not None and anchor in self.chapter_anchors:
                ooxml.set_numbering(paragraph, self.chapters, 0)
            if anchor:
                self._bookmark(paragraph, anchor, lambda: self.inline(el, paragraph, size=size))
            else:
                self.inline(el, paragraph, size=size)
            self._on_cover(paragraph, {tag}, ancestors)
        elif tag == "p" and el.find(".//textarea") is not None:
            self.field_box(el, container)
        elif tag == "p":
            style = next((PARAGRAPH_CLASSES[c] for c in sorted(cls) if c in PARAGRAPH_CLASSES), "Normal")
            on_colour = self.box is not None and self.box[0] in DARK_BOXES
            paragraph = self._paragraph(container, style)
            self.inline(el, paragraph, colour="FFFFFF" if on_colour else None)
            self._on_cover(paragraph, cls, ancestors)
        elif tag in LIST_STYLES:
            self.list(el, container, level=0)
        elif tag == "table":
            self.table(el, container, ancestors)
        elif tag == "img":
            paragraph = self._paragraph(container, "Normal")
            width = next((IMAGE_WIDTH_MM[a] for a in ancestors if a in IMAGE_WIDTH_MM), 12)
            self.image(el, paragraph, width)
        else:
            raise self.fail(el, "is not supported by the DOCX writer")

    def _on_cover(self, paragraph: Paragraph, keys: set[str], ancestors: tuple[str, ...]) -> None:
        """The cover's title and summary at the PDF's sizes, its note lower down under a rule."""
        shape = next((COVER_SHAPES[k] for k in sorted(keys) if k in COVER_SHAPES), None)
        if "cover" not in ancestors or shape is None:
            return
        size, above_mm, below_mm = shape
        if below_mm:
            paragraph.paragraph_format.space_after = Mm(below_mm)
        if size:
            for run in paragraph.runs:
                run.font.size = Pt(self.text_size * size)
        if above_mm:
            paragraph.paragraph_format.space_before = Mm(above_mm)
            ooxml.paragraph_rule(paragraph._p.get_or_add_pPr(), "#C9D1DA", 4, side="top", space_pt=8)

    def band(self, el, ancestors: tuple[str, ...]) -> None:
        """The cover's band: one shaded cell across the page's whole width from its top edge (the
        cover section has no top margin, as the PDF's cover page has none), padded as brand.css.j2
        pads it, its text white. A table cell is Word's own box of a given size: no text box."""
        top, right, _, left = self.margins_mm
        table = self.doc.add_table(rows=1, cols=1)
        table._tbl.tblStyle_val = self._style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        ooxml.across_the_page(table, left_mm=left, width_mm=left + self.text_width_mm + right, padding_mm=left)
        ooxml.table_borders(table, self.palette["primary"], ())
        ooxml.table_look(table, header_row=False, header_column=False)
        ooxml.cell_margins(table, left_mm=left, right_mm=right, top_mm=top + BAND_PAD_MM[0], bottom_mm=BAND_PAD_MM[1])
        cell = table.rows[0].cells[0]
        ooxml.shade(cell, self.palette["primary"])
        box, self.box = self.box, self._box({"band"})
        self.blocks(el, cell, ancestors)
        self.box = box
        first = cell.paragraphs[0]._p
        if len(cell.paragraphs) > 1 and not "".join(first.itertext()).strip():
            cell._tc.remove(first)  # the cell's own empty paragraph, before what was written
        for paragraph in cell.paragraphs:  # a name on the cover is never hyphenated
            ooxml.no_hyphenation(paragraph._p.get_or_add_pPr())
        self.section_start = False

    def masthead(self, el) -> None:
        """The logo and the company's name on one line, the name centred on the logo, as the PDF
        sets them (a flex row); one paragraph, so a hiring manager edits the name in place."""
        paragraph = self._paragraph(self.doc, "Normal")
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "img":
                self.image(child, paragraph, IMAGE_WIDTH_MM["masthead"])
                paragraph.add_run("\u2002")
            elif child.tag == "p":
                first = len(paragraph.runs)
                self.inline(child, paragraph, bold=True, colour=self.palette["primary"].lstrip("#").upper(),
                            size=self.text_size * MASTHEAD_SCALE)
                for run in paragraph.runs[first:]:  # raised to the logo's middle
                    ooxml.raise_run(run, (Mm(IMAGE_WIDTH_MM["masthead"]).pt - self.text_size) / 2)
            else:
                raise self.fail(child, "cannot sit in the masthead (a logo and a paragraph)")

    def _bookmark(self, paragraph: Paragraph, anchor: str, fill: Callable[[], None]) -> None:
        number = self._id()
        paragraph._p.append(ooxml.bookmark_start(number, bookmark_name(anchor)))
        fill()
        paragraph._p.append(ooxml.bookmark_end(number))

    def list(self, el, container, level: int) -> None:
        num_id = self.numbering.new_list(el.tag)
        items = [li for li in el if isinstance(li.tag, str)]
        # A two-column list is a section of two columns in the body: `two-col rows-N` with a column
        # break before item N + 1, as the PDF's grid sets it; `two-col flow`, a list the PDF carried
        # over a page, balanced by Word as the PDF's columns are (pdf/pages.py).
        rows = next((int(c[5:]) for c in classes(el) if re.fullmatch(r"rows-\d+", c)), None)
        columns = "two-col" in classes(el) and (rows is not None or "flow" in classes(el)) \
            and level == 0 and container is self.doc
        if columns:
            self._end_section()
        box = self.box
        if "facts" in classes(el):  # a shaded box of labelled facts, one a line, with no bullets
            num_id, self.box = self.numbering.new_list("plain"), self._box({"facts"})
            if container is self.doc:
                self._apart()
        for index, li in enumerate(items):
            if li.tag != "li":
                raise self.fail(li, f"cannot sit directly in <{el.tag}>")
            paragraph = self._paragraph(container, LIST_STYLES[el.tag])
            ooxml.set_numbering(paragraph, num_id, level)
            if self.box is not None and self.box[0] != "facts":
                # Borders are drawn where a paragraph's first line starts: a bullet hung from the
                # box's own edge keeps the box's rule straight.
                paragraph.paragraph_format.left_indent = Twips(BOXED_HANG * (level + 1))
                paragraph.paragraph_format.first_line_indent = Twips(-BOXED_HANG)
            if columns and index == rows:
                ooxml.column_break(paragraph)
            nested = [c for c in li if isinstance(c.tag, str) and c.tag in LIST_STYLES]
            self.inline(li, paragraph, stop_at=set(LIST_STYLES), labels="facts" in classes(el))
            for sub in nested:
                self.list(sub, container, level + 1)
        self.box = box
        if columns:
            self._end_section(columns=2)

    def _box(self, cls: set[str]) -> tuple[str, str, str | None] | None:
        """The designed block a container's class asks for (BOXES): its kind, fill and rule."""
        kind = next((c for c in sorted(cls) if c in BOXES), None)
        if kind is None:
            return None
        fill, rule = BOXES[kind]
        return kind, self.palette[fill], self.palette[rule] if rule else None

    def _apart(self) -> None:
        """A block that follows another block directly gets a gap of its own (document.css's 3.5 mm
        between question cards), or Word would draw the two as one."""
        body = self.doc.element.body
        if len(body) > 1 and body[-2].tag == qn("w:p") and ooxml.boxed(body[-2]):
            box, self.box = self.box, None
            ooxml.collapse(self._paragraph(self.doc, "Normal")._p, Mm(BOX_GAP_MM).pt)
            self.box = box

    def _end_section(self, columns: int = 1, next_start: WD_SECTION = WD_SECTION.CONTINUOUS) -> None:
        """End the body's current section at its last paragraph, set in `columns` columns; what
        follows continues on the same page. (python-docx's add_section would add an empty paragraph,
        a blank line in the layout.)"""
        body = self.doc.element.body
        last = body[-2] if len(body) > 1 else None  # body[-1] is the body's own w:sectPr
        if last is None or last.tag != qn("w:p"):
            last = self._paragraph(self.doc, "Normal")._p
            ooxml.collapse(last)
        ooxml.end_section(last, body.sectPr, columns=columns, gap_mm=COLUMN_GAP_MM, next_start=next_start)

    @staticmethod
    def _follows_table(container) -> bool:
        """Word and LibreOffice join two tables with nothing between them into one (the second's
        rows under the first's borders and widths): a table written next gets a collapsed paragraph
        first, to stay the table the HTML has."""
        parent = container.element.body if isinstance(container, DocxDocument) else container._element
        last = next((c for c in reversed(parent) if c.tag != SECTION_PROPERTIES), None)
        return last is not None and last.tag == TABLE

    def field_box(self, el, container) -> None:
        """A paragraph with a text area: its words as the area's label, then a box to write in, as
        tall as the PDF's. Word draws a box of a fixed height only as a table cell (or a text box),
        so the box is a table of one cell, with no header: a layout table."""
        muted = self.palette["muted"].lstrip("#").upper()
        label = self._paragraph(container, "Normal")
        self.inline(el, label, stop_at={"textarea"}, colour=muted, size=self.text_size * FIELD_LABEL_SCALE)
        label.paragraph_format.keep_with_next = True
        label.paragraph_format.space_after = Pt(1)
        table = container.add_table(rows=1, cols=1)
        table._tbl.tblStyle_val = self._style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        ooxml.full_width(table)
        ooxml.table_borders(table, "#B7C0CA", ooxml.FRAME)
        ooxml.table_look(table, header_row=False, header_column=False)
        row = table.rows[0]
        ooxml.keep_row_together(row)
        row.height, row.height_rule = Mm(TEXT_AREA_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
        paragraph = row.cells[0].paragraphs[0]
        ooxml.no_hyphenation(paragraph._p.get_or_add_pPr())
        self.inline(el, paragraph, stop_at={"span"})
        self.section_start = False

    def table(self, el, container, ancestors: tuple[str, ...]) -> None:
        rows = []
        caption = None
        for part in el:
            if not isinstance(part.tag, str):
                continue
            if part.tag == "caption":
                caption = part
            elif part.tag in ("thead", "tbody", "tfoot"):
                group = [r for r in part if isinstance(r.tag, str)]
                rows += [(r, part.tag == "thead") for r in group]
                if part.tag == "tbody" and len(group) > 1 and len(el.findall("tbody")) > 1:
                    self.kept_rows.update(group[:-1])
            elif part.tag == "tr":
                rows.append((part, False))
            else:
                raise self.fail(part, "cannot sit directly in <table>")
        width = max((sum(int(c.get("colspan", 1)) for c in r if isinstance(c.tag, str)) for r, _ in rows), default=1)
        table_classes = classes(el)
        text_pt = next((TABLE_TEXT_PT[c] for c in sorted(table_classes) if c in TABLE_TEXT_PT), None)
        if caption is not None:  # a paragraph above the table, kept with it, and the table's name
            named = self._paragraph(container, "Normal")
            self.inline(caption, named, bold=True, colour=self.palette["primary"].lstrip("#").upper(),
                        size=text_pt * CAPTION_SCALE if text_pt else None)
            named.paragraph_format.keep_with_next = True
            named.paragraph_format.space_after = Pt(1)
        elif self.pending_break and container is self.doc:
            self._paragraph(container, "Normal")
        elif self._follows_table(container):
            ooxml.collapse(self._paragraph(container, "Normal")._p)
        table = container.add_table(rows=0, cols=width)
        table._tbl.tblStyle_val = self._style_id("Table Grid", WD_STYLE_TYPE.TABLE)
        ooxml.full_width(table)
        plain_head = bool(table_classes & PLAIN_HEADS)
        ooxml.table_borders(table, "#C9D1DA", () if plain_head else ooxml.RULES)
        if text_pt:  # a dense form: padded on the right only, lines as tight as the PDF sets them
            ooxml.cell_margins(table, left_mm=0, right_mm=FORM_GAP_MM)
        cell_format = self._cell_format(text_pt)
        blank_row = None
        for tr, is_head in rows:
            if blank_row is None:
                row = table.add_row()
                blank_row = copy.deepcopy(row._tr)  # every row starts as python-docx's first: one copy is quicker
            else:
                table._tbl.append(copy.deepcopy(blank_row))
                row = table.rows[-1]
            ooxml.keep_row_together(row)
            height = max((ROW_HEIGHTS_MM[c] for c in classes(tr) | table_classes if c in ROW_HEIGHTS_MM), default=None)
            if height and not is_head:
                row.height, row.height_rule = Mm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
            if is_head:
                ooxml.mark_header_row(row)
            column = 0
            cells = row.cells  # python-docx works the row's grid out afresh each time it is asked
            for cell_el in tr:
                if not isinstance(cell_el.tag, str):
                    continue
                if cell_el.tag not in ("th", "td"):
                    raise self.fail(cell_el, "cannot sit directly in <tr>")
                span = int(cell_el.get("colspan", 1))
                cell = cells[column]
                if span > 1:
                    cell = cell.merge(cells[column + span - 1])
                    cells = row.cells
                column += span
                if is_head and not plain_head:
                    ooxml.shade(cell, self.palette["primary"])
                paragraph = cell.paragraphs[0]  # a new cell's one empty paragraph
                paragraph._p.insert(0, copy.deepcopy(cell_format))
                head_colour = self.palette["primary"].lstrip("#").upper() if plain_head else "FFFFFF"
                self.inline(cell_el, paragraph, bold=cell_el.tag == "th",
                            colour=head_colour if is_head else None, size=text_pt)
                if tr in self.kept_rows:  # a row group (tbody) stays on one page, as in the PDF
                    paragraph.paragraph_format.keep_with_next = True
        self._column_widths(table, [r for r, _ in rows], width, self.text_width_mm)
        body_rows = [[c for c in r if isinstance(c.tag, str)] for r, head in rows if not head]
        ooxml.table_look(table, header_row=any(head for _, head in rows),
                         header_column=bool(body_rows) and all(r and r[0].tag == "th" for r in body_rows))
        if caption is not None:
            ooxml.table_caption(table, HTML_SPACE_RUN.sub(" ", caption.text_content()).strip(HTML_SPACE))
        self.section_start = False

    @staticmethod
    def _cell_format(text_pt: float | None):
        """The properties every cell's paragraph of a table starts with, made once for its cells to copy."""
        scratch = Paragraph(OxmlElement("w:p"), None)
        scratch.paragraph_format.space_after = Pt(1)  # cell padding does the spacing
        if text_pt:
            scratch.paragraph_format.line_spacing = Pt(text_pt * FORM_LINE_HEIGHT)
        ooxml.no_hyphenation(scratch._p.get_or_add_pPr())  # the PDF hyphenates no table
        return scratch._p.pPr

    @staticmethod
    def _column_widths(table, rows, width: int, total_mm: float) -> None:
        """Share the text width by how much each column holds, so a 'Length' column stays narrow."""
        lengths: list[list[int]] = [[] for _ in range(width)]
        longest_word = [0] * width
        for tr in rows:
            column = 0
            for cell in (c for c in tr if isinstance(c.tag, str)):
                span = int(cell.get("colspan", 1))
                if span == 1:
                    words = [w for w in HTML_SPACE_RUN.split(cell.text_content()) if w]  # "Lean no" is one
                    fields = len(cell.findall(".//input[@type='text']")) + len(cell.findall(".//textarea"))
                    boxes = len(cell.findall(".//input[@type='radio']")) + len(cell.findall(".//input[@type='checkbox']"))
                    lengths[column].append(len(" ".join(words)) + FIELD_CHARACTERS * fields)
                    longest_word[column] = max([longest_word[column]] + [len(w) + 2 * boxes for w in words])
                column += span
        weights = [min(60.0, max(10.0, longest_word[i] * 3.0, sum(ls) / len(ls) if ls else 10.0))
                   for i, ls in enumerate(lengths)]
        shares = [Mm(total_mm * weight / sum(weights)) for weight in weights]
        for index, share in enumerate(shares):
            table.columns[index].width = share
        for tr in table._tbl.tr_lst:  # each cell the width of the last column it spans, row by row:
            column = 0                 # python-docx's columns each build the whole grid of cells again
            for tc in tr.tc_lst:
                column += tc.grid_span
                tc.width = shares[column - 1]

    def image(self, el, paragraph: Paragraph, width_mm: float) -> None:
        alt = el.get("alt")
        if alt is None:
            raise self.fail(el, 'needs alt text (alt="" marks a decorative image)')
        data, _ = self.picture(el.get("src", ""))
        shape = paragraph.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm))
        ooxml.set_alt_text(shape, alt)

    # Table of contents --------------------------------------------------------------------

    def toc(self, el) -> None:
        heading = el.find("h2")
        paragraph = self._paragraph(self.doc, "TOC Heading")
        paragraph.add_run(heading.text_content().strip() if heading is not None else "Contents")
        links = el.findall(".//li/a")
        for i, link in enumerate(links):
            entry = self._paragraph(self.doc, "TOC 2")
            if i == 0:
                ooxml.begin_toc(entry, "2-2", dirty=self.pages is None)
            anchor = link.get("href", "").lstrip("#")
            hyperlink = OxmlElement("w:hyperlink")
            hyperlink.set(qn("w:anchor"), bookmark_name(anchor))
            hyperlink.set(qn("w:history"), "1")
            entry._p.append(hyperlink)
            run = entry.add_run(f"{i + 1}  {link.text_content().strip()}")
            hyperlink.append(run._r)
            ooxml.add_tab(entry)
            page, _ = (self.pages or {}).get(anchor, (None, False))
            ooxml.add_field(entry, f"PAGEREF {bookmark_name(anchor)} \\h", str(page) if page else "")
            if i == len(links) - 1:
                ooxml.end_field(entry)
            self.toc_entries.append((anchor, link.text_content().strip()))
        self.chapters = self.numbering.new_list("chapter")
        self.chapter_anchors = {anchor for anchor, _ in self.toc_entries}

    # Inline -------------------------------------------------------------------------------

    def _pieces(self, el, bold: bool, italic: bool, stop_at: set[str], out: list[_Piece]) -> None:
        source = el.get("data-src")
        if source:
            out.append(_Piece("open", href=source))
        self._content(el, bold, italic, stop_at, out)
        if source:
            out.append(_Piece("close"))

    def _content(self, el, bold: bool, italic: bool, stop_at: set[str], out: list[_Piece]) -> None:
        if el.text:
            out.append(_Piece("text", el.text, bold, italic))
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag in stop_at:
                pass
            elif child.get("data-src") and child.tag != "span":
                raise self.fail(child, "marks a field (data-src) inline; only a <span> may")
            elif child.tag in INLINE_FORMAT:
                fmt = INLINE_FORMAT[child.tag]
                self._pieces(child, bold or fmt == "bold", italic or fmt == "italic", stop_at, out)
            elif child.tag == "a":
                href = child.get("href", "")
                text = child.text_content()
                if href.startswith("#") and len(href) > 1:
                    out.append(_Piece("anchor", text, bold, italic, href[1:]))
                elif SAFE_LINK.match(href):
                    out.append(_Piece("link", text, bold, italic, href))
                else:
                    out.append(_Piece("text", text, bold, italic))
            elif child.tag == "br":
                out.append(_Piece("br"))
            elif child.tag == "span":
                if "checkbox" in classes(child):
                    out.append(_Piece("checkbox", child.get("aria-label", "")))
                elif "address" in classes(child):
                    out.append(_Piece("text", child.text_content(), bold, italic, address=True))
                elif "kind" in classes(child):  # a label such as "system design", set in capitals
                    out.append(_Piece("text", child.text_content().upper() + " ", True, italic))
                else:
                    self._pieces(child, bold, italic, stop_at, out)
            elif child.tag == "input" and child.get("type") in ("radio", "checkbox") and child.get("name"):
                out.append(_Piece("checkbox", child.get("title", ""), href=f"{child.get('name')}={child.get('value', 'on')}"))
            elif child.tag == "input" and child.get("type", "text") == "text" and child.get("name"):
                out.append(_Piece("field", child.get("title", ""), href=child.get("name")))
            elif child.tag == "textarea" and child.get("name"):
                out.append(_Piece("lines", child.get("title", ""), href=child.get("name")))
            elif child.tag == "time":  # a date for machines to read: Word shows its text
                self._pieces(child, bold, italic, stop_at, out)
            else:
                raise self.fail(child, "is not supported inline by the DOCX writer")
            if child.tail:
                out.append(_Piece("text", child.tail, bold, italic))

    def inline(self, el, paragraph: Paragraph, *, bold: bool = False, stop_at: set[str] = frozenset(),
               colour: str | None = None, size: float | None = None, labels: bool = False) -> None:
        """`labels`: its bold words name what follows (the facts box's DEPARTMENT, TYPE …): small
        muted capitals, as the PDF sets them."""
        pieces: list[_Piece] = []
        self._pieces(el, bold, False, set(stop_at), pieces)
        for piece in pieces:  # collapse white space as HTML does
            piece.text = HTML_SPACE_RUN.sub(" ", piece.text)
        shown = [p for p in pieces if p.kind not in ("open", "close")]
        while shown and shown[0].kind == "text" and not shown[0].text.strip(HTML_SPACE):
            shown.pop(0).text = ""
        if shown and shown[0].kind in ("text", "link", "anchor"):
            shown[0].text = shown[0].text.lstrip(HTML_SPACE)
        if shown and shown[-1].kind in ("text", "link", "anchor"):
            shown[-1].text = shown[-1].text.rstrip(HTML_SPACE)
        opened: list[str] = []
        for piece in pieces:
            if piece.kind == "text" and piece.text:
                if labels and piece.bold:
                    ooxml.add_text_run(paragraph, piece.text, italic=piece.italic, caps=True,
                                       colour=self.palette["muted"].lstrip("#").upper(),
                                       size=Pt(self.text_size * (COMPACT_SCALE if self.compact else 1) * LABEL_SCALE))
                else:
                    ooxml.add_text_run(paragraph, piece.text, bold=piece.bold, italic=piece.italic, colour=colour,
                                       size=Pt(size) if size else None, unhyphenated=piece.address)
            elif piece.kind == "link":
                ooxml.add_hyperlink(paragraph, piece.href, piece.text, bold=piece.bold, italic=piece.italic)
            elif piece.kind == "anchor":
                ooxml.add_internal_link(paragraph, bookmark_name(piece.href), piece.text,
                                        bold=piece.bold, italic=piece.italic)
            elif piece.kind == "br":
                paragraph.add_run().add_break()
            elif piece.kind == "checkbox":
                ooxml.add_checkbox(paragraph, self._id(), piece.text, piece.href or ooxml.CHECKBOX_TAG)
                paragraph.add_run("\u00a0" if piece.href else " ")  # a choice stays on the line of its label
            elif piece.kind in ("field", "lines"):
                ooxml.add_text_field(paragraph, self._id(), piece.text, piece.href, multiline=piece.kind == "lines")
            elif piece.kind == "open":
                number = self._id()
                self.sources[number] = piece.href
                opened.append(str(number))
                paragraph._p.append(ooxml.bookmark_start(number, f"_rp{number}"))
            elif piece.kind == "close":
                paragraph._p.append(ooxml.bookmark_end(int(opened.pop())))


def picture_loader(layouts: Path) -> Callable[[str], tuple[bytes, str]]:
    """Images come only from inside the layouts folder; SVG is rasterised (Word takes no SVG here)."""

    def load(src: str) -> tuple[bytes, str]:
        path = (layouts / src).resolve()
        if not path.is_relative_to(layouts.resolve()) or not path.is_file():
            raise RenderError(f"image {src!r} is not a file inside {layouts}")
        if path.suffix.lower() == ".svg":
            return svg_to_png(path.read_bytes()), "image/png"
        return path.read_bytes(), "image/png"

    return load


SVG_WIDTH = 384


@lru_cache(maxsize=16)
def svg_to_png(svg: bytes) -> bytes:
    """Rasterise once per SVG: keyed by the file's bytes (and cairosvg's release), so an edited logo
    is redrawn, and kept in this user's folder, so a process that renders one document (a one-role
    rebuild) does not load cairo to draw a logo it drew before."""
    kept = own_folder("images", "png") / f"{hashlib.sha256(svg).hexdigest()}-{library_version('cairosvg')}-{SVG_WIDTH}.png"
    try:
        return kept.read_bytes()
    except OSError:
        pass
    from pipeline.render.tuning.native_libraries import found_from_the_loader_cache

    with found_from_the_loader_cache():
        import cairosvg  # loads cairo through cairocffi

    png = cairosvg.svg2png(bytestring=svg, output_width=SVG_WIDTH)
    try:
        write_atomically(kept, png)
    except OSError:  # a full or read-only disk costs the next process a redraw, nothing else
        pass
    return png
