"""The Markdown job description: CommonMark that real readers (pandoc, markdown-it) read as the
document says, for careers pages kept in Git and job boards that take Markdown.

What the layouts' HTML says (headings, lists, emphasis, links, the author's line breaks, the pay
table) comes through; what content merely contains (`<script>`, `# …`, `[x](javascript:…)`, `|`,
`$…$`) reads back as typed, in CommonMark, GFM and pandoc's extended CommonMark alike.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from markdown_it.token import Token

from conftest import FIXTURE_CONTENT, REPO, outputs
from pipeline.check.brands import brand_names, load_brand
from pipeline.check.catalogue import load_catalogue
from pipeline.render.errors import RenderError
from pipeline.render.html import Document, render_html
from pipeline.source.markdown import inline
from pipeline.render.posting.markdown import html_to_markdown
from pipeline.schema import Role

LAYOUTS = REPO / "layouts"
SAFE_SCHEMES = ("https://", "http://", "mailto:")
# Pandoc elements that only markup can make; the job description has none of them, so finding
# one means the Markdown let content be read as syntax (raw HTML, math, code, an emoji, a quote…).
FOREIGN = {"RawInline", "RawBlock", "Math", "Code", "CodeBlock", "Strikeout", "Superscript", "Subscript",
           "Span", "Div", "BlockQuote", "OrderedList", "DefinitionList", "HorizontalRule", "Image", "Note",
           "Cite", "Underline", "SmallCaps", "LineBlock"}

HOSTILE = r"""
title: Night Baker
reviewed: 2026-03-01
employment_type: part-time
locations:
  - mode: on-site
    places: ["**not bold** place"]
