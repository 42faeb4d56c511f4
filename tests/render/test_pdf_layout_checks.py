"""Text never leaves the page unnoticed, and rendering many documents in one process stays exact.

Test pages are small HTML documents rendered with the real stylesheets of the default brand
(render_pdf applies them, as it does to every document) and read back with poppler, where a
reader's viewer would see the words. The renderer's own overflow findings are checked beside
what poppler sees.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from pdf_support import (DOCS, LAYOUTS, MM, PAGE_SIZES, REPO, brand_yaml, lines, pages_text, shipped_build, squash,
                         tool)
from pipeline.check.brands import LoadedBrand, load_brand
from pipeline.render.findings import LayoutFinding
from pipeline.render.pdf.fontconfig import fontconfig_file
from pipeline.render.pdf.writer import PdfJob, render_pdf

BRAND = "default"
TOLERANCE = 0.5  # pt, as the renderer's check allows
LONG_WORD = "Unterstützungsverwaltungsbeauftragter" * 5 + "abcdefghijklmnopqrstu"  # 206 characters
LONG_URL = ("https://careers.tidewater.example/jobs/platform/backend-engineer/apply/"
            "step-one/details?source=printed-job-description&campaign=spring&ref=role-pack")


def page_html(body: str) -> str:
    return (f"<!DOCTYPE html><html lang=\"en\"><head><title>Layout check</title></head>"
            f"<body class=\"job-description\">{body}</body></html>")


def render(body: str, brand: LoadedBrand | None = None,
           layouts: Path = LAYOUTS) -> tuple[bytes, list[str], list[LayoutFinding]]:
    brand = brand or load_brand(layouts, BRAND)
    return render_pdf(PdfJob(page_html(body), brand, layouts, (layouts,)))


def written(tmp_path: Path, data: bytes, name: str = "page.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def right_edges(pdf: Path) -> list[list[tuple[str, float]]]:
    """Per page, each word poppler reads with the x where it ends (pdf_support's words keep only
    where they start)."""
    root = etree.fromstring(tool("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-").encode("utf-8"),
                            etree.XMLParser(recover=True))
    return [[(w.text or "", float(w.get("xMax"))) for w in page.iter("{*}word")] for page in root.iter("{*}page")]


def text_right_edge(brand: str = BRAND) -> float:
    """Where the text area of a page ends, in points from the left edge of the paper."""
    width, _ = PAGE_SIZES[brand_yaml(brand)["page_size"]]
    return width - brand_yaml(brand)["margins_mm"]["right"] * MM


def words_past_the_text(pdf: Path) -> list[str]:
    limit = text_right_edge() + TOLERANCE
    return [word for page in right_edges(pdf) for word, right in page if right > limit]


class TestLongWordsAndUrlsWrap:
    def test_a_200_character_word_stays_inside_the_text_area(self, tmp_path: Path) -> None:
        data, _, findings = render(f"<p>Before the word {LONG_WORD} and after it.</p>")
        pdf = written(tmp_path, data)
        assert words_past_the_text(pdf) == []
        assert findings == []
        assert squash(LONG_WORD) in squash(pages_text(pdf)[0])

    def test_a_long_word_in_a_paragraph_is_still_hyphenated_by_its_language(self, tmp_path: Path) -> None:
        """Wrapping is the last resort: English hyphenation still breaks the long word first."""
        data, _, _ = render(f"<p>{LONG_WORD}</p>")
        assert any(line.endswith("-") for line in lines(pages_text(written(tmp_path, data), layout=True)[0]))

    def test_a_long_url_breaks_after_its_separators_without_a_hyphen_and_stays_inside(self, tmp_path: Path) -> None:
        data, _, findings = render(f'<p><a href="{LONG_URL}">{LONG_URL}</a></p>')
        pdf = written(tmp_path, data)
        assert words_past_the_text(pdf) == []
        assert findings == []
        pieces: list[str] = []
        for line in lines(pages_text(pdf, layout=True)[0]):
            if not LONG_URL.startswith("".join(pieces) + line):
                break
            pieces.append(line)
        assert "".join(pieces) == LONG_URL, f"a hyphen or space was added to the URL: {pieces}"
        assert len(pieces) > 1, "the URL fits one line; make it longer"
        assert all(piece[-1] in "/.?&=-" for piece in pieces[:-1]), pieces

    def test_a_long_word_in_a_fixed_width_table_cell_wraps_inside_the_cell(self, tmp_path: Path) -> None:
        data, _, findings = render(f'<table class="score"><tbody><tr><td>{LONG_WORD}</td><td>Notes</td>'
                                   f"<td>Plain</td></tr></tbody></table>")
        pdf = written(tmp_path, data)
        assert findings == []
        assert words_past_the_text(pdf) == []
        assert squash(LONG_WORD) in squash(pages_text(pdf, raw=True)[0])


class TestOverflowFindings:
    def test_a_long_word_that_widens_a_table_past_the_page_is_a_finding(self) -> None:
        """An automatic table is never narrower than its longest word, so the word is reported. (A word
        longer than 100 characters gets break opportunities in the PDF: pipeline/render/pdf/breaks.py.)"""
        word = LONG_WORD[:100]
        _, _, findings = render(f"<table><tbody><tr><th>Tool</th><td>{word}</td></tr></tbody></table>")
        assert word in [f.text for f in findings]
        finding = next(f for f in findings if f.text == word)
        assert finding.rule == "overflow"
        assert re.fullmatch(r"runs \d+ mm past the right edge of the text on page 1", finding.message)

    def test_an_element_wider_than_the_page_gives_a_finding_with_its_text_and_page(self, tmp_path: Path) -> None:
        sentence = ("This paragraph sits in a box far wider than the page, so its lines run off the right "
                    "edge of the sheet and no reader sees where they end.")
        data, _, findings = render(f"<p>First page.</p><div class=\"new-page\" style=\"width: 300mm\">"
                                   f"<p>{sentence}</p></div>")
        assert [f.text for f in findings] == [sentence]
        match = re.fullmatch(r"runs (\d+) mm past the right edge of the text on page 2", findings[0].message)
        assert match, findings[0].message
        seen = max(right for _, right in right_edges(written(tmp_path, data))[1]) - text_right_edge()
        assert seen > 0, "poppler sees the line inside the text area"
        assert int(match[1]) + 1 >= seen / MM, "poppler sees the line run further than the finding says"

    def test_a_line_past_its_table_cell_is_a_finding_even_inside_the_page(self) -> None:
        line = "Stays on one line whatever the width of its cell is"
        _, _, findings = render(f'<table class="score"><tbody><tr><td><span style="white-space: nowrap">{line}'
                                f"</span></td><td>x</td><td>y</td><td>z</td></tr></tbody></table>")
        assert len(findings) == 1
        assert findings[0].text == line
        assert re.fullmatch(r"runs \d+ mm past the right edge of its table cell on page 1", findings[0].message)

    def test_text_that_fits_gives_no_finding(self) -> None:
        assert render("<p>A short paragraph.</p><table><tr><th>Tool</th><td>Notes</td></tr></table>")[2] == []

    def test_the_shipped_documents_give_no_findings(self, tmp_path_factory) -> None:
        """Every shipped document, in the one build of them the suite shares: the build reports
        each layout finding (and each renderer warning) it met, with its rule."""
        build = shipped_build(tmp_path_factory)
        assert build.exit_code == 0, build.stderr
        assert len(list(build.out.rglob("*.pdf"))) == len(DOCS)
        assert [line for line in build.stderr.splitlines() if line.endswith(("[overflow]", "[render-warning]"))] == []


RENDER_ONCE = """
import hashlib, sys
sys.path.insert(0, {repo!r})
from pipeline.check.brands import load_brand
from pipeline.render.pdf.writer import PdfJob, render_pdf
from pathlib import Path
layouts = Path({layouts!r})
html = Path({html!r}).read_text(encoding="utf-8")
print(hashlib.sha256(render_pdf(PdfJob(html, load_brand(layouts, {brand!r}), layouts, (layouts,)))[0]).hexdigest())
"""


class TestReproducibleBytes:
    BODY = f"<h1>Same input</h1><p>Same bytes, {LONG_WORD}.</p><table><tr><th>A</th><td>B</td></tr></table>"

    def test_two_renders_in_one_process_give_identical_bytes(self) -> None:
        assert render(self.BODY)[0] == render(self.BODY)[0]

    def test_a_render_in_a_fresh_process_gives_the_same_bytes(self, tmp_path: Path) -> None:
        html = tmp_path / "page.html"
        html.write_text(page_html(self.BODY), encoding="utf-8")
        script = RENDER_ONCE.format(repo=str(REPO), layouts=str(LAYOUTS), html=str(html), brand=BRAND)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == hashlib.sha256(render(self.BODY)[0]).hexdigest()

    def test_streams_are_deflated_at_zlib_level_6(self, tmp_path: Path) -> None:
        """pydyf's level 9 costs a third more time for ~3 % fewer bytes; the level is 6."""
        pdf = pikepdf.open(written(tmp_path, render(self.BODY)[0]))
        contents = pdf.pages[0].obj.Contents
        assert contents.get("/Filter") == pikepdf.Name.FlateDecode
        assert contents.read_raw_bytes() == zlib.compress(contents.read_bytes(), 6)


