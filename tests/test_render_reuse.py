"""What the PDF renderer reuses within a document changes no byte of it.

Three shortcuts make a PDF faster without changing what WeasyPrint would write: each line is
broken once per document however many times WeasyPrint lays it out (line_breaks); brand values
that are the same everywhere are written into the rules that read them through var()
(custom_properties); and pydyf turns each object into bytes once, where the file identifier made
it do so twice (pdf). Every test that compares renders them against the plain path: WeasyPrint
and pydyf on their own, on the sheets as written.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
import tinycss2
from weasyprint import CSS, HTML
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes

import pipeline.render.pdf as pdf_renderer
from pdf_support import BRANDS, LAYOUTS, ROLES, catalogue, issued
from pipeline.check.brands import load_brand
from pipeline.render import line_breaks
from pipeline.render.custom_properties import fixed_values, written_in
from pipeline.render.html import Document, render_html
from pipeline.render.pdf import PdfJob, render_pdf
from pipeline.render.swapped import swapped

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><title>Reuse</title></head>
<body class="job-description"><div class="jd">{body}</div></body></html>"""

NARROW_LIST = """<h2>Was Sie mitbringen</h2><ul class="two-col rows-3">
<li>Erfahrung mit Datenschutzgrundverordnungskonformität und Informationssicherheitsmanagementsystemen.</li>
<li>Sie entwickeln Schnittstellenspezifikationen gemeinsam mit Produktverantwortlichen.</li>
<li>Kurz.</li>
<li>Betriebsverantwortung für hochverfügbare Zahlungsverkehrsinfrastruktur im Bereitschaftsdienst.</li>
<li>Versionsverwaltung, Continuous Integration und Infrastruktur als Code.</li>
</ul><ul class="facts"><li><strong>Abteilung</strong> Plattformentwicklung</li></ul>"""

REPEATED_HEADER = ("<style>th div { line-clamp: 1; }</style><table><thead><tr><th><div>"
                   + "A heading long enough to need two lines in its narrow cell, and more words still, and then"
                     " a great many more words so that it wraps for certain onto a second line"
                   + "</div></th><th>Notes</th></tr></thead><tbody>"
                   + "".join(f"<tr><td>Row {n}</td><td>Some words</td></tr>" for n in range(120))
                   + "</tbody></table>")
"""A table over several pages: its header is laid out again, the same text at the same width, on
every page, and each copy is drawn."""


@contextlib.contextmanager
def plain_path() -> Iterator[None]:
    """Render as WeasyPrint alone would: every line broken afresh, the sheets as written, every
    object serialized as often as pydyf asks."""
    pdf_renderer._compiled.cache_clear()
    try:
        with (swapped(pdf_renderer, "lines_broken_once", contextlib.nullcontext),
              swapped(pdf_renderer, "written_in", lambda sheets: None),
              swapped(pdf_renderer, "_write_each_object_once", lambda document, pdf: None)):
            yield
    finally:
        pdf_renderer._compiled.cache_clear()


def both_ways(job: PdfJob) -> tuple[bytes, bytes]:
    reused = render_pdf(job)[0]
    with plain_path():
        plain = render_pdf(job)[0]
    return reused, plain


def shipped_job(brand_slug: str, role_slug: str, kind: str) -> PdfJob:
    cat = catalogue()
    brand = load_brand(LAYOUTS, brand_slug)
    titles = {slug: r.title for slug, r in cat.roles.items()}
    html = render_html(Document(kind, cat.roles[role_slug], cat.company, brand, issued(role_slug), titles), LAYOUTS)
    return PdfJob(html, brand, LAYOUTS, (LAYOUTS,))


def page_job(body: str, lang: str = "en") -> PdfJob:
    return PdfJob(PAGE.format(body=body, lang=lang), load_brand(LAYOUTS, "default"), LAYOUTS, (LAYOUTS,))


