"""What the DOCX writer keeps between documents in one process, and what it must never keep.

The writer makes each brand's styled template and each logo's PNG once per process, for speed.
That is only safe if a document never sees another document's changes and an edited brand,
logo or reference.docx is picked up by the very next render. The text itself is kept exactly
as typed: HTML collapses ASCII white space only, so no-break spaces reach Word unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from conftest import with_demo_brands
from docx_support import NS, REPO, Package
from pipeline.check.brands import LoadedBrand, load_brand
from pipeline.render.docx.styles import styled_document
from pipeline.render.docx.writer import DocxJob, render_docx

ISSUED = dt.date(2025, 3, 4)
RICH_BODY = ('<h2 id="about">About</h2><p>Some <strong>bold</strong> text.</p><ul><li>one</li><li>two</li></ul>'
             '<table><thead><tr><th>Step</th><th>Length</th></tr></thead><tbody><tr><td>Call</td><td>30 min</td>'
             '</tr></tbody></table>')


def page(body: str, lang: str = "en") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Test page</title></head>'
            f'<body class="job-description"><h1 class="doc-title">Test role</h1>{body}</body></html>')


def render(body: str, brand: LoadedBrand, layouts: Path, lang: str = "en") -> bytes:
    data, _ = render_docx(DocxJob(page(body, lang), brand, "job-description", ISSUED))
    return data


def paragraph_texts(data: bytes) -> list[str]:
    body = Package(data).document.find("w:body", NS)
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def media(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [z.read(n) for n in sorted(z.namelist()) if n.startswith("word/media/")]


def normal_font(data: bytes) -> str:
    return Document(io.BytesIO(data)).styles["Normal"].font.name


def write_reference_docx(path: Path, font: str) -> None:
    """A designer's reference document with every style rolepack uses, its Normal text in `font`."""
    ref = Document()
    for name in ("TOC 2", "Small Print", "Kicker", "Lead", "Question"):
        ref.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    ref.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    ref.styles["Normal"].font.name = font
    ref.save(str(path))


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    """A private copy of the brands and fonts, free to edit between renders."""
    copy = tmp_path / "layouts"
    shutil.copytree(REPO / "layouts" / "brands", copy / "brands")
    shutil.copytree(REPO / "layouts" / "fonts", copy / "fonts")
    return with_demo_brands(copy)


def test_two_documents_rendered_in_one_process_do_not_share_state(layouts):
    brand = load_brand(layouts, "default")
    first = render(RICH_BODY, brand, layouts)
    other = render("<ol><li>three</li></ol><p>German text.</p>", brand, layouts, lang="de")
    again = render(RICH_BODY, brand, layouts)
    assert again == first
    assert b'w:val="de-DE"' in Package(other).raw["word/styles.xml"]
    assert b'w:val="de-DE"' not in Package(again).raw["word/styles.xml"]


def test_a_change_to_one_styled_document_is_not_seen_by_the_next(layouts):
    brand = load_brand(layouts, "default")
    changed = styled_document(brand, "en")
    changed.styles["Normal"].font.name = "Courier New"
    changed.add_paragraph("only in the first document")
    fresh = styled_document(brand, "en")
    assert fresh.styles["Normal"].font.name != "Courier New"
    assert [p.text for p in fresh.paragraphs] == []


def test_a_changed_logo_file_is_picked_up_by_the_next_render(layouts):
    brand = load_brand(layouts, "default")
    before = media(render("<p>x</p>", brand, layouts))
    logo = brand.logo
    logo.write_text(logo.read_text(encoding="utf-8").replace("#16324f", "#c0392b"), encoding="utf-8")
    after = media(render("<p>x</p>", brand, layouts))
    assert len(before) == len(after) == 1
    assert before != after


