"""The HTML → Word writer on small hand-written pages, and the errors that stop a build.

blocks.py lists the HTML the writer supports; anything else must stop the build with a message
naming the layout and the element, because a feature one writer cannot express is a visible
error, never a silent drop. A brand's reference.docx must carry every style the writer uses.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pypandoc
import pytest
from lxml import etree
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from conftest import outputs, rolepack, with_demo_brands
from docx_support import NS, REPO, Package, docx_path, snapshot_sources
from pipeline import cli
from pipeline.check.brands import load_brand
from pipeline.check.catalogue import load_catalogue
from pipeline.render.docx.blocks import bookmark_name
from pipeline.render.docx.writer import DocxJob, render_docx
from pipeline.render.errors import RenderError
from pipeline.source.markdown import inline

# The shipped content carries real dates (reviewed, salary data), so it is checked against the real clock.
TODAY = dt.date.today()

LAYOUTS = REPO / "layouts"
ISSUED = dt.date(2025, 3, 4)
W14_CHECKBOX = f"{{{NS['w14']}}}checkbox"


def page(body: str, *, title: bool = True) -> str:
    heading = '<h1 class="doc-title">Test role</h1>' if title else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test page</title></head>'
            f'<body class="job-description">\n{heading}\n{body}\n</body></html>')


def render(body: str, kind: str = "job-description", brand: str = "default", *, title: bool = True) -> bytes:
    html = page(body, title=title)
    data, warnings = render_docx(DocxJob(html, load_brand(LAYOUTS, brand), kind, ISSUED))
    assert warnings == []
    return data


def render_fails(body: str, kind: str = "job-description") -> str:
    with pytest.raises(RenderError) as caught:
        render(body, kind)
    return str(caught.value)


def paragraphs(data: bytes) -> list:
    return list(Package(data).document.find("w:body", NS).iter(qn("w:p")))


def text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def paragraph_with(data: bytes, words: str):
    found = [p for p in paragraphs(data) if words in text(p)]
    assert len(found) == 1, words
    return found[0]


# Unsupported HTML is an error naming the layout and the element ----------------------------

@pytest.mark.parametrize("element", [
    '<video src="clip.mp4" controls></video>',
    '<iframe src="https://example.com/embed"></iframe>',
    '<canvas width="10" height="10"></canvas>',
    "<blockquote><p>Quoted</p></blockquote>",
])
@pytest.mark.parametrize("kind", ["job-description", "hiring-guide"])
def test_an_unsupported_block_element_names_the_layout_and_the_element(element, kind):
    tag = element[1:].split(" ", 1)[0].split(">", 1)[0]
    message = render_fails(f"<section>{element}</section>", kind)
    assert f"layouts/{kind}.html.j2" in message
    assert f"<{tag}>" in message
    assert "not supported" in message


def test_an_unsupported_inline_element_names_the_layout_and_the_element():
    message = render_fails("<p>Run <code>make</code> first.</p>")
    assert "layouts/job-description.html.j2" in message and "<code>" in message


def test_an_image_without_alt_text_is_refused():
    message = render_fails('<p>Logo:</p><img src="brands/default/logo.svg">')
    assert "layouts/job-description.html.j2" in message
    assert "<img>" in message and "alt" in message


def test_an_image_from_outside_the_layouts_folder_is_refused():
    with pytest.raises(RenderError, match="not a file inside"):
        render('<img src="../pyproject.toml" alt="escape">')


def test_loose_text_outside_a_paragraph_is_refused():
    message = render_fails("<section>Loose words<p>and a paragraph</p></section>")
    assert "<section>" in message and "wrap it in a <p>" in message


# What the supported HTML becomes -----------------------------------------------------------

LISTS = """
<ol><li>First step<ul><li>A detail</li><li>Another detail</li></ul></li><li>Second step</li></ol>
<p>Between the lists.</p>
<ol><li>Again one</li><li>Again two</li></ol>
<ul><li>A bullet</li></ul>
"""


def _numbering(data: bytes):
    package = Package(data)
    numbering = package.xml("word/numbering.xml")
    nums = {n.get(qn("w:numId")): n for n in numbering.findall("w:num", NS)}
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall("w:abstractNum", NS)}
    items = []
    for p in paragraphs(data):
        num_pr = p.find("w:pPr/w:numPr", NS)
        if num_pr is None:
            continue
        num_id = num_pr.find("w:numId", NS).get(qn("w:val"))
        level = num_pr.find("w:ilvl", NS).get(qn("w:val"))
        num = nums[num_id]
        abstract = abstracts[num.find("w:abstractNumId", NS).get(qn("w:val"))]
        fmt = abstract.find(f"w:lvl[@w:ilvl='{level}']/w:numFmt", NS).get(qn("w:val"))
        style = p.find("w:pPr/w:pStyle", NS).get(qn("w:val"))
        items.append((text(p), num_id, int(level), fmt, style, num))
    return items


def test_every_html_list_gets_its_own_word_numbering_and_each_ol_restarts_at_one():
    items = _numbering(render(LISTS))
    assert [t for t, *_ in items] == ["First step", "A detail", "Another detail", "Second step",
                                      "Again one", "Again two", "A bullet"]
    ids = [num_id for _, num_id, *_ in items]
    first_ol, nested, second_ol, bullets = ids[0], ids[1], ids[4], ids[6]
    assert ids == [first_ol, nested, nested, first_ol, second_ol, second_ol, bullets]
    assert len({first_ol, nested, second_ol, bullets}) == 4
    assert [level for _, _, level, *_ in items] == [0, 1, 1, 0, 0, 0, 0]
    assert [fmt for *_, fmt, _, _ in items] == ["decimal", "bullet", "bullet", "decimal", "decimal", "decimal",
                                                "bullet"]
    assert [style for *_, style, _ in items] == ["ListNumber", "ListBullet", "ListBullet", "ListNumber",
                                                  "ListNumber", "ListNumber", "ListBullet"]
    for text_, _, _, fmt, _, num in items:
        if fmt == "decimal":
            override = num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS)
            assert override is not None and override.get(qn("w:val")) == "1", text_


def test_pandoc_sees_two_ordered_lists_each_starting_at_one(tmp_path):
    path = tmp_path / "lists.docx"
    path.write_bytes(render(LISTS))
    ast = json.loads(pypandoc.convert_file(str(path), "json"))
    ordered = [b["c"] for b in ast["blocks"] if b["t"] == "OrderedList"]
    assert [attrs[0] for attrs, _ in ordered] == [1, 1]
    assert [len(items) for _, items in ordered] == [2, 2]


def test_a_checkbox_span_becomes_an_unticked_checkbox_control_named_by_its_label():
    data = render('<table><tbody><tr><td><span class="checkbox" role="checkbox" aria-checked="false" '
                  'aria-label="Decision: hire"></span> Hire</td></tr></tbody></table>')
    controls = [s for s in Package(data).document.iter(qn("w:sdt")) if s.find("w:sdtPr/w14:checkbox", NS) is not None]
    assert len(controls) == 1
    assert controls[0].find("w:sdtPr/w:alias", NS).get(qn("w:val")) == "Decision: hire"
    assert controls[0].find("w:sdtPr/w14:checkbox/w14:checked", NS).get(f"{{{NS['w14']}}}val") == "0"
    assert text(controls[0]) == "\u2610"


def test_table_header_rows_repeat_and_colspan_merges_cells():
    data = render("<table><thead><tr><th>A</th><th>B</th></tr></thead>"
                  "<tbody><tr><th colspan=\"2\">Both</th></tr><tr><td>1</td><td>2</td></tr></tbody></table>")
    table = Package(data).document.find("w:body/w:tbl", NS)
    rows = table.findall("w:tr", NS)
    assert [r.find("w:trPr/w:tblHeader", NS) is not None for r in rows] == [True, False, False]
    assert [[text(c) for c in r.findall("w:tc", NS)] for r in rows] == [["A", "B"], ["Both"], ["1", "2"]]
    assert rows[1].find("w:tc/w:tcPr/w:gridSpan", NS).get(qn("w:val")) == "2"


def _look(table) -> dict[str, str]:
    look = table.find("w:tblPr/w:tblLook", NS)
    return {k: look.get(qn(f"w:{k}")) for k in ("firstRow", "firstColumn")}


def test_a_caption_names_the_table_and_its_th_say_which_edges_are_headers():
    data = render("<table class=\"score\"><caption>System design</caption><thead><tr><th>1 · No</th><th>2 · Yes</th></tr>"
                  "</thead><tbody><tr><td>Guesses</td><td>Measures</td></tr></tbody></table>"
                  "<table><tbody><tr><th scope=\"row\">Candidate</th><td></td></tr></tbody></table>"
                  "<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>")
    body = Package(data).document.find("w:body", NS)
    score, form, layout = body.findall("w:tbl", NS)
    caption = score.getprevious()
    assert text(caption) == "System design" and caption.find("w:pPr/w:keepNext", NS) is not None
    assert caption.find("w:r/w:rPr/w:b", NS) is not None
    assert score.find("w:tblPr/w:tblCaption", NS).get(qn("w:val")) == "System design"
    assert _look(score) == {"firstRow": "1", "firstColumn": "0"}
    assert score.find("w:tr/w:tc/w:tcPr/w:shd", NS) is None  # a form's choices: no dark band
    assert _look(form) == {"firstRow": "0", "firstColumn": "1"}
    assert _look(layout) == {"firstRow": "0", "firstColumn": "0"}


def test_a_paragraph_with_a_text_area_is_its_label_then_a_box_of_one_cell():
    data = render('<p class="evidence"><span class="evidence-label">Evidence</span>'
                  '<textarea name="r/s/evidence/design" title="Evidence for design"></textarea></p>')
    body = Package(data).document.find("w:body", NS)
    box = body.find("w:tbl", NS)
    label = box.getprevious()
    assert text(label) == "Evidence" and label.find("w:pPr/w:keepNext", NS) is not None
    assert len(box.findall("w:tr", NS)) == 1 and len(box.findall("w:tr/w:tc", NS)) == 1
    assert _look(box) == {"firstRow": "0", "firstColumn": "0"}
    control = box.find("w:tr/w:tc/w:p/w:sdt", NS)
    assert control.find("w:sdtPr/w:tag", NS).get(qn("w:val")) == "r/s/evidence/design"
    assert control.find("w:sdtPr/w:alias", NS).get(qn("w:val")) == "Evidence for design"
    borders = box.find("w:tblPr/w:tblBorders", NS)
    assert {side: borders.find(f"w:{side}", NS).get(qn("w:val")) for side in ("top", "left", "bottom", "right")} == {
        "top": "single", "left": "single", "bottom": "single", "right": "single"}


def test_bold_italic_and_line_breaks_are_kept():
    data = render("<p>Plain <strong>bold</strong> <em>italic</em><br>next line</p>")
    p = paragraph_with(data, "bold")
    runs = {text(r): r for r in p.findall("w:r", NS) if text(r)}
    assert runs["bold"].find("w:rPr/w:b", NS) is not None
    assert runs["italic"].find("w:rPr/w:i", NS) is not None
    assert p.find("w:r/w:br", NS) is not None
    assert text(p) == "Plain bold italicnext line"


def test_an_address_typed_as_text_is_a_run_word_and_libreoffice_do_not_hyphenate_and_reads_back_as_typed():
    data = render(f"<p>Write to {inline('jobs@frischekiste.example')} by Friday.</p>")
    p = paragraph_with(data, "jobs@")
    address = next(r for r in p.findall("w:r", NS) if text(r) == "jobs@frischekiste.example")
    assert address.find("w:rPr/w:noProof", NS) is not None  # Word hyphenates no text it does not proofread
    assert address.find("w:rPr/w:lang", NS).get(qn("w:val")) == "zxx"  # LibreOffice none in no language
    others = [r for r in p.findall("w:r", NS) if r is not address]
    assert others and all(r.find("w:rPr/w:lang", NS) is None for r in others)
    assert text(p) == "Write to jobs@frischekiste.example by Friday."


def test_a_web_link_becomes_a_hyperlink_and_an_unsafe_one_stays_plain_text():
    data = render('<p>See <a href="https://example.com/jobs">our jobs</a> and '
                  '<a href="javascript:alert(1)">this</a>.</p>')
    package = Package(data)
    p = paragraph_with(data, "our jobs")
    links = p.findall("w:hyperlink", NS)
    assert [text(link) for link in links] == ["our jobs"]
    targets = package.relationships("word/document.xml")
    assert targets[links[0].get(qn("r:id"))] == "https://example.com/jobs"
    assert not any("javascript" in t for t in targets.values())
    assert "this" in text(p)


def test_a_link_to_a_fragment_is_an_internal_hyperlink_to_the_headings_bookmark():
    """blocks.py: `a (hyperlink; #fragment = internal)`."""
    data = render('<h2 id="scorecard">Scorecard</h2><p>Fill in the <a href="#scorecard">scorecard</a>.</p>')
    heading = paragraph_with(data, "Scorecard")
    bookmark = heading.find("w:bookmarkStart", NS)
    assert bookmark is not None and bookmark.get(qn("w:name")) == bookmark_name("scorecard")
    link = paragraph_with(data, "Fill in").find("w:hyperlink", NS)
    assert link is not None, "the #fragment link was written as plain text"
    assert link.get(qn("w:anchor")) == bookmark_name("scorecard")


def test_a_new_page_section_starts_on_a_new_page_except_at_the_very_start():
    data = render('<section class="new-page"><p>Opening words.</p></section>'
                  '<section class="new-page"><h2>Second part</h2><p>More.</p></section>', title=False)
    assert paragraph_with(data, "Second part").find("w:pPr/w:pageBreakBefore", NS) is not None
    assert paragraph_with(data, "Opening words.").find("w:pPr/w:pageBreakBefore", NS) is None


# Builds that must stop, writing nothing ----------------------------------------------------

@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Private copies of content/ and layouts/ to break, and a fixed today."""
    monkeypatch.setattr(cli.commands, "_today", lambda: TODAY)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return snapshot_sources(tmp_path)