job_description:
  summary: "{{ jinja }} and {% if x %} stay as typed"
  about_the_role:
    - "<script>alert(1)</script>"
    - "# not a heading"
    - |
      First line of the shift
      - not a list
      1. not a list either
      > not a quote
      ---
      === not an underline
    - "`code`, ~~strike~~, 2^10^, costs $x$ a loaf, :rocket:, &amp;, snake_case_name, back\\slash, {.class}"
    - "from $82,460 to $95,000 a year"
    - "$18-$22 an hour"
    - "US$40 or $ 5 or $x"
  key_responsibilities:
    - "[x] (javascript:alert(1))"
    - Bake **bold** bread and *italic* buns
    - Write to [the bakery](https://bakery.example/a_(b)) or [us](mailto:jobs@bakery.example)
  sections:
    - heading: "**not bold** {{ jinja }} #"
      after: about
      paragraphs: ["+ not a list", "[a label]: https://bakery.example/ref"]
      subsections:
        - heading: The first week
          bullets: [Learn the ovens]
qualifications:
  hard_skills:
    - Two years on a night shift
compensation:
  currency: EUR
  period: day
  source: {name: Our 2026 pay scale, as_of: 2026-02-01}
  levels:
    - {level: "| pipe level", min: 180, max: 180}
"""
HOSTILE_TEXTS = ["{{ jinja }} and {% if x %} stay as typed", "<script>alert(1)</script>", "# not a heading",
                 "- not a list", "1. not a list either", "> not a quote", "---", "=== not an underline",
                 "`code`", "~~strike~~", "2^10^", "costs $x$ a loaf", ":rocket:", "&amp;", "snake_case_name",
                 r"back\slash", "{.class}", "[x] (javascript:alert(1))", "**not bold** {{ jinja }} #",
                 "**not bold** place", "+ not a list", "[a label]: https://bakery.example/ref", "| pipe level",
                 "from $82,460 to $95,000 a year", "$18-$22 an hour", "US$40 or $ 5 or $x"]
AMOUNTS = [("from $82,460 to $95,000 a year", "from $82,460 to $95,000 a year"), ("$18-$22 an hour", r"$18-\$22 an hour")]
"""Dollar amounts a person pastes from the Markdown into a job board's plain-text form, as written:
a `$` after a non-space could close math, so it keeps its backslash."""

UNPAID = """
title: Counter Assistant
reviewed: 2026-03-01
employment_type: part-time
locations: [{mode: on-site, places: [Porto]}]
job_description:
  about_the_role: [You serve our morning customers.]
  key_responsibilities: [Open the shop at seven]
qualifications:
  soft_skills: [A friendly word for everyone]
"""
UNDISCLOSED = UNPAID.replace("Counter Assistant", "Delivery Rider") + "compensation: {disclosed: false}\n"


@dataclass(frozen=True)
class Built:
    """One job description: the layouts' HTML, the Markdown the build wrote, the role it is of."""

    role: Role
    html: str
    markdown: str

    def tokens(self) -> list[Token]:
        return list(_flatten(MarkdownIt("commonmark").enable("table").parse(self.markdown)))

    def pandoc(self, to: str, reader: str = "gfm") -> str:
        return subprocess.run(["pandoc", "-f", reader, "-t", to, "--wrap=none"], input=self.markdown,
                              capture_output=True, text=True, check=True, timeout=60).stdout

    def plain(self, reader: str = "gfm") -> str:
        return squash(self.pandoc("plain", reader))


def _flatten(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _flatten(token.children or [])


def squash(text: str) -> str:
    return " ".join(text.split())


def shown(markdown_text: str) -> str:
    """What a content string reads as in a document: its inline Markdown rendered, tags dropped."""
    return squash(lxml_html.fragment_fromstring(f"<p>{inline(markdown_text).replace('<br>', ' ')}</p>").text_content())


def build(content: Path, out: Path, *args: str) -> dict:
    """`rolepack build --format md`, as a user runs it; its closing summary."""
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", "--format", "md", "--content", str(content),
                           "--out", str(out), "--log-format", "json", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")][-1]


def built_documents(content: Path, out: Path, brands: list[str]) -> dict[str, Built]:
    """Every Markdown file of the build, by `brand/role`, beside the HTML the layouts make for it."""
    catalogue = load_catalogue(content, today=dt.date.today(), layouts=LAYOUTS)
    titles = {slug: role.title for slug, role in catalogue.roles.items()}
    found = {}
    for brand in brands:
        loaded = load_brand(LAYOUTS, brand, content)
        for slug, role in catalogue.roles.items():
            file = out / brand / slug / f"{slug}-job-description.md"
            html = render_html(Document("job-description", role, catalogue.company, loaded, role.reviewed, titles),
                               LAYOUTS)
            found[f"{brand}/{slug}"] = Built(role, html, file.read_text(encoding="utf-8"))
    return found


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict[str, Built]]:
    out = tmp_path_factory.mktemp("md-shipped") / "out"
    summary = build(REPO / "content", out)
    return out, summary, built_documents(REPO / "content", out, brand_names(LAYOUTS, REPO / "content"))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """The hostile and the unpaid roles, built beside the small fixture roles."""
    root = tmp_path_factory.mktemp("md-made")
    shutil.copytree(FIXTURE_CONTENT, root / "content")
    for slug, text in (("night-baker", HOSTILE), ("counter-assistant", UNPAID), ("delivery-rider", UNDISCLOSED)):
        (root / "content" / "roles" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    build(root / "content", root / "out", "--brand", "default")
    return built_documents(root / "content", root / "out", ["default"])


@pytest.fixture(scope="module")
def every(shipped, made) -> dict[str, Built]:
    return {**shipped[2], **{f"made:{k}": v for k, v in made.items()}}


def text_of(inline_token: Token) -> str:
    """What an inline run reads as: its text, escapes resolved."""
    return "".join(c.content if c.type == "text" else " " if c.type == "softbreak" else ""
                   for c in inline_token.children or [])


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    return [(int(t.tag[1]), text_of(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]


def table_rows(tokens: list[Token]) -> list[list[str]]:
    rows: list[list[str]] = []
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            rows[-1].append(text_of(tokens[i + 1]))
    return rows


def pandoc_elements(doc: Built, reader: str) -> Iterator[dict]:
    def walk(node) -> Iterator[dict]:
        if isinstance(node, dict):
            if "t" in node:
                yield node
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    yield from walk(json.loads(doc.pandoc("json", reader))["blocks"])


# Every shipped role, in every brand ---------------------------------------------------------

def test_the_build_writes_one_markdown_job_description_per_shipped_role_and_brand(shipped) -> None:
    out, summary, documents = shipped
    written = {str(p.relative_to(out)) for p in out.rglob("*.md")}
    assert written == {f"{key.split('/')[0]}/{key.split('/')[1]}/{key.split('/')[1]}-job-description.md"
                       for key in documents}
    assert summary["built"] == len(written) == len(documents) > 0
    assert summary["failed"] == 0


def test_a_second_identical_build_reports_every_file_unchanged_and_rewrites_none(shipped) -> None:
    out, _, documents = shipped
    before = outputs(out)
    summary = build(REPO / "content", out)
    assert (summary["built"], summary["unchanged"]) == (0, len(documents))
    assert {p: v for p, v in outputs(out).items() if p.endswith(".md")} == \
           {p: v for p, v in before.items() if p.endswith(".md")}


def test_the_built_file_is_the_writers_markdown_of_the_layouts_html(every) -> None:
    for name, doc in every.items():
        assert doc.markdown == html_to_markdown(doc.html), name


def test_the_file_is_utf8_with_lf_line_ends_and_one_trailing_newline(shipped) -> None:
    out = shipped[0]
    for file in out.rglob("*.md"):
        data = file.read_bytes()
        data.decode("utf-8")
        assert b"\r" not in data and data.endswith(b"\n") and not data.endswith(b"\n\n"), file


def test_no_html_reaches_the_markdown(every) -> None:
    for name, doc in every.items():
        kinds = {t.type for t in doc.tokens()}
        assert not kinds & {"html_block", "html_inline"}, name


def test_pandoc_reads_only_headings_paragraphs_lists_the_pay_table_emphasis_links_and_breaks(every) -> None:
    for name, doc in every.items():
        for reader in ("gfm", "commonmark_x"):
            found = {e["t"] for e in pandoc_elements(doc, reader)}
            assert not found & FOREIGN, (name, reader, found & FOREIGN)


def test_pandoc_shows_every_responsibility_and_qualification_of_the_role(shipped) -> None:
    for name, doc in shipped[2].items():
        q, jd = doc.role.qualifications, doc.role.job_description
        items = jd.key_responsibilities + (q.prerequisites + q.hard_skills or q.soft_skills)
        items += [item.rstrip(".;") for item in q.nice_to_have] if jd.show_nice_to_have else []
        plain = doc.plain()
        missing = [item for item in items if shown(item) not in plain]
        assert not missing, (name, missing)


def test_headings_are_the_layouts_headings_in_order_one_title_and_no_level_skipped(every) -> None:
    for name, doc in every.items():
        root = lxml_html.document_fromstring(doc.html)
        expected = [(int(h.tag[1]), squash(h.text_content())) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        found = headings(doc.tokens())
        assert found == expected, name
        levels = [level for level, _ in found]
        assert levels[0] == 1 and levels.count(1) == 1, name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), name


def test_bold_italic_and_links_are_exactly_the_htmls(every) -> None:
    for name, doc in every.items():
        body = lxml_html.document_fromstring(doc.html).find("body")
        tokens = doc.tokens()
        count = lambda kind: sum(t.type == kind for t in tokens)  # noqa: E731
        assert count("strong_open") == len(body.xpath(".//strong | .//b")), name
        assert count("em_open") == len(body.xpath(".//em | .//i")), name
        links = [t.attrs["href"] for t in tokens if t.type == "link_open"]
        assert links == [a.get("href") for a in body.iter("a") if a.get("href", "").startswith(SAFE_SCHEMES)], name


def test_the_facts_are_the_first_list_each_item_led_by_its_label_in_bold(every) -> None:
    for name, doc in every.items():
        labels = [li.findtext("strong") for li in lxml_html.document_fromstring(doc.html).xpath("//ul[@class='facts']/li")]
        lines = doc.markdown.splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith("- "))
        assert [line.split("** ")[0] + "**" for line in lines[first:first + len(labels)]] == \
               [f"- **{label}**" for label in labels], name
        assert not lines[first + len(labels)].startswith("- "), name


def test_the_pay_bands_are_the_one_table_a_row_per_band(every) -> None:
    for name, doc in every.items():
        comp = doc.role.compensation
        tables = sum(t.type == "table_open" for t in doc.tokens())
        if comp and comp.disclosed:
            assert tables == 1, name
            assert len(table_rows(doc.tokens())) == len(comp.levels) + 1, name
        else:
            assert tables == 0 and "|" not in doc.markdown, name


def test_no_image_is_written(every) -> None:
    for name, doc in every.items():
        assert "![" not in doc.markdown and not any(t.type == "image" for t in doc.tokens()), name


# Text that looks like markup --------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_text_that_looks_like_markup_reads_back_as_typed(made, text: str) -> None:
    doc = made["default/night-baker"]
    assert squash(text) in doc.plain("gfm")
    # pandoc's `smart` typography (curly quotes, `--` as a dash) is a reading style, not syntax
    assert squash(text) in doc.plain("commonmark_x-smart")
    assert squash(text) in doc.plain("commonmark")


@pytest.mark.parametrize(("text", "written"), AMOUNTS)
def test_an_amount_of_dollars_is_written_without_a_backslash_and_never_read_as_math(made, text: str,
                                                                                     written: str) -> None:
    doc = made["default/night-baker"]
    assert written in doc.markdown
    assert squash(text) in doc.plain("markdown")  # pandoc's own Markdown reads `$…$` as TeX math
    assert not [e for e in pandoc_elements(doc, "markdown") if e["t"] == "Math"]


def test_a_javascript_link_is_text_and_only_http_https_and_mailto_links_survive(made) -> None:
    doc = made["default/night-baker"]
    links = [t.attrs["href"] for t in doc.tokens() if t.type == "link_open"]
    assert links[:2] == ["https://bakery.example/a_(b)", "mailto:jobs@bakery.example"]
    assert all(link.startswith(SAFE_SCHEMES) for link in links)
    for reader in ("gfm", "commonmark_x"):
        targets = [e["c"][2][0] for e in pandoc_elements(doc, reader) if e["t"] == "Link"]
        assert targets and all(t.startswith(SAFE_SCHEMES) for t in targets), reader


def test_a_hash_at_the_start_of_a_paragraph_is_no_heading(made) -> None:
    texts = [text for _, text in headings(made["default/night-baker"].tokens())]
    assert "# not a heading" not in " ".join(texts) and "not a heading" not in texts


def test_bold_written_in_content_is_bold_and_asterisks_in_a_plain_field_are_asterisks(made) -> None:
    doc = made["default/night-baker"]
    tokens = doc.tokens()
    bold = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "strong_open"]
    assert "bold" in bold and "not bold" not in bold
    assert "- Bake **bold** bread and *italic* buns" in doc.markdown


def test_the_authors_line_breaks_are_hard_breaks_in_backslash_form(made) -> None:
    doc = made["default/night-baker"]
    assert "First line of the shift\\\n\\- not a list\\\n1\\. not a list either\\\n" in doc.markdown
    paragraph = next(t for t in doc.tokens() if t.type == "inline" and t.content.startswith("First line"))
    assert [c.type for c in paragraph.children].count("hardbreak") == 5


def test_a_pipe_in_a_level_name_stays_inside_its_cell(made) -> None:
    rows = table_rows(made["default/night-baker"].tokens())
    assert len(rows) == 2 and len(rows[1]) == 2
    assert rows[1][0] == "| pipe level"
    assert "| pipe level" in made["default/night-baker"].plain()


def test_a_single_figure_band_prints_one_amount(made) -> None:
    amount = table_rows(made["default/night-baker"].tokens())[1][1]
    assert re.fullmatch(r"[^\d–-]*180(\.00)?[^\d–-]*", amount), amount


def test_a_role_without_pay_or_with_pay_undisclosed_has_no_table(made) -> None:
    for slug in ("counter-assistant", "delivery-rider"):
        doc = made[f"default/{slug}"]
        assert not any(t.type == "table_open" for t in doc.tokens()) and "|" not in doc.markdown, slug


# The writer on HTML the layouts could make --------------------------------------------------

def md(body: str) -> str:
    return html_to_markdown(f"<!DOCTYPE html><html><head><title>x</title></head><body>{body}</body></html>",
                            layout="layouts/test.html.j2")


def test_two_lists_one_after_the_other_stay_two_lists() -> None:
    tokens = MarkdownIt("commonmark").parse(md("<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol>"
                                               "<ol><li>d</li></ol>"))
    assert [t.type for t in tokens].count("bullet_list_open") == 2
    assert [t.type for t in tokens].count("ordered_list_open") == 2


def test_a_nested_list_nests_under_its_item() -> None:
    assert md("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>") == "- a\n  - b\n- c\n"


def test_emphasis_and_links_keep_their_spaces_outside_the_marks() -> None:
    assert md('<p>a<strong> b </strong>c <a href="https://x.example/a b"> d </a>e</p>') == \
           "a **b** c [d](https://x.example/a%20b) e\n"


def test_bold_or_italic_runs_that_touch_read_as_one_run() -> None:
    assert md("<p>x<strong>a</strong><strong>b</strong>y <em>c</em><em>d</em></p>") == "x**ab**y *cd*\n"
    assert md("<p><strong>a</strong><em>b</em></p>") == "**a***b*\n"


def test_a_link_to_anything_but_http_https_or_mailto_is_its_text() -> None:
    assert md('<p><a href="javascript:alert(1)">x</a> <a href="#pay">y</a> <a href="data:,z">z</a></p>') == "x y z\n"


def test_the_logo_and_other_images_are_left_out() -> None:
    assert md('<header><img src="logo.svg" alt="Logo"><p>Tidewater</p></header>') == "Tidewater\n"


def test_the_head_is_not_written() -> None:
    assert md("<p>x</p>").strip() == "x"


@pytest.mark.parametrize("body, why", [
    ("<blockquote><p>x</p></blockquote>", "<blockquote> is not supported by the Markdown writer"),
    ("<p>a <code>b</code></p>", "<code> is not supported inline"),
    ("<h2>a<br>b</h2>", "<h2> has a line break"),
    ("<table><thead><tr><th colspan='2'>a</th></tr></thead></table>", "<th> spans cells"),
    ("<div>loose</div>", "<div> has loose text"),
])
def test_html_it_cannot_write_stops_the_build_naming_the_layout_and_element(body: str, why: str) -> None:
    with pytest.raises(RenderError) as raised:
        md(body)
    assert str(raised.value).startswith(f"layouts/test.html.j2: {why}")
