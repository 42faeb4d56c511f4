"""The Word documents of a real build, read back and held against the HTML the PDF is made from.

One build makes the DOCX of the roles in BUILT_ROLES (every role in `make long`) in both brands and
kinds, from a private copy of content/ and layouts/; the HTML is rendered from the same copy exactly
as the build renders it. Each test states one promise the DOCX writer makes, for every document it
applies to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pypandoc
import pytest
from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from conftest import REPO, rolepack
from docx_support import (BRANDS, DOCS, KINDS, NS, ROLES, ZIP_EPOCH, Package, content_date, doc_id,
                          docx_outline, docx_path, html_chapter_titles, html_outline, html_toc_titles,
                          instructions, norm, ooxml_problems, pandoc_outline, snapshot_sources, text_of,
                          toc_result_paragraphs)
from pipeline import cli
from pipeline.check.brands import font_catalogue, load_brand
from pipeline.check.catalogue import load_catalogue
from pipeline.export.run import issued_date
from pipeline.render.pdf.fontconfig import BUNDLED_FONTS
from pipeline.render.html import Document as HtmlDocument
from pipeline.render.html import render_html

# The shipped content carries real dates (reviewed, salary data), so it is checked against the real clock.
TODAY = dt.date.today()

LONG = bool(os.environ.get("ROLEPACK_LONG"))
PDF_ROLES = ("backend-engineer", "qa-engineer") if LONG else ("backend-engineer",)
"""The roles whose drafts' contents pages are compared with their PDFs' (and built as PDFs for it)."""
BUILT_ROLES = tuple(ROLES) if LONG else (*PDF_ROLES, "engineering-manager")
"""The roles whose drafts are built and read back, in both brands and kinds: every one in `make
long`; in `make test` two, the backend engineer (the contents page, every designed element) and a
manager's role, whose interview plan differs."""
DOCS = [d for d in DOCS if d[1] in BUILT_ROLES]
GUIDES = [d for d in DOCS if d[2] == "hiring-guide"]
LO_ROLES = tuple(ROLES) if LONG else PDF_ROLES[:1]
"""The roles LibreOffice opens as a second editor would, and lays out against the PDF: every one
in `make long`; in `make test` the backend engineer, whose hiring guide has the contents page and
the designed elements, in both brands and kinds (a LibreOffice conversion is seconds each)."""
ROLE_OPTIONS = tuple(a for r in BUILT_ROLES for a in ("--role", r))
LO_DOCS = [d for d in DOCS if d[1] in LO_ROLES]
PAGE_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
BRAND_PAGE = {"default": "A4", "harbor": "Letter"}
BRAND_FONTS = {"default": ("Inter", "Inter"), "harbor": ("Lato", "Roboto Slab")}
TEXT_BOXES = {f"{{{NS['w']}}}txbxContent", f"{{{NS['v']}}}textbox", f"{{{NS['wps']}}}txbx"}
W14_CHECKBOX = f"{{{NS['w14']}}}checkbox"
W14_VAL = f"{{{NS['w14']}}}val"

each_doc = pytest.mark.parametrize("doc", DOCS, ids=doc_id)
each_guide = pytest.mark.parametrize("doc", GUIDES, ids=doc_id)