def build(sources, out: Path, *extra: str):
    content, layouts = sources
    return rolepack("build", "--content", str(content), "--layouts", str(layouts), "--out", str(out),
                    "--role", "backend-engineer", "--brand", "default", *extra)


def insert_after_title(layouts: Path, kind: str, markup: str) -> None:
    layout = layouts / f"{kind}.html.j2"
    source = layout.read_text(encoding="utf-8")
    marker = '<h1 class="doc-title" data-src="role:title">{{ role.title }}</h1>'
    assert marker in source
    layout.write_text(source.replace(marker, marker + "\n" + markup, 1), encoding="utf-8")


@pytest.mark.parametrize("markup, element", [
    ('<iframe src="https://example.com/embed" title="Team video"></iframe>', "<iframe>"),
    ('<video src="clip.mp4"></video>', "<video>"),
    ('<img src="{{ logo }}">', "<img>"),
])
def test_a_layout_the_docx_writer_cannot_express_fails_the_build_and_writes_nothing(sources, tmp_path, markup, element):
    insert_after_title(sources[1], "job-description", markup)
    out = tmp_path / "out"
    run = build(sources, out, "--format", "docx")
    assert run.exit_code == 2, run.stderr
    assert "Build failed; no output was changed" in run.stderr
    assert "layouts/job-description.html.j2" in run.stderr and element in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_a_failing_docx_keeps_the_pdfs_and_earlier_outputs_unwritten(sources, tmp_path):
    out = tmp_path / "out"
    assert build(sources, out, "--format", "docx").exit_code == 0
    before = outputs(out)
    insert_after_title(sources[1], "hiring-guide", '<iframe src="https://example.com/embed"></iframe>')
    run = build(sources, out, "--format", "pdf", "--format", "docx")
    assert run.exit_code == 2, run.stderr
    assert "layouts/hiring-guide.html.j2" in run.stderr and "<iframe>" in run.stderr
    assert outputs(out) == before
    assert not list(out.rglob("*.pdf"))