class TestTheSameBytes:
    @pytest.mark.parametrize("brand", BRANDS)
    @pytest.mark.parametrize("role", ROLES)
    def test_every_shipped_job_description(self, brand: str, role: str) -> None:
        reused, plain = both_ways(shipped_job(brand, role, "job-description"))
        assert reused == plain

    @pytest.mark.parametrize("brand", BRANDS)
    def test_a_hiring_guide_in_every_brand(self, brand: str) -> None:
        reused, plain = both_ways(shipped_job(brand, "backend-engineer", "hiring-guide"))
        assert reused == plain

    @pytest.mark.parametrize("variant", ["pdf/a-3b", "pdf/a-3u"])
    def test_an_archival_job_description_with_its_data_attached(self, variant: str) -> None:
        job = shipped_job("default", "backend-engineer", "job-description")
        archival = PdfJob(job.html, job.brand, job.layouts, job.allowed, variant=variant,
                          data=b'{"title": "Backend Engineer"}', issued=issued("backend-engineer"))
        reused, plain = both_ways(archival)
        assert reused == plain
        assert list(pikepdf.open(io.BytesIO(plain)).attachments) == ["role.json"]

    def test_narrow_columns_of_long_hyphenated_words_and_letter_spaced_labels(self) -> None:
        reused, plain = both_ways(page_job(NARROW_LIST, lang="de"))
        assert reused == plain

    def test_a_clamped_header_repeated_on_every_page_ends_in_one_ellipsis_on_each(self) -> None:
        # Drawing a clamped line writes its ellipsis into the line's layout.
        reused, plain = both_ways(page_job(REPEATED_HEADER))
        assert reused == plain

    def test_markup_that_declares_a_brand_value_again_keeps_it(self) -> None:
        body = '<p style="--accent: #c0392b">A <a href="https://example.org/">red link</a>.</p>'
        reused, plain = both_ways(page_job(body))
        assert reused == plain
        assert pdf_renderer._DECLARES_CUSTOM_PROPERTY.search(PAGE.format(body=body, lang="en"))


def test_pydyf_serializes_each_stream_once_while_it_writes() -> None:
    import pydyf

    times: Counter[int] = Counter()
    original = pydyf.Stream.__dict__["data"]

    def counted(self: pydyf.Stream) -> bytes:
        times[id(self)] += 1
        return original.fget(self)

    with swapped(pydyf.Stream, "data", property(counted)):
        render_pdf(shipped_job("default", "backend-engineer", "job-description"))
        once = max(times.values())
        times.clear()
        with plain_path():
            render_pdf(shipped_job("default", "backend-engineer", "job-description"))
        plainly = max(times.values())
    assert (once, plainly) == (1, 2)  # pydyf alone deflates each stream again to hash the file
    assert pydyf.Stream.__dict__["data"] is original


class TestLinesBrokenOnce:
    @staticmethod
    def breaks_of(html: str) -> int:
        """How many times WeasyPrint's own line breaker ran while `html` was laid out."""
        import weasyprint.layout.inline as inline

        calls = 0
        original = inline.split_first_line

        def counted(*args: object, **kwargs: object) -> object:
            nonlocal calls
            calls += 1
            return original(*args, **kwargs)

        with swapped(inline, "split_first_line", counted):
            render_pdf(PdfJob(html, load_brand(LAYOUTS, "default"), LAYOUTS, (LAYOUTS,)))
        return calls

    def test_a_two_column_list_has_its_lines_broken_once(self) -> None:
        html = PAGE.format(body=NARROW_LIST, lang="de")
        reused = self.breaks_of(html)
        with plain_path():
            plain = self.breaks_of(html)
        # The grid lays each of the five items out twice; every item has one line or more.
        assert plain - reused >= 5

    def test_a_header_repeated_on_every_page_gets_a_layout_of_its_own(self) -> None:
        with line_breaks.lines_broken_once():
            document = HTML(string=REPEATED_HEADER).render()
        assert len(document.pages) >= 3
        layouts = []
        stack = [page._page_box for page in document.pages]
        while stack:
            box = stack.pop()
            if isinstance(box, boxes.TextBox):
                layouts.append(id(box.pango_layout))
            stack.extend(getattr(box, "children", ()))
        assert len(set(layouts)) == len(layouts)

    def test_outside_a_document_weasyprint_breaks_lines_itself(self) -> None:
        import weasyprint.layout.inline as inline

        before = inline.split_first_line
        with line_breaks.lines_broken_once():
            assert inline.split_first_line is not before
        assert inline.split_first_line is before


def style(letter_spacing: object = "normal", zone: Dimension = Dimension(0, "px"), size: float = 12.0) -> dict:
    return {"letter_spacing": letter_spacing, "hyphenate_limit_zone": zone, "font_size": size}


UNIT = 1 / 1024  # Pango's