def test_an_edited_brand_yaml_restyles_the_next_render(layouts):
    before = render("<p>x</p>", load_brand(layouts, "default"), layouts)
    brand_yaml = layouts / "brands" / "default" / "brand.yaml"
    brand_yaml.write_text(brand_yaml.read_text(encoding="utf-8").replace('primary: "#16324f"', 'primary: "#8e44ad"'),
                          encoding="utf-8")
    after = render("<p>x</p>", load_brand(layouts, "default"), layouts)
    assert b'w:val="16324F"' in Package(before).raw["word/styles.xml"]
    assert b'w:val="16324F"' not in Package(after).raw["word/styles.xml"]
    assert b'w:val="8E44AD"' in Package(after).raw["word/styles.xml"]


def test_an_edited_reference_docx_is_picked_up_by_the_next_render(layouts):
    reference = layouts / "brands" / "harbor" / "reference.docx"
    write_reference_docx(reference, "Courier New")
    assert normal_font(render("<p>x</p>", load_brand(layouts, "harbor"), layouts)) == "Courier New"
    write_reference_docx(reference, "Georgia")
    assert normal_font(render("<p>x</p>", load_brand(layouts, "harbor"), layouts)) == "Georgia"


def test_non_breaking_spaces_survive_into_the_docx_text(layouts):
    brand = load_brand(layouts, "default")
    data = render('<p>10\u00a0000\u202f€ and a\u00a0\u00a0b</p><p>\u00a0indented\u00a0</p><p>\u00a0</p>'
                  '<ul><li><a href="https://example.com">Tidewater\u00a0Software</a></li></ul>', brand, layouts)
    texts = paragraph_texts(data)
    assert "10\u00a0000\u202f€ and a\u00a0\u00a0b" in texts
    assert "\u00a0indented\u00a0" in texts
    assert "\u00a0" in texts
    assert "Tidewater\u00a0Software" in texts


def test_html_white_space_still_collapses_to_one_space_and_is_trimmed_at_the_ends(layouts):
    brand = load_brand(layouts, "default")
    texts = paragraph_texts(render("<p>\n   one \t\r\n two\f  </p>", brand, layouts))
    assert "one two" in texts


def test_a_reference_docx_attached_to_an_outside_template_makes_no_draft_fetch_it(layouts):
    """Word fetches a document's attached template on opening; a reference.docx that names one on a
    server (or a UNC share) must not pass it on to every draft."""
    attached_template = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    reference = layouts / "brands" / "harbor" / "reference.docx"
    write_reference_docx(reference, "Georgia")
    ref = Document(str(reference))
    settings_part = ref.part._settings_part  # python-docx makes the part on first use and keeps it
    r_id = settings_part.relate_to("http://127.0.0.1:9/evil.dotm", attached_template,
                                       is_external=True)
    attached = OxmlElement("w:attachedTemplate")
    attached.set(qn("r:id"), r_id)
    settings_part.element.insert(0, attached)
    ref.save(str(reference))
    data = render("<p>x</p>", load_brand(layouts, "harbor"), layouts)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        every_part = b"".join(package.read(name) for name in package.namelist())
    assert b"127.0.0.1:9" not in every_part and b"attachedTemplate" not in every_part
    assert b'TargetMode="External"' not in every_part
    assert normal_font(data) == "Georgia"  # the styles still come from it


def table_styles(data: bytes) -> set[str]:
    styles = Package(data).xml("word/styles.xml")
    return {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style")) if s.get(qn("w:type")) == "table"}


def test_a_draft_defines_the_table_styles_it_uses_and_a_reference_docx_keeps_its_own(layouts):
    """python-docx's template defines Word's whole gallery of 100 table styles; a draft keeps the
    one it uses and the default it is based on (Word lists its built-in styles regardless). A
    designer's reference document is theirs: every style in it stays."""
    draft = render(RICH_BODY, load_brand(layouts, "default"), layouts)
    assert table_styles(draft) == {"TableNormal", "TableGrid"}
    assert len(Package(draft).raw["word/styles.xml"]) < 60_000
    write_reference_docx(layouts / "brands" / "harbor" / "reference.docx", "Georgia")
    designed = render(RICH_BODY, load_brand(layouts, "harbor"), layouts)
    assert {"TableGrid", "LightGrid-Accent1", "MediumShading1"} <= table_styles(designed)