def _quiet_build(*args: str, env: dict[str, str | None] | None = None):
    """`rolepack build …` in-process with the fixed today, and SOURCE_DATE_EPOCH only when given."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli.commands, "_today", lambda: TODAY)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        for key, value in (env or {}).items():
            mp.setenv(key, value)
        return rolepack("build", *args)


@dataclass
class Built:
    """One build of every DOCX, the HTML each was made from, and readers cached per document."""

    root: Path
    content: Path
    layouts: Path
    out: Path
    stdout: str
    catalogue: object
    brands: dict
    html: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)

    def path(self, doc) -> Path:
        return docx_path(self.out, *doc)

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def package(self, doc) -> Package:
        return self._cached(("package", doc), lambda: Package(self.path(doc)))

    def docx(self, doc):
        return self._cached(("docx", doc), lambda: Document(str(self.path(doc))))

    def pandoc(self, doc) -> dict:
        return self._cached(("pandoc", doc), lambda: json.loads(pypandoc.convert_file(str(self.path(doc)), "json")))

    def role(self, doc):
        return self.catalogue.roles[doc[1]]

    def brand(self, doc):
        return self.brands[doc[0]].brand


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("docx-build")
    content, layouts = snapshot_sources(root)
    out = root / "out"
    run = _quiet_build("--format", "docx", *ROLE_OPTIONS, "--content", str(content), "--layouts", str(layouts),
                       "--out", str(out))
    assert run.exit_code == 0, run.stderr

    catalogue = load_catalogue(content, today=TODAY)
    brands = {b: load_brand(layouts, b, content) for b in BRANDS}
    titles = {slug: role.title for slug, role in catalogue.roles.items()}
    result = Built(root, content, layouts, out, run.stdout, catalogue, brands)
    for brand, role, kind in DOCS:
        issued = issued_date(catalogue, role, None)
        document = HtmlDocument(kind, catalogue.roles[role], catalogue.company, brands[brand], issued, titles)
        result.html[(brand, role, kind)] = render_html(document, layouts)
    return result


# Where the files go ------------------------------------------------------------------------

def test_every_role_brand_and_kind_is_written_to_brand_role_folders(built):
    made = sorted(str(p.relative_to(built.out)) for p in built.out.rglob("*.docx"))
    assert made == sorted(f"{b}/{r}/{r}-{k}.docx" for b, r, k in DOCS)
    assert f": built {len(DOCS)}, unchanged 0, removed 0, skipped 0, failed 0 in " in built.stdout


def test_the_manifest_lists_every_docx_with_its_format_brand_role_kind_and_checksum(built):
    outputs = json.loads((built.out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    by_path = {o["path"]: o for o in outputs}
    assert sorted(by_path) == sorted(f"{b}/{r}/{r}-{k}.docx" for b, r, k in DOCS)
    for brand, role, kind in DOCS:
        entry = by_path[f"{brand}/{role}/{role}-{kind}.docx"]
        data = built.path((brand, role, kind)).read_bytes()
        assert (entry["format"], entry["brand"], entry["role"], entry["kind"]) == ("docx", brand, role, kind)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)


# The same words, in the same order, as the HTML -------------------------------------------

@each_doc
def test_python_docx_reads_the_same_headings_list_items_and_cells_as_the_html(built, doc):
    """Headings are found by their Word style (Heading 1–3), list items by their numbering."""
    expected = html_outline(built.html[doc])
    assert any(e.kind == "h1" for e in expected) and any(e.kind == "li" for e in expected)
    assert docx_outline(built.path(doc)) == expected


@each_doc
def test_pandoc_reads_the_same_headings_list_items_and_cells_as_the_html(built, doc):
    assert pandoc_outline(built.pandoc(doc)) == html_outline(built.html[doc])


@each_doc
def test_each_heading_level_uses_the_word_heading_style_of_that_level(built, doc):
    styles = {p.style.name for p in built.docx(doc).paragraphs if p.style is not None}
    levels = {e.kind for e in html_outline(built.html[doc]) if e.kind.startswith("h")}
    assert {f"Heading {k[1]}" for k in levels} <= styles
    for paragraph in built.docx(doc).paragraphs:
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            assert re.fullmatch(r"Heading [123]", paragraph.style.name), paragraph.style.name


# Lists --------------------------------------------------------------------------------------

def _html_list_items(html: str) -> list[tuple[int, str, int]]:
    """(which list, its tag, nesting depth) for every <li> outside the table of contents."""
    root = lxml_html.document_fromstring(html)
    lists: dict = {}
    out = []
    for li in root.iter("li"):
        if li.xpath("ancestor::nav[contains(@class, 'toc')]"):
            continue
        parent = li.getparent()
        lists.setdefault(parent, len(lists))
        depth = len(li.xpath("ancestor::ul|ancestor::ol")) - 1
        out.append((lists[parent], parent.tag, depth))
    return out


def _docx_list_items(package: Package) -> list[tuple[int, int]]:
    out = []
    for p in package.document.iter(qn("w:p")):
        num_pr = p.find("w:pPr/w:numPr", NS)
        style = p.find("w:pPr/w:pStyle", NS)
        if num_pr is not None and not (style is not None and style.get(qn("w:val")).startswith("Heading")):
            out.append((int(num_pr.find("w:numId", NS).get(qn("w:val"))),
                        int(num_pr.find("w:ilvl", NS).get(qn("w:val")))))
    return out


@each_doc
def test_lists_are_word_numbering_with_one_numbering_instance_per_html_list(built, doc):
    html_items = _html_list_items(built.html[doc])
    word_items = _docx_list_items(built.package(doc))
    assert len(word_items) == len(html_items)

    first_seen: dict[int, int] = {}
    groups = [first_seen.setdefault(num_id, len(first_seen)) for num_id, _ in word_items]
    assert groups == [group for group, _, _ in html_items], "each HTML list must get its own w:num"
    assert [level for _, level in word_items] == [depth for _, _, depth in html_items]

    numbering = built.package(doc).xml("word/numbering.xml")
    nums = {int(n.get(qn("w:numId"))): n for n in numbering.findall("w:num", NS)}
    abstracts = {int(a.get(qn("w:abstractNumId"))): a for a in numbering.findall("w:abstractNum", NS)}
    for (num_id, level), (_, tag, _) in zip(word_items, html_items):
        num = nums[num_id]
        abstract = abstracts[int(num.find("w:abstractNumId", NS).get(qn("w:val")))]
        fmt = abstract.find(f"w:lvl[@w:ilvl='{level}']/w:numFmt", NS).get(qn("w:val"))
        if tag == "ul":
            assert fmt == "bullet"
        else:
            assert fmt in ("decimal", "lowerLetter")
            override = num.find("w:lvlOverride/w:startOverride", NS)
            assert override is not None and override.get(qn("w:val")) == "1", "an <ol> restarts at 1"


@each_guide
def test_the_chapters_the_contents_list_are_numbered_by_word_in_their_order(built, doc):
    package = built.package(doc)
    chapters = [p for p in package.document.iter(qn("w:p"))
                if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(qn("w:val")) == "Heading2"
                and p.find("w:pPr/w:numPr", NS) is not None]
    assert [norm("".join(p.itertext())) for p in chapters] == html_toc_titles(built.html[doc])
    numbers = {p.find("w:pPr/w:numPr/w:numId", NS).get(qn("w:val")) for p in chapters}
    assert len(numbers) == 1, "one numbering runs through the chapters"
    numbering = package.xml("word/numbering.xml")
    num = numbering.find(f"w:num[@w:numId='{numbers.pop()}']", NS)
    abstract = numbering.find(f"w:abstractNum[@w:abstractNumId='{num.find('w:abstractNumId', NS).get(qn('w:val'))}']", NS)
    assert abstract.find("w:lvl[@w:ilvl='0']/w:numFmt", NS).get(qn("w:val")) == "decimal"
    assert abstract.find("w:lvl[@w:ilvl='0']/w:lvlText", NS).get(qn("w:val")) == "%1"


# Tables -------------------------------------------------------------------------------------

@each_doc
def test_thead_rows_and_only_they_repeat_as_header_rows(built, doc):
    root = lxml_html.document_fromstring(built.html[doc])
    expected = [[tr.getparent().tag == "thead" for tr in table.iter("tr")] or [False]  # a box to write in
                for table in root.xpath("//table | //p[.//textarea] | //div[contains(concat(' ', @class, ' '), ' band ')]")]
    tables = built.package(doc).document.find("w:body", NS).findall("w:tbl", NS)
    actual = [[tr.find("w:trPr/w:tblHeader", NS) is not None for tr in tbl.findall("w:tr", NS)] for tbl in tables]
    assert actual == expected
    assert any(any(rows) for rows in expected), "every layout has a table with a header row"


# Checkboxes (hiring guide) -----------------------------------------------------------------

def _section_checkboxes(docx, title: str) -> int:
    """Checkbox controls between the Heading 2 called `title` and the next Heading 2."""
    inside, count = False, 0
    for block in docx.iter_inner_content():
        if isinstance(block, Paragraph) and block.style is not None and block.style.name == "Heading 2":
            inside = norm(block.text) == title
            continue
        if inside:
            element = block._p if isinstance(block, Paragraph) else block._tbl
            count += sum(1 for _ in element.iter(W14_CHECKBOX))
    return count


@each_guide
def test_the_scorecard_has_one_checkbox_control_per_box(built, doc):
    attributes = built.role(doc).interview.scorecard
    assert _section_checkboxes(built.docx(doc), "Scorecard") == 4 * len(attributes) + 4


@each_guide
def test_every_html_checkbox_is_an_unticked_word_checkbox_named_by_its_label(built, doc):
    """Printed tick boxes (span.checkbox) and form choices (a scorecard's radio buttons) alike."""
    root = lxml_html.document_fromstring(built.html[doc])
    labels = [s.get("aria-label") or s.get("title")
              for s in root.xpath("//span[contains(@class, 'checkbox')] | //input[@type='radio']")]
    controls = [sdt for sdt in built.package(doc).document.iter(qn("w:sdt"))
                if sdt.find("w:sdtPr/w14:checkbox", NS) is not None]
    assert len(controls) == len(labels) > 0
    assert [c.find("w:sdtPr/w:alias", NS).get(qn("w:val")) for c in controls] == labels
    for control in controls:
        assert control.find("w:sdtPr/w14:checkbox/w14:checked", NS).get(W14_VAL) == "0"
    ids = [c.find("w:sdtPr/w:id", NS).get(qn("w:val")) for c in controls]
    assert len(set(ids)) == len(ids)


# Pictures, header and footer ---------------------------------------------------------------

@each_doc
def test_every_picture_carries_the_brand_logo_alt_text(built, doc):
    package = built.package(doc)
    parts = ["word/document.xml"] + package.headers() + package.footers()
    described = [d.get("descr") for part in parts for d in package.xml(part).iter(f"{{{NS['wp']}}}docPr")]
    assert len(described) >= 2, "the logo in the body and in the running header"
    assert set(described) == {built.brand(doc).logo_alt}
    numbers = [d.get("id") for part in package.xml_parts for d in package.xml(part).iter(f"{{{NS['wp']}}}docPr")]
    assert len(numbers) == len(described) and len(set(numbers)) == len(numbers), "each drawing its own id (ECMA-376)"


def test_links_are_underlined_not_told_apart_by_colour_alone(built):
    """WCAG 2.2 1.4.1: the accent is 3:1 against the text at best, so a link also carries an underline."""
    styles = built.package(DOCS[0]).xml("word/styles.xml")
    link = styles.find("w:style[@w:styleId='Hyperlink']", NS)
    assert link.find("w:rPr/w:u", NS).get(qn("w:val")) == "single"


def _reference(package: Package, sect_pr, kind: str, which: str):
    ref = sect_pr.find(f"w:{kind}Reference[@w:type='{which}']", NS)
    if ref is None:
        return None
    target = package.relationships("word/document.xml")[ref.get(qn("r:id"))]
    return f"word/{target}"


@each_doc
def test_the_running_header_shows_the_logo_and_the_role_title(built, doc):
    package = built.package(doc)
    first = package.document.find("w:body", NS).iter(qn("w:sectPr")).__next__()
    part = _reference(package, first, "header", "default")
    assert part is not None
    header = package.xml(part)
    blips = list(header.iter(f"{{{NS['a']}}}blip"))
    assert len(blips) == 1
    image = package.relationships(part)[blips[0].get(qn("r:embed"))]
    assert package.raw[f"word/{image}"][:8] == b"\x89PNG\r\n\x1a\n"
    assert [d.get("descr") for d in header.iter(f"{{{NS['wp']}}}docPr")] == [built.brand(doc).logo_alt]
    assert built.role(doc).title in "".join(t.text or "" for t in header.iter(qn("w:t")))


@each_doc
def test_the_footer_has_page_and_numpages_fields(built, doc):
    package = built.package(doc)
    first = next(package.document.find("w:body", NS).iter(qn("w:sectPr")))
    part = _reference(package, first, "footer", "default")
    assert part is not None
    footer = package.xml(part)
    assert instructions(footer) == ["PAGE", "NUMPAGES"]
    assert built.brand(doc).footer in "".join(t.text or "" for t in footer.iter(qn("w:t")))


@each_doc
def test_the_first_page_has_no_running_header_and_later_sections_continue_it(built, doc):
    sections = built.docx(doc).sections
    assert sections[0].different_first_page_header_footer is True  # w:titlePg
    first_page = sections[0].first_page_header
    assert first_page.is_linked_to_previous or not first_page._element.xpath(".//w:drawing|.//w:t")
    for section in sections[1:]:
        assert section.header.is_linked_to_previous and section.footer.is_linked_to_previous


@each_doc
def test_every_field_begins_separates_and_ends(built, doc):
    package = built.package(doc)
    for part in ["word/document.xml"] + package.headers() + package.footers():
        depth = 0
        for char in package.xml(part).iter(qn("w:fldChar")):
            kind = char.get(qn("w:fldCharType"))
            depth += {"begin": 1, "end": -1}.get(kind, 0)
            assert depth >= 0, part
        assert depth == 0, part


# Hiring guide: contents, cover section, fields --------------------------------------------

@each_guide
def test_the_hiring_guide_has_a_toc_field_listing_every_chapter(built, doc):
    package = built.package(doc)
    document = package.document
    tocs = [i for i in instructions(document) if i.startswith("TOC ")]
    assert len(tocs) == 1 and "TOC \\o" in tocs[0]

    chapters = html_chapter_titles(built.html[doc])
    assert chapters == html_toc_titles(built.html[doc]) and len(chapters) >= 12
    entries = toc_result_paragraphs(document)
    texts = [re.sub(r"^\d+\s+", "", norm("".join(t.text or "" for t in p.find("w:hyperlink", NS).iter(qn("w:t")))))
             for p in entries]
    assert texts == chapters

    bookmarks = {b.get(qn("w:name")): b.getparent() for b in document.iter(qn("w:bookmarkStart"))}
    for entry, title in zip(entries, chapters):
        anchor = entry.find("w:hyperlink", NS).get(qn("w:anchor"))
        heading = bookmarks[anchor]
        assert heading.find("w:pPr/w:pStyle", NS).get(qn("w:val")) == "Heading2"
        assert norm("".join(t.text or "" for t in heading.iter(qn("w:t")))) == title
        assert f"PAGEREF {anchor} \\h" in instructions(entry)


def toc_pages(package: Package) -> list[int]:
    """The page numbers the contents show: each entry's PAGEREF result, as written."""
    pages = []
    for entry in toc_result_paragraphs(package.document):
        runs = list(entry.iter(qn("w:r")))
        starts = [i for i, r in enumerate(runs) if any("PAGEREF" in (t.text or "") for t in r.iter(qn("w:instrText")))]
        result = "".join(t.text or "" for r in runs[starts[0] + 1:] for t in r.iter(qn("w:t")))
        pages.append(int(result) if result.strip().isdigit() else 0)
    return pages


@each_guide
def test_the_contents_show_page_numbers_without_asking_word_to_update(built, doc):
    """Every viewer shows the pages at once: the results are written, nothing is marked dirty and
    Word is not asked to update fields on opening (which prompts every time)."""
    package = built.package(doc)
    assert package.xml("word/settings.xml").find("w:updateFields", NS) is None
    assert not [c for c in package.document.iter(qn("w:fldChar")) if c.get(qn("w:dirty"))]
    pages = toc_pages(package)
    assert len(pages) == len(html_chapter_titles(built.html[doc]))
    assert pages[0] >= 3 and pages == sorted(pages), pages  # after the cover and the contents, in order


def _pdf_chapter_pages(pdf: Path) -> dict[str, int]:
    """Each chapter's (second-level bookmark's) page in a PDF, from its outline; by its title, less
    the chapter number LibreOffice puts in a numbered heading's bookmark."""
    reader = PdfReader(pdf)
    found: dict[str, int] = {}

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif depth == 1:
                found.setdefault(re.sub(r"^\d+ ", "", norm(item.title)), reader.get_destination_page_number(item) + 1)

    walk(reader.outline, 0)
    return found


@pytest.mark.parametrize("doc", [d for d in GUIDES if d[1] in PDF_ROLES], ids=doc_id)
def test_the_contents_page_numbers_are_the_pdfs(built, weasyprint_pdfs, doc):
    brand, role, kind = doc
    in_pdf = _pdf_chapter_pages(weasyprint_pdfs / brand / role / f"{role}-{kind}.pdf")
    chapters = html_chapter_titles(built.html[doc])
    assert toc_pages(built.package(doc)) == [in_pdf[title] for title in chapters]


def _sections(docx) -> list[tuple[object, list[Paragraph]]]:
    """Each section's properties (`w:sectPr`) with the body paragraphs it holds, in order."""
    out, held = [], []
    for block in docx.iter_inner_content():
        if isinstance(block, Paragraph):
            held.append(block)
            properties = block._p.find("w:pPr/w:sectPr", NS)
            if properties is not None:
                out.append((properties, held))
                held = []
    out.append((docx.element.body.find("w:sectPr", NS), held))
    return out


def _sheet_section(built, doc) -> int | None:
    """The section that holds the scorecard's heading (a sheet with narrower margins), if any."""
    root = lxml_html.document_fromstring(built.html[doc])
    titles = {text_of(h) for h in root.xpath("//section[contains(concat(' ', @class, ' '), ' scorecard ')]/h2")}
    for index, (_, held) in enumerate(_sections(built.docx(doc))):
        if any(p.style.name == "Heading 2" and norm(p.text) in titles for p in held):
            return index
    return None


@each_doc
def test_sections_are_the_cover_the_scorecard_and_the_two_column_lists(built, doc):
    """The cover and the scorecard's sheet are sections that start and end with a new page. Every
    other section starts on the page before it: a two-column list of the HTML is a section of two
    columns holding just its items, breaking to the second column before the item the PDF's grid
    starts it with (`rows-N`), or balanced by Word where the PDF let the lists flow in columns
    because its grid carried one over a page (pdf/pages.py)."""
    from pipeline.render.pdf.writer import PdfJob, laid_out  # loads WeasyPrint: only where it is needed

    docx = built.docx(doc)
    flowing = laid_out(PdfJob(built.html[doc], built.brands[doc[0]], built.layouts,
                              (built.layouts, built.content / "assets", built.content / "brands"))).flowing
    root = lxml_html.document_fromstring(built.html[doc])
    lists = [(len(ul.findall("li")), int(re.search(r"rows-(\d+)", ul.get("class")).group(1)))
             for ul in root.xpath("//ul[contains(concat(' ', @class, ' '), ' two-col ')]")]
    sections = _sections(docx)
    starts = [docx.sections[i].start_type for i in range(len(sections))]
    cover = 1 if doc[2] == "hiring-guide" else 0
    sheet = _sheet_section(built, doc)
    new_pages = {1, sheet, sheet + 1} if cover else set()
    assert {i for i, start in enumerate(starts) if start == WD_SECTION.NEW_PAGE and i > 0} == new_pages
    assert all(start == WD_SECTION.CONTINUOUS for i, start in enumerate(starts) if i > 0 and i not in new_pages)
    two = [(held, cols) for properties, held in sections
           if (cols := properties.find("w:cols", NS)) is not None and cols.get(qn("w:num")) == "2"]
    assert len(two) == len(lists) and lists, (len(two), lists)
    for (held, cols), (items, rows) in zip(two, lists):
        assert all(p._p.find("w:pPr/w:numPr", NS) is not None for p in held) and len(held) == items
        breaks = [i for i, p in enumerate(held) if p._p.find("w:r/w:br[@w:type='column']", NS) is not None]
        assert breaks == ([] if flowing else [rows])
        assert int(cols.get(qn("w:space"))) == round(7 / 25.4 * 1440)  # the PDF's 7 mm column gap
    if cover:
        cover_texts = {text_of(p) for p in root.xpath("//header[contains(@class, 'cover')]//p")}
        blocks = [p for _, held in sections for p in held]
        covered = [i for i, p in enumerate(blocks) if norm(p.text) in cover_texts]
        contents = [i for i, p in enumerate(blocks) if p.style.name == "TOC Heading"]
        first_break = len(sections[0][1]) - 1
        assert covered and contents and max(covered) <= first_break < min(contents)


# Page, language, properties, fonts --------------------------------------------------------

@each_doc
def test_pages_follow_the_brand_paper_size_and_margins(built, doc):
    brand = built.brand(doc)
    assert brand.page_size == BRAND_PAGE[doc[0]]
    width, height = PAGE_MM[brand.page_size]
    margins = brand.margins_mm
    sheet = _sheet_section(built, doc)
    for index, section in enumerate(built.docx(doc).sections):
        cut = 7 if index == sheet else 0  # the scorecard's sheet, as brand.css.j2's @page scorecard
        cover = index == 0 and doc[2] == "hiring-guide"  # its band from the top edge: @page cover
        assert section.page_width.mm == pytest.approx(width, abs=0.1)
        assert section.page_height.mm == pytest.approx(height, abs=0.1)
        assert section.top_margin.mm == pytest.approx(0 if cover else max(margins.top - cut, 10), abs=0.1)
        assert section.bottom_margin.mm == pytest.approx(max(margins.bottom - cut, 10), abs=0.1)
        assert section.left_margin.mm == pytest.approx(margins.left, abs=0.1)
        assert section.right_margin.mm == pytest.approx(margins.right, abs=0.1)


@each_doc
def test_the_document_language_is_the_roles_language_with_the_region_it_implies(built, doc):
    """Word proofs and hyphenates by region: a bare `en` is CLDR's likely en-US (a role that says
    en-GB keeps it, tests/render/test_docx_writer.py); the document's own language property keeps the tag."""
    styles = built.package(doc).xml("word/styles.xml")
    langs = styles.findall("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert built.role(doc).language == "en"
    assert [lang.get(qn("w:val")) for lang in langs] == ["en-US"]
    assert built.docx(doc).core_properties.language == "en"


@each_doc
def test_body_text_hyphenates_as_in_the_pdf_and_headings_and_tables_do_not(built, doc):
    package = built.package(doc)
    settings = package.xml("word/settings.xml")
    assert settings.find("w:autoHyphenation", NS).get(qn("w:val")) == "true"
    names = [etree.QName(child).localname for child in settings]
    assert names.index("autoHyphenation") == names.index("defaultTabStop") + 1  # its place in CT_Settings
    styles = package.xml("word/styles.xml")
    for name in ("heading 1", "heading 2", "TOC Heading"):
        style = styles.xpath(f"w:style[w:name/@w:val='{name}']", namespaces=NS)[0]
        assert style.find("w:pPr/w:suppressAutoHyphens", NS) is not None, name
    assert styles.xpath("w:style[w:name/@w:val='Normal']/w:pPr/w:suppressAutoHyphens", namespaces=NS) == []
    cells = package.xml("word/document.xml").findall(".//w:tc/w:p", NS)
    assert cells and all(p.find("w:pPr/w:suppressAutoHyphens", NS) is not None for p in cells)


def _meta(html: str, name: str) -> str:
    return lxml_html.document_fromstring(html).xpath(f"//meta[@name='{name}']/@content")[0]


@each_doc
def test_core_properties_come_from_the_html_head_and_are_dated_by_the_content(built, doc):
    html = built.html[doc]
    props = built.docx(doc).core_properties
    assert props.title == lxml_html.document_fromstring(html).findtext(".//title")
    assert props.subject == _meta(html, "description")
    assert props.author == _meta(html, "author") == built.brand(doc).name
    assert props.keywords == _meta(html, "keywords")
    issued = content_date(built.role(doc))
    assert issued.isoformat() == _meta(html, "dcterms.created")
    assert props.created == props.modified == dt.datetime.combine(issued, dt.time(), dt.timezone.utc)


def _rfonts(style) -> dict[str, str]:
    rfonts = style.element.find("w:rPr/w:rFonts", NS)
    assert rfonts is not None, style.name
    return {k.split("}")[1]: v for k, v in rfonts.attrib.items()}


@each_doc
def test_body_text_and_headings_use_the_brand_fonts(built, doc):
    body, heading = BRAND_FONTS[doc[0]]
    styles = built.docx(doc).styles
    normal = _rfonts(styles["Normal"])
    assert (normal["ascii"], normal["hAnsi"]) == (body, body)
    assert not any(k.endswith("Theme") for k in normal), "a theme font would override the brand font"
    for level in (1, 2, 3):
        fonts = _rfonts(styles[f"Heading {level}"])
        assert (fonts["ascii"], fonts["hAnsi"]) == (heading, heading)
        assert not any(k.endswith("Theme") for k in fonts)


SLOTS = {"embedRegular": ("Regular",), "embedBold": ("Bold",), "embedItalic": ("Italic",),
         "embedBoldItalic": ("Bold Italic",)}
EMBEDDABLE = {"default": {"Inter": list(SLOTS), "Noto Sans Symbols2": ["embedRegular"]},
              "harbor": {"Lato": list(SLOTS), "Roboto Slab": ["embedRegular", "embedBold"],
                         "Noto Sans Symbols2": ["embedRegular"]}}
"""The faces each brand's drafts may carry: Word's four slots where the bundle has the face (Roboto
Slab is bundled in regular and bold only), and the checkboxes' symbols."""
CT_FONT = ("altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig",
           "embedRegular", "embedBold", "embedItalic", "embedBoldItalic")


def _undo_obfuscation(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, §17.8.1, written out here independently of the writer."""
    digits = key.strip("{}").replace("-", "")
    key_bytes = [int(digits[i:i + 2], 16) for i in range(0, 32, 2)][::-1]
    return bytes(b ^ key_bytes[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def embedded_faces(package: Package) -> dict[str, tuple[str, str, object]]:
    """Each embedded face as (family, slot, the font undone), by its PostScript name."""
    from fontTools.ttLib import TTFont

    targets = package.relationships("word/fontTable.xml")
    faces = {}
    for entry in package.xml("word/fontTable.xml").findall("w:font", NS):
        for embed in (child for child in entry if etree.QName(child).localname.startswith("embed")):
            raw = package.raw["word/" + targets[embed.get(qn("r:id"))]]
            assert raw[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"), "stored in the clear"
            font = TTFont(io.BytesIO(_undo_obfuscation(raw, embed.get(qn("w:fontKey")))))
            faces[font["name"].getDebugName(6)] = (entry.get(qn("w:name")), etree.QName(embed).localname, font)
    return faces


@each_doc
def test_the_brand_fonts_travel_inside_the_document(built, doc):
    """The faces the text is set in are embedded, obfuscated with the key their font-table entry
    names; undone, each part is a TrueType-outline font of that family and face, allowed to be
    embedded, covering the text it is there for. (LibreOffice checks below that they are the faces
    the text needs, no more and no fewer.)"""
    package = built.package(doc)
    for entry in package.xml("word/fontTable.xml").findall("w:font", NS):
        names = [etree.QName(child).localname for child in entry]
        assert names == sorted(names, key=CT_FONT.index), f"{entry.get(qn('w:name'))}: {names} out of CT_Font order"
    faces = embedded_faces(package)
    assert all(part.endswith(".odttf") for part in package.raw if part.startswith("word/fonts/"))
    assert len(faces) == len([part for part in package.raw if part.startswith("word/fonts/")])
    for family, slot, font in faces.values():
        assert slot in EMBEDDABLE[doc[0]][family]
        assert "glyf" in font and "CFF " not in font, "Word embeds TrueType outlines"
        assert font["name"].getDebugName(1) == family
        assert font["name"].getDebugName(2) in SLOTS[slot]
        assert not font["OS/2"].fsType & 0x0002, "the licence bits allow embedding"
        wanted = "☐☒" if family == "Noto Sans Symbols2" else "Aéßçñ€–“”Ωд"
        covered = font.getBestCmap()
        assert all(ord(c) in covered for c in wanted), (family, [c for c in wanted if ord(c) not in covered])
    body = BRAND_FONTS[doc[0]][0]
    assert (body, "embedRegular") in {(family, slot) for family, slot, _ in faces.values()}
    has_boxes = any(True for _ in package.document.iter(W14_CHECKBOX))
    assert has_boxes == ("Noto Sans Symbols2" in {family for family, _, _ in faces.values()})


@each_doc
def test_the_font_table_names_fallbacks_for_readers_that_ignore_embedding(built, doc):
    entries = {e.get(qn("w:name")): e for e in built.package(doc).xml("word/fontTable.xml").findall("w:font", NS)}
    for family in set(BRAND_FONTS[doc[0]]):
        entry = entries[family]
        assert entry.find("w:altName", NS).get(qn("w:val")) in ("Arial", "Calibri", "Rockwell")
        assert entry.find("w:family", NS).get(qn("w:val")) in ("swiss", "roman")
        assert re.fullmatch(r"[0-9A-F]{20}", entry.find("w:panose1", NS).get(qn("w:val")))
        assert int(entry.find("w:sig", NS).get(qn("w:usb0")), 16) & 1, "the signature says Basic Latin"


@each_doc
def test_the_settings_say_the_fonts_are_embedded_and_stand_in_schema_order(built, doc):
    from pipeline.render.docx.ooxml import SETTINGS_ORDER

    settings = built.package(doc).xml("word/settings.xml")
    names = [etree.QName(c).localname for c in settings if etree.QName(c).namespace == NS["w"]]
    assert settings.find("w:embedTrueTypeFonts", NS).get(qn("w:val")) == "true"
    assert names == sorted(names, key=SETTINGS_ORDER.index)


@each_doc
def test_checkboxes_ask_for_the_embedded_symbol_font_not_ms_gothic(built, doc):
    package = built.package(doc)
    boxes = list(package.document.iter(W14_CHECKBOX))
    for box in boxes:
        for state in box:
            if etree.QName(state).localname.endswith("State"):
                assert state.get(f"{{{NS['w14']}}}font") == "Noto Sans Symbols2"
    assert b"MS Gothic" not in package.raw["word/document.xml"]


@each_doc
def test_there_are_no_text_boxes_anywhere(built, doc):
    package = built.package(doc)
    for part in package.xml_parts:
        found = {el.tag for el in package.xml(part).iter() if el.tag in TEXT_BOXES}
        assert not found, f"{part}: {found}"


@each_doc
def test_no_table_merges_cells_and_every_table_says_where_its_headers_are(built, doc):
    """A screen reader follows a grid with a header row or a header column; merged cells lose it.
    A table with neither is one cell (a box to write in), which readers take for layout."""
    for table in built.package(doc).document.iter(qn("w:tbl")):
        assert table.find(".//w:gridSpan", NS) is None and table.find(".//w:vMerge", NS) is None
        look = table.find("w:tblPr/w:tblLook", NS)
        headed = look.get(qn("w:firstRow")) == "1" or look.get(qn("w:firstColumn")) == "1"
        cells = table.findall("w:tr/w:tc", NS)
        assert headed or len(cells) == 1, norm(" ".join(table.itertext()))[:80]
        if look.get(qn("w:firstRow")) == "1":
            assert table.find("w:tr/w:trPr/w:tblHeader", NS) is not None


@each_guide
def test_each_scorecard_attribute_is_a_table_named_by_its_caption(built, doc):
    names = [a.name for a in built.role(doc).interview.scorecard]
    captions = [c.get(qn("w:val")) for c in built.package(doc).document.iter(qn("w:tblCaption"))]
    assert captions == names


@each_guide
def test_the_covers_band_is_one_shaded_cell_across_the_page_from_its_top_edge(built, doc):
    brand = built.brand(doc)
    body = built.package(doc).document.find("w:body", NS)
    band = body[0]
    assert band.tag == qn("w:tbl") and len(band.findall("w:tr/w:tc", NS)) == 1
    assert band.find("w:tr/w:tc/w:tcPr/w:shd", NS).get(qn("w:fill")) == brand.colours.primary.lstrip("#").upper()
    width = PAGE_MM[brand.page_size][0]
    assert abs(int(band.find("w:tblPr/w:tblW", NS).get(qn("w:w"))) - width / 25.4 * 1440) < 2
    assert "KICKER" in {p.find("w:pPr/w:pStyle", NS).get(qn("w:val")).upper() for p in band.iter(qn("w:p"))
                        if p.find("w:pPr/w:pStyle", NS) is not None}
    assert built.docx(doc).sections[0].top_margin == 0


@each_doc
def test_every_draft_is_valid_ooxml_for_word_2010_and_later(built, doc):
    assert ooxml_problems(built.path(doc)) == []


def test_the_validator_reports_a_setting_out_of_order_and_an_unknown_element(built, tmp_path):
    """The check above could pass by checking nothing: two defects it must name."""
    doc = DOCS[0]
    with zipfile.ZipFile(built.path(doc)) as source:
        parts = {i.filename: source.read(i) for i in source.infolist()}
    settings = etree.fromstring(parts["word/settings.xml"])
    settings.append(settings[0])  # the first setting moved last
    parts["word/settings.xml"] = etree.tostring(settings)
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:p>", b"<w:p><w:bogus/>", 1)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    problems = "\n".join(ooxml_problems(broken))
    assert f"/word/settings.xml /settings[1]: Unexpected element '{etree.QName(settings[-1]).localname}'" in problems
    assert "Unexpected element 'bogus'" in problems


# Reproducible ------------------------------------------------------------------------------

@each_doc
def test_zip_entries_have_a_fixed_timestamp_and_sorted_names(built, doc):
    infos = built.package(doc).infos
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml"
    assert names == sorted(names) and len(set(names)) == len(names)
    assert {i.date_time for i in infos} == {ZIP_EPOCH}


def test_building_twice_gives_byte_identical_documents(built, tmp_path):
    again = tmp_path / "again"
    run = _quiet_build("--format", "docx", *ROLE_OPTIONS, "--content", str(built.content),
                       "--layouts", str(built.layouts), "--out", str(again), "--jobs", "1")
    assert run.exit_code == 0, run.stderr
    for doc in DOCS:
        assert docx_path(again, *doc).read_bytes() == built.path(doc).read_bytes(), doc_id(doc)
    assert (again / "manifest.json").read_bytes() == (built.out / "manifest.json").read_bytes()


def test_source_date_epoch_dates_the_documents_instead_of_the_content(built, tmp_path):
    epoch = dt.datetime(2026, 1, 2, 15, 30, tzinfo=dt.timezone.utc)
    out = tmp_path / "out"
    run = _quiet_build("--format", "docx", "--content", str(built.content), "--layouts", str(built.layouts),
                       "--out", str(out), "--role", "backend-engineer", env={"SOURCE_DATE_EPOCH": str(int(epoch.timestamp()))})
    assert run.exit_code == 0, run.stderr
    for brand in BRANDS:
        for kind in KINDS:
            props = Document(str(docx_path(out, brand, "backend-engineer", kind))).core_properties
            assert props.created.date() == props.modified.date() == dt.date(2026, 1, 2)


# LibreOffice -------------------------------------------------------------------------------

@dataclass
class Converted:
    folder: Path
    logs: dict


def without_bundled_fonts(folder: Path) -> Path:
    """A fonts.conf of the machine's own fonts with every bundled family refused, as on a reader's
    computer that has none of them (even if this machine has some installed); checked with fc-list."""
    families = sorted(font_catalogue(REPO / "layouts"))
    refused = "".join(f"<pattern><patelt name=\"family\"><string>{escape(f)}</string></patelt></pattern>"
                      for f in families)
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
                    f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f'<dir>{escape(str(BUNDLED_FONTS))}</dir><cachedir>{escape(str(folder / "cache"))}</cachedir>'
                    f"<selectfont><rejectfont>{refused}</rejectfont></selectfont></fontconfig>\n", encoding="utf-8")
    listed = subprocess.run(["fc-list", ":", "family"], env=dict(os.environ, FONTCONFIG_FILE=str(conf)),
                            capture_output=True, text=True, check=True).stdout
    present = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    assert present and not present & set(families), present & set(families)
    return conf


@pytest.fixture(scope="session")
def libreoffice(built, tmp_path_factory) -> Converted:
    """Every DOCX converted to PDF by LibreOffice on a machine without the brand fonts: one soffice
    run per brand folder. Whatever brand font the PDF shows came from inside the DOCX."""
    root = tmp_path_factory.mktemp("libreoffice")
    env = dict(os.environ, FONTCONFIG_FILE=str(without_bundled_fonts(root)), HOME=str(root))
    logs = {}
    for brand in BRANDS:
        files = [str(docx_path(built.out, brand, r, k)) for r in LO_ROLES for k in KINDS]
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{root}/profile", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(root / brand), *files],
            env=env, capture_output=True, text=True, timeout=600)
        logs[brand] = f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return Converted(root, logs)


UPDATE_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub UpdateContents(sources As String, targets As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  Dim save(0) As New com.sun.star.beans.PropertyValue
  save(0).Name = &quot;FilterName&quot;
  save(0).Value = &quot;writer_pdf_Export&quot;
  froms = Split(sources, &quot;|&quot;)
  tos = Split(targets, &quot;|&quot;)
  For n = 0 To UBound(froms)
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(froms(n)), &quot;_blank&quot;, 0, load())
    indexes = doc.getDocumentIndexes()
    For i = 0 To indexes.getCount() - 1
      indexes.getByIndex(i).update()
    Next
    doc.storeToURL(ConvertToURL(tos(n)), save())
    doc.close(True)
  Next
End Sub
</script:module>
"""
"""A LibreOffice Basic macro that does what a reader's "Update table" does, then prints to PDF."""


@pytest.fixture(scope="session")
def updated_contents(built, tmp_path_factory) -> Path:
    """Every packet's DOCX after LibreOffice updates its contents itself (its own page numbers and
    entries), printed to PDF, on a machine without the brand fonts."""
    root = tmp_path_factory.mktemp("updated")
    env = dict(os.environ, FONTCONFIG_FILE=str(without_bundled_fonts(root)), HOME=str(root))
    profile = [f"-env:UserInstallation=file://{root}/profile", "--headless", "--norestore"]
    subprocess.run(["soffice", *profile, "--terminate_after_init"], env=env, capture_output=True, timeout=120)
    (root / "profile" / "user" / "basic" / "Standard" / "Module1.xba").write_text(UPDATE_MACRO, encoding="utf-8")
    guides = [d for d in LO_DOCS if d[2] == "hiring-guide"]
    sources = "|".join(str(built.path(d)) for d in guides)
    targets = "|".join(str(root / f"{'-'.join(d)}.pdf") for d in guides)
    done = subprocess.run(["soffice", *profile, f'macro:///Standard.Module1.UpdateContents("{sources}","{targets}")'],
                          env=env, capture_output=True, text=True, timeout=600)
    assert all((root / f"{'-'.join(d)}.pdf").is_file() for d in guides), done.stdout + done.stderr
    return root


@pytest.fixture(scope="session")
def weasyprint_pdfs(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    roles = [a for r in sorted(set(PDF_ROLES) | set(LO_ROLES)) for a in ("--role", r)]
    run = _quiet_build("--format", "pdf", *roles, "--content", str(built.content), "--layouts", str(built.layouts),
                       "--out", str(out))
    assert run.exit_code == 0, run.stderr
    return out


def _lo_pdf(libreoffice: Converted, doc) -> Path:
    brand, role, kind = doc
    path = libreoffice.folder / brand / f"{role}-{kind}.pdf"
    assert path.is_file(), libreoffice.logs[brand]
    return path


@pytest.mark.parametrize("doc", LO_DOCS, ids=doc_id)
def test_libreoffice_opens_and_converts_every_docx(libreoffice, doc):
    assert len(PdfReader(_lo_pdf(libreoffice, doc)).pages) >= 1


def _letters(pdf: Path, first: int) -> Counter:
    """The letters and digits a PDF shows from page `first` on, however its lines break, hyphenate
    or flow in columns (pdftotext reads two columns of a line side by side)."""
    text = subprocess.run(["pdftotext", "-f", str(first), str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return Counter(c for c in text.lower() if c.isalnum())


def _alnum(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _reading_order(pdf: Path, first: int, package: Package, html: str) -> str:
    """The letters and digits a PDF shows from page `first` on, in the order its text is drawn
    (pdftotext -raw), less the running heads and page labels: a page's header and footer may be
    drawn before its body or after it, and that is no difference a reader sees. The running heads'
    words are taken from the draft's own header and footer parts, and removed wherever they occur,
    from both PDFs alike."""
    raw = subprocess.run(["pdftotext", "-raw", "-f", str(first), str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    parts = re.split(r"\{pages?\}", _meta(html, "rolepack:page-label"))  # "Page ", " of ", ""
    label = r"\s*\d+\s*".join(r"\s+".join(map(re.escape, p.split())) for p in parts)
    text = _alnum(re.sub(label, " ", raw, flags=re.IGNORECASE))  # before the digits run into the next line's
    parts = [_alnum(p) for p in parts]
    heads = {_alnum(t.text or "") for name in package.headers() + package.footers()
             for t in package.xml(name).iter(qn("w:t"))} - set(parts) - {""}
    for head in sorted(heads, key=len, reverse=True):
        text = text.replace(head, "")
    return text


@pytest.mark.parametrize("doc", LO_DOCS, ids=doc_id)
def test_libreoffice_lays_the_draft_out_on_the_pages_of_the_pdf(libreoffice, weasyprint_pdfs, built, doc):
    """On a machine without the brand fonts: the PDF's page count, every chapter on the PDF's page,
    and the same text, nothing missing or added, in the same order (from page 2 of a packet: the
    cover's letter-spaced kicker reads letter by letter from the PDF)."""
    brand, role, kind = doc
    pdf = weasyprint_pdfs / brand / role / f"{role}-{kind}.pdf"
    word = _lo_pdf(libreoffice, doc)
    assert len(PdfReader(word).pages) == len(PdfReader(pdf).pages)
    chapters = html_chapter_titles(built.html[doc])
    if kind == "hiring-guide":
        in_pdf, in_word = _pdf_chapter_pages(pdf), _pdf_chapter_pages(word)
        assert [in_word.get(t) for t in chapters] == [in_pdf[t] for t in chapters]
    first = 2 if kind == "hiring-guide" else 1
    missing, added = _letters(pdf, first) - _letters(word, first), _letters(word, first) - _letters(pdf, first)
    assert not missing and not added, (dict(missing), dict(added))
    in_pdf, in_word = (_reading_order(p, first, built.package(doc), built.html[doc]) for p in (pdf, word))
    if in_pdf != in_word:  # the same letters, but not in the same order: where they part
        at = next(i for i, (a, b) in enumerate(zip(in_pdf, in_word)) if a != b)
        raise AssertionError(f"reordered at {at}: PDF …{in_pdf[at - 40:at + 60]}… DOCX …{in_word[at - 40:at + 60]}…")


@pytest.mark.parametrize("doc", [d for d in LO_DOCS if d[2] == "hiring-guide"], ids=doc_id)
def test_an_update_of_the_contents_by_the_reader_keeps_the_chapter_numbers_and_pages(
        updated_contents, weasyprint_pdfs, built, doc):
    """The cached contents are only a start: a reader's update rebuilds them from the headings.
    The chapters are numbered in Word's own terms, so the numbers survive it, and the pages match."""
    brand, role, kind = doc
    text = subprocess.run(["pdftotext", "-layout", str(updated_contents / f"{brand}-{role}-{kind}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = {norm(re.sub(r"\.{2,}", " ", line)) for line in text.splitlines()}
    pages = _pdf_chapter_pages(weasyprint_pdfs / brand / role / f"{role}-{kind}.pdf")
    expected = [f"{n} {title} {pages[title]}" for n, title in enumerate(html_chapter_titles(built.html[doc]), 1)]
    assert [e for e in expected if e not in lines] == [], sorted(line for line in lines if line[:1].isdigit())


def _font_names(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(re.sub(r"[^A-Za-z]", "", base.split("+")[-1]))
    return names


@pytest.mark.parametrize("doc", LO_DOCS, ids=doc_id)
def test_libreoffice_sets_the_text_in_the_brand_fonts(libreoffice, built, doc):
    """On a machine without them: the fonts come from the DOCX (the fixture refuses the installed ones)."""
    names = _font_names(_lo_pdf(libreoffice, doc))
    for family in BRAND_FONTS[doc[0]]:
        assert any(n.startswith(family.replace(" ", "")) for n in names), (family, names)
    embedded = {re.sub(r"[^A-Za-z]", "", name) for name in embedded_faces(built.package(doc))}
    assert names == embedded, f"LibreOffice drew with {sorted(names - embedded)}; unused: {sorted(embedded - names)}"