class TestWidthsThatBreakAlike:
    def test_widths_a_rounding_error_apart_break_alike(self) -> None:
        assert line_breaks.same_breaks(300.90649636389867, 300.90649678110253, style())

    def test_a_pango_unit_between_two_widths_can_change_the_line(self) -> None:
        edge = 300 + 7 * UNIT
        assert not line_breaks.same_breaks(edge - 1e-9, edge + 1e-9, style())
        assert not line_breaks.same_breaks(edge, edge + 1e-9, style())

    def test_letter_spacing_moves_the_edges(self) -> None:
        edge = 300 + 7 * UNIT + 0.3
        assert line_breaks.same_breaks(edge - 1e-9, edge + 1e-9, style())
        assert not line_breaks.same_breaks(edge - 1e-9, edge + 1e-9, style(letter_spacing=0.3))

    def test_a_hyphenation_zone_moves_them_too(self) -> None:
        edge = 300 + 7 * UNIT + 2.1
        assert not line_breaks.same_breaks(edge - 1e-9, edge + 1e-9, style(zone=Dimension(2.1, "px")))

    def test_a_zone_in_percent_depends_on_the_width_so_only_equal_widths_match(self) -> None:
        percent = style(zone=Dimension(8, "%"))
        assert line_breaks.same_breaks(300.5, 300.5, percent)
        assert not line_breaks.same_breaks(300.5, 300.5 + 1e-9, percent)

    def test_how_much_text_is_shaped_first_depends_on_the_font_size(self) -> None:
        # Below 4 font sizes WeasyPrint shapes one word; then width / size × 4 characters.
        assert not line_breaks.same_breaks(41.2 - 1e-9, 41.2 + 1e-9, style(size=10.3))
        assert not line_breaks.same_breaks(7.725 - 1e-9, 7.725 + 1e-9, style(size=10.3))

    def test_no_width_only_matches_no_width(self) -> None:
        assert line_breaks.same_breaks(None, None, style())
        assert not line_breaks.same_breaks(None, 300.0, style())
        assert not line_breaks.same_breaks(0.0, 1e-9, style())


ROOT = ":root { --accent: #0f7a8a; --muted: #5b6878; }"


def values(*sheets: str) -> dict[str, str]:
    return {name: tinycss2.serialize(value) for name, value in fixed_values(sheets).items()}


class TestFixedBrandValues:
    def test_a_value_declared_once_on_root_is_fixed(self) -> None:
        assert values(ROOT, "a { color: var(--accent); }") == {"--accent": "#0f7a8a", "--muted": "#5b6878"}

    def test_a_value_declared_again_anywhere_is_left_to_weasyprint(self) -> None:
        assert "--accent" not in values(ROOT, ":root { --accent: #c0392b; }")
        assert "--accent" not in values(ROOT, ".note { --accent: #c0392b; }")
        assert "--accent" not in values(ROOT, "@media print { :root { --accent: #c0392b; } }")

    def test_important_values_and_values_made_of_functions_are_left_to_weasyprint(self) -> None:
        assert values(":root { --accent: #0f7a8a !important; --muted: var(--accent); --text: rgb(1, 2, 3); }") == {}

    def test_every_var_of_a_fixed_value_is_written_in_fallback_or_not(self) -> None:
        out = written_in([ROOT, "a { color: var(--accent); border: 1pt solid var( --muted , black); }"
                                "@page { @top-left { color: var(--muted); } } p { color: var(--other, red); }"])
        assert out is not None
        assert out[0] == ROOT
        assert out[1] == ("a { color: #0f7a8a; border: 1pt solid #5b6878; }"
                          "@page { @top-left { color: #5b6878; } } p { color: var(--other, red); }")

    def test_sheets_with_nothing_to_write_in_are_kept(self) -> None:
        assert written_in([ROOT, "p { color: black; }"]) is None
        assert written_in([":root { --accent: red; }", ":root { --accent: blue; }", "a { color: var(--accent); }"]) is None

    def test_sheets_where_a_written_value_would_be_dropped_are_kept_as_written(self) -> None:
        base = LAYOUTS.resolve().as_uri() + "/"
        compiled = pdf_renderer._compiled((ROOT, "a { color: var(--accent); }"), base, (LAYOUTS,))
        assert compiled.written_in is not None
        invalid = pdf_renderer._compiled((ROOT, "p { width: var(--accent); }"), base, (LAYOUTS,))
        assert invalid.written_in is None and invalid.warnings == ()

    def test_the_default_brand_has_its_colours_written_in(self) -> None:
        from pipeline.render.stylesheet import stylesheets

        sheets = stylesheets(load_brand(LAYOUTS, "default"), LAYOUTS)
        out = written_in(sheets)
        assert out is not None and "var(" not in out[0]
        assert set(values(*sheets)) == {"--primary", "--accent", "--text", "--muted", "--surface"}


def test_only_markup_that_declares_a_custom_property_keeps_the_sheets_as_written() -> None:
    declares = pdf_renderer._DECLARES_CUSTOM_PROPERTY
    assert declares.search('<p style="--accent:red">')
    assert not declares.search("<!-- a comment: none --><p>Salary -- see below: 60k</p>")