def reference_docx(path: Path, *, without: tuple[str, ...] = (), normal_font: str = "Courier New") -> None:
    """A designer's reference document: python-docx's default styles plus the ones rolepack uses."""
    ref = Document()
    for name in ("TOC 2", "Small Print", "Kicker", "Lead", "Question"):
        ref.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    ref.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    ref.styles["Normal"].font.name = normal_font
    for name in without:
        ref.styles[name].delete()
    ref.add_paragraph("Designer's sample text that must not reach the output.")
    ref.save(str(path))


@pytest.mark.parametrize("missing", [("Heading 2",), ("Small Print", "Table Grid")])
def test_a_reference_docx_lacking_a_style_fails_the_build_naming_the_style(sources, tmp_path, missing):
    reference = sources[0] / "brands" / "default" / "reference.docx"
    reference_docx(reference, without=missing)
    out = tmp_path / "out"
    run = build(sources, out, "--format", "docx")
    assert run.exit_code == 2, run.stderr
    for name in missing:
        assert repr(name) in run.stderr
    assert "'Normal'" not in run.stderr and "'Heading 1'" not in run.stderr
    assert "reference.docx" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_a_complete_reference_docx_supplies_the_styles_instead_of_brand_yaml(sources, tmp_path):
    reference_docx(sources[0] / "brands" / "default" / "reference.docx", normal_font="Courier New")
    out = tmp_path / "out"
    run = build(sources, out, "--format", "docx")
    assert run.exit_code == 0, run.stderr
    title = load_catalogue(sources[0], today=TODAY).roles["backend-engineer"].title
    for kind in ("job-description", "hiring-guide"):
        doc = Document(str(docx_path(out, "default", "backend-engineer", kind)))
        assert doc.styles["Normal"].font.name == "Courier New"
        assert not any("Designer's sample" in p.text for p in doc.paragraphs)
        assert title in [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


def test_the_writer_itself_names_every_missing_reference_style(tmp_path):
    layouts = tmp_path / "layouts"
    shutil.copytree(LAYOUTS / "brands", layouts / "brands")
    shutil.copytree(LAYOUTS / "fonts", layouts / "fonts")
    with_demo_brands(layouts)
    reference_docx(layouts / "brands" / "harbor" / "reference.docx", without=("Heading 3", "Lead"))
    brand = load_brand(layouts, "harbor")
    with pytest.raises(RenderError) as caught:
        render_docx(DocxJob(page("<p>x</p>"), brand, "job-description", ISSUED))
    assert "'Heading 3'" in str(caught.value) and "'Lead'" in str(caught.value)
    assert "reference.docx" in str(caught.value)


@pytest.mark.parametrize(("tag", "word"), [("en", "en-US"), ("en-GB", "en-GB"), ("fr", "fr-FR"), ("de", "de-DE"),
                                          ("es", "es-ES"), ("es-MX", "es-MX"), ("zh-Hant", "zh-TW"), ("qq", "qq")])
def test_word_gets_the_region_a_language_tag_implies(tag: str, word: str) -> None:
    """Word proofs by region: British spelling under a bare `en` would be marked as US misspellings."""
    from pipeline.render.docx.styles import regional

    assert regional(tag) == word


def test_two_tables_in_a_row_stay_two_tables():
    """Word and LibreOffice would read two adjacent tables as one, the second under the first's grid."""
    data = render('<p class="evidence"><span>Evidence</span><textarea name="a" title="Evidence"></textarea></p>'
                  "<table><tbody><tr><th>Overall</th><td>Yes</td><td>No</td></tr></tbody></table>"
                  "<table><tbody><tr><td>Second</td></tr></tbody></table>")
    body = Package(data).document.find("w:body", NS)
    kinds = [etree.QName(child).localname for child in body if etree.QName(child).localname != "sectPr"]
    assert kinds.count("tbl") == 3
    assert "tbl" not in {a for a, b in zip(kinds, kinds[1:]) if a == b}, kinds