@pytest.fixture
def layouts_with_bad_css(tmp_path: Path) -> Path:
    """A copy of the layouts whose default brand adds a brand.css with a property CSS does not have."""
    copy = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, copy)
    (copy / "brands" / BRAND / "brand.css").write_text("p { colour: red; }\n", encoding="utf-8")
    return copy.resolve()


class TestWarningsOfCachedStylesheets:
    def test_css_warnings_are_reported_for_every_document_that_uses_the_sheet(self, layouts_with_bad_css) -> None:
        brand = load_brand(layouts_with_bad_css, BRAND)
        reports = [render(body, brand, layouts_with_bad_css)[1] for body in ("<p>One.</p>", "<p>Two.</p>",
                                                                             "<p>One.</p>")]
        assert all(any("colour" in w for w in report) for report in reports), reports
        assert reports[0] == reports[1] == reports[2]

    def test_a_changed_stylesheet_is_compiled_afresh(self, layouts_with_bad_css) -> None:
        sheet = layouts_with_bad_css / "brands" / BRAND / "brand.css"
        before = render("<p>One.</p>", load_brand(layouts_with_bad_css, BRAND), layouts_with_bad_css)[1]
        sheet.write_text("p { colr: red; }\n", encoding="utf-8")
        after = render("<p>One.</p>", load_brand(layouts_with_bad_css, BRAND), layouts_with_bad_css)[1]
        assert any("colour" in w for w in before) and not any("colour" in w for w in after)
        assert any("colr" in w for w in after)


