"""Reading a built DOCX back three ways (raw OOXML, python-docx, pandoc) and the HTML it was made from.

The DOCX writer promises to say in Word what the HTML says for the PDF. To check that promise the
tests reduce each side to the same outline: a list of ("h1".."h3", text), ("li", text) and
("cell", text) entries in reading order, with white space collapsed. The table of contents is
left out of the HTML outline because the writer maps `nav.toc` to a Word TOC field on purpose
(its entries are checked separately).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml import html as lxml_html
from openxml_audit import FileFormat, OpenXmlValidator

REPO = Path(__file__).resolve().parent.parent
ROLES = sorted(p.stem for p in (REPO / "content" / "roles").glob("*.yaml"))
BRANDS = ("default", "harbor")
KINDS = ("job-description", "hiring-guide")
DOCS = [(b, r, k) for b in BRANDS for r in ROLES for k in KINDS]
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def doc_id(doc: tuple[str, str, str]) -> str:
    return "/".join(doc)


def docx_path(out: Path, brand: str, role: str, kind: str) -> Path:
    return out / brand / role / f"{role}-{kind}.docx"


def snapshot_sources(into: Path) -> tuple[Path, Path]:
    """A private copy of content/ and layouts/, so that a build and the HTML it is compared with
    read the same files even while someone edits the working tree."""
    content, layouts = into / "content", into / "layouts"
    shutil.copytree(REPO / "content", content)
    shutil.copytree(REPO / "layouts", layouts)
    return content, layouts


def content_date(role) -> dt.date:
    """The date a role's documents carry: when it was last reviewed, else its salary data's date."""
    return role.reviewed or role.compensation.source.as_of


NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "v": "urn:schemas-microsoft-com:vml",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}

CHECKBOX_GLYPHS = "\u2610\u2612"
HEADING_TAGS = ("h1", "h2", "h3")


def norm(text: str) -> str:
    """Collapse white space and drop checkbox glyphs, which only one side shows as text."""
    text = re.sub(f"[{CHECKBOX_GLYPHS}]", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Entry:
    kind: str  # "h1", "h2", "h3", "li", "cell"
    text: str

    def __repr__(self) -> str:  # short diffs in assertion messages
        return f"{self.kind}:{self.text[:60]!r}"


# HTML ---------------------------------------------------------------------------------------

def _own_text(el, skip: set[str]) -> str:
    """The text of `el` without the text of descendants whose tag is in `skip` (nested lists)."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "br":
            parts.append(" ")
        elif isinstance(child.tag, str) and child.tag not in skip:
            parts.append(_own_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def text_of(el) -> str:
    """Like lxml's text_content(), but a <br> separates words as it does on the page."""
    return norm(_own_text(el, set()))


def html_outline(html: str) -> list[Entry]:
    root = lxml_html.document_fromstring(html)
    out: list[Entry] = []

    def walk(el) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            if tag == "nav" and "toc" in (child.get("class") or "").split():
                continue
            if tag in HEADING_TAGS:
                out.append(Entry(tag, text_of(child)))
            elif tag == "li":
                out.append(Entry("li", norm(_own_text(child, {"ul", "ol"}))))
                for sub in child:
                    if isinstance(sub.tag, str) and sub.tag in ("ul", "ol"):
                        walk(sub)
            elif tag in ("th", "td"):
                out.append(Entry("cell", text_of(child)))
            elif tag == "p" and child.find(".//textarea") is not None:
                out.append(Entry("cell", ""))  # a box to write in: a table of one cell in Word
            elif tag == "div" and "band" in (child.get("class") or "").split():
                out.append(Entry("cell", text_of(child)))  # the cover's band: one shaded cell in Word
            else:
                walk(child)

    walk(root.find("body"))
    return out


def html_toc_titles(html: str) -> list[str]:
    root = lxml_html.document_fromstring(html)
    return [text_of(a) for a in root.xpath("//nav[contains(@class, 'toc')]//li/a")]


def html_chapter_titles(html: str) -> list[str]:
    root = lxml_html.document_fromstring(html)
    return [text_of(h) for h in root.xpath("//section[contains(concat(' ', @class, ' '), ' chapter ')]/h2")]


# python-docx --------------------------------------------------------------------------------

_BREAKS = {qn("w:br"), qn("w:cr"), qn("w:tab")}


def _paragraph_text(p_element) -> str:
    """Every w:t of a paragraph, including those inside hyperlinks and content controls; a line
    break or tab counts as a space."""
    return "".join(" " if e.tag in _BREAKS else (e.text or "")
                   for e in p_element.iter(qn("w:t"), *_BREAKS))


def docx_outline(path: Path) -> list[Entry]:
    doc = Document(str(path))
    out: list[Entry] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            style = block.style.name if block.style is not None else ""
            match = re.fullmatch(r"Heading ([1-3])", style)
            if match:
                out.append(Entry(f"h{match.group(1)}", norm(_paragraph_text(block._p))))
            elif block._p.pPr is not None and block._p.pPr.numPr is not None:
                out.append(Entry("li", norm(_paragraph_text(block._p))))
        elif isinstance(block, Table):
            for tr in block._tbl.tr_lst:
                for tc in tr.tc_lst:
                    text = " ".join(_paragraph_text(p) for p in tc.iter(qn("w:p")))
                    out.append(Entry("cell", norm(text)))
    return out


# pandoc -------------------------------------------------------------------------------------

def stringify(node) -> str:
    """Plain text of a pandoc JSON node (inline or block list), like pandoc's own `stringify`."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Link":
        return stringify(content[1])
    if kind == "Image":  # its alt text is no text on the page (python-docx and the HTML outline skip it too)
        return ""
    if kind in ("Span", "Div"):
        return stringify(content[1])
    if kind == "Quoted":
        mark = "\u201c\u201d" if content[0]["t"] == "DoubleQuote" else "\u2018\u2019"
        return mark[0] + stringify(content[1]) + mark[1]
    if kind in ("Code",):
        return content[1]
    if kind in ("Cite",):
        return stringify(content[1])
    if kind in ("Plain", "Para", "Strong", "Emph", "Underline", "Strikeout", "SmallCaps",
                "Superscript", "Subscript"):
        return stringify(content)
    if kind == "LineBlock":
        return " ".join(stringify(line) for line in content)
    return ""


def pandoc_outline(ast: dict) -> list[Entry]:
    out: list[Entry] = []

    def cells_of_rows(rows) -> None:
        for _attr, cells in rows:
            for cell in cells:
                out.append(Entry("cell", norm(" ".join(stringify(b) for b in cell[4]))))

    def blocks(items) -> None:
        for block in items:
            kind, content = block.get("t"), block.get("c")
            if kind == "Header":
                level, (_ident, classes_, _), inlines = content
                if "TOC-Heading" in classes_:
                    continue
                if level <= 3:
                    out.append(Entry(f"h{level}", norm(stringify(inlines))))
            elif kind in ("BulletList", "OrderedList"):
                items_ = content if kind == "BulletList" else content[1]
                for item in items_:
                    own = [b for b in item if b.get("t") not in ("BulletList", "OrderedList")]
                    out.append(Entry("li", norm(" ".join(stringify(b) for b in own))))
                    blocks([b for b in item if b.get("t") in ("BulletList", "OrderedList")])
            elif kind == "Table":
                _attr, _caption, _specs, head, bodies, foot = content
                cells_of_rows(head[1])
                for body in bodies:
                    cells_of_rows(body[2])
                    cells_of_rows(body[3])
                cells_of_rows(foot[1])
            elif kind == "Div":
                blocks(content[1])
            elif kind == "BlockQuote":
                blocks(content)

    blocks(ast["blocks"])
    return out


# Raw OOXML ----------------------------------------------------------------------------------

SCHEMA_VERSION = FileFormat.OFFICE_2010
"""The oldest Word our drafts need (its content-control checkboxes, `w14`), so valid here is valid
for Word 2010 and every later one."""
_validator = OpenXmlValidator(file_format=SCHEMA_VERSION, max_errors=0)


def ooxml_problems(path: Path) -> list[str]:
    """What openxml-audit (a port of the Open XML SDK's validator: ECMA-376 schemas, package and
    semantic checks, and the findings that make Word repair a file) finds wrong with a DOCX."""
    return [f"{e.part_uri} {e.path}: {e.description}" for e in _validator.validate(path).errors]


class Package:
    """The parts of a DOCX as parsed XML, by name inside the zip."""

    def __init__(self, source: Path | bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
            self.infos = z.infolist()
            self.raw = {i.filename: z.read(i.filename) for i in self.infos}

    def xml(self, name: str):
        return etree.fromstring(self.raw[name])

    @property
    def xml_parts(self) -> list[str]:
        return [n for n in self.raw if n.endswith(".xml") or n.endswith(".rels")]

    def parts_under(self, prefix: str) -> list[str]:
        return sorted(n for n in self.raw if n.startswith(prefix) and n.endswith(".xml"))

    @property
    def document(self):
        return self.xml("word/document.xml")

    def headers(self) -> list[str]:
        return self.parts_under("word/header")

    def footers(self) -> list[str]:
        return self.parts_under("word/footer")

    def relationships(self, part: str) -> dict[str, str]:
        folder, name = part.rsplit("/", 1)
        rels = self.xml(f"{folder}/_rels/{name}.rels")
        return {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}


def instructions(element) -> list[str]:
    """Field instructions (`PAGE`, `TOC \\o …`) under `element`, white space collapsed, in order."""
    return [" ".join((t.text or "").split()) for t in element.iter(qn("w:instrText"))]


def toc_result_paragraphs(document) -> list:
    """The paragraphs of the TOC field, from the one that opens it to the one that ends it; the
    writer puts one entry in each."""
    body = document.find("w:body", NS)
    inside, found = False, []
    for p in body.iter(qn("w:p")):
        texts = instructions(p)
        if any(t.startswith("TOC ") for t in texts):
            inside = True
        if inside:
            found.append(p)
            # the TOC's own end is the last fldChar end of the last entry paragraph
            chars = [c.get(qn("w:fldCharType")) for c in p.iter(qn("w:fldChar"))]
            if chars.count("end") > chars.count("begin"):
                break
    return found