class TestFontconfigFile:
    def test_the_fontconfig_files_of_two_font_folders_differ(self, tmp_path: Path) -> None:
        first, second = tmp_path / "one" / "fonts", tmp_path / "two" / "fonts"
        for folder in (first, second):
            shutil.copytree(LAYOUTS / "fonts" / "Inter", folder / "Inter")
        confs = [fontconfig_file(first), fontconfig_file(second)]
        assert confs[0] != confs[1]
        assert f"<dir>{first.resolve()}</dir>" in confs[0].read_text(encoding="utf-8")
        assert f"<dir>{second.resolve()}</dir>" in confs[1].read_text(encoding="utf-8")

    def test_the_fontconfig_file_changes_when_a_font_in_the_folder_changes(self, tmp_path: Path) -> None:
        fonts = tmp_path / "fonts"
        shutil.copytree(LAYOUTS / "fonts" / "Inter", fonts / "Inter")
        before = fontconfig_file(fonts)
        font = next(p for p in sorted((fonts / "Inter").iterdir()) if p.is_file())
        font.write_bytes(font.read_bytes() + b"\0")
        assert fontconfig_file(fonts) != before

    def test_the_file_with_the_system_fonts_lists_the_bundle_and_the_system(self) -> None:
        text = fontconfig_file(include_system=True).read_text(encoding="utf-8")
        assert "/etc/fonts/fonts.conf" in text
        assert f"<dir>{(LAYOUTS / 'fonts').resolve()}</dir>" in text
        assert fontconfig_file(include_system=True) != fontconfig_file()
