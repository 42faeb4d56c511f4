"""Text fitness: what a person should look at before a document goes out, at the exact character.

Each test feeds a tiny YAML file through the real reader and checks the warning's rule, line and
column, with coverage from the real bundled fonts unless it says otherwise.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Container, Mapping
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO
from pipeline.check.fitness import FontStack, font_coverage, text_findings
from pipeline.problems import Problem
from pipeline.source.yaml_reader import parse_yaml, read_yaml


@pytest.fixture(scope="module")
def coverage() -> dict[str, FontStack]:
    return font_coverage(REPO / "layouts", REPO / "content")  # the demo's two brands


def check(yaml_text: str, coverage: Mapping[str, Container[int]]) -> list[Problem]:
    return text_findings(parse_yaml(textwrap.dedent(yaml_text).encode(), "role.yaml"), coverage)


def where(found: list[Problem]) -> list[tuple[str, int, int, str]]:
    return [(p.rule, p.line, p.column, p.path) for p in found]


# uncovered-character

def test_a_character_no_font_has_is_named_with_every_brand(coverage) -> None:
    found = check("title: Backend Engineer\nsummary: Ship it 中 every day.\n", coverage)
    assert where(found) == [("uncovered-character", 2, 18, "summary")]
    assert "U+4E2D CJK UNIFIED IDEOGRAPH-4E2D “中”" in found[0].message
    assert "no bundled font of any brand (default, harbor) has it" in found[0].message
    assert found[0].severity == "warning"


def test_a_character_one_brand_lacks_names_only_that_brand() -> None:
    found = check("summary: Five ★ reviews\n", {"default": frozenset({ord("★")}), "harbor": frozenset()})
    assert where(found) == [("uncovered-character", 1, 15, "summary")]
    assert "no bundled font of brand harbor has it" in found[0].message


def test_cyrillic_greek_and_arabic_are_covered_by_the_noto_fallbacks(coverage) -> None:
    assert check("""\
        title: Инженер
        summary: Μηχανικός λογισμικού
        department: هندسة البرمجيات
        """, coverage) == []


def test_accents_dashes_and_curly_quotes_are_covered(coverage) -> None:
    assert check("summary: Café teams – “on call” rarely, the team’s 2–5 years… −3 °C\n",
                 coverage) == []


def test_a_zero_width_space_is_reported_as_invisible(coverage) -> None:
    found = check("title: Back\u200bend Engineer\n", coverage)
    assert where(found) == [("uncovered-character", 1, 12, "title")]
    assert "U+200B ZERO WIDTH SPACE is an invisible zero-width character" in found[0].message


def test_a_control_character_written_as_an_escape_is_reported_at_the_escape(coverage) -> None:
    found = check('title: "Data\\a Engineer"\n', coverage)
    assert where(found) == [("uncovered-character", 1, 13, "title")]
    assert "U+0007 <control> is a control character" in found[0].message


def test_tabs_and_line_breaks_are_not_findings(coverage) -> None:
    assert check('summary: "One\\ttwo"\nabout:\n  - |\n    First line.\n    Second line.\n', coverage) == []


def test_each_character_is_reported_once_per_value(coverage) -> None:
    found = check("summary: 中 launch, 中 land\n", coverage)
    assert where(found) == [("uncovered-character", 1, 10, "summary")]


def test_plain_ascii_text_opens_no_font_file() -> None:
    never_opened = {"default": FontStack((("/no/such/font.ttf", 0, 0),))}
    assert check("title: Backend Engineer\nsummary: Build <APIs> & services.\n", never_opened) == []


def test_a_brand_that_does_not_load_is_left_out_of_the_coverage(tmp_path: Path) -> None:
    layouts = tmp_path / "layouts"
    (layouts / "brands").mkdir(parents=True)
    (layouts / "fonts").symlink_to(REPO / "layouts" / "fonts")
    shutil.copytree(REPO / "content" / "brands" / "default", layouts / "brands" / "default")
    (layouts / "brands" / "broken").mkdir()
    (layouts / "brands" / "broken" / "brand.yaml").write_text("name: [not, text]\n", encoding="utf-8")
    assert list(font_coverage(layouts)) == ["default"]


# long-word

def test_a_word_too_long_for_a_two_column_list_is_reported_at_its_first_letter(coverage) -> None:
    found = check("""\
        job_description:
          key_responsibilities:
            - Own the com.tidewater.platform.observability.tracing.exporters module.
        """, coverage)
    assert where(found) == [("long-word", 3, 15, "job_description.key_responsibilities[0]")]
    assert "is 54 characters with nowhere to break" in found[0].message
    assert "a two-column list in the job description (about 46)" in found[0].message
    assert "the PDF will break it mid-word; shorten it or add spaces or hyphens" in found[0].message


def test_the_same_word_fits_a_paragraph_across_the_page(coverage) -> None:
    assert check("""\
        job_description:
          about_the_role:
            - Own the com.tidewater.platform.observability.tracing.exporters module.
        """, coverage) == []


def test_a_long_word_on_a_later_line_of_a_block_scalar_is_reported_on_that_line(coverage) -> None:
    found = check(f"""\
        about:
          - |
            Tidewater builds tools for ports.
            Paste no tokens such as {"dGlkZXdhdGVy" * 8} here.
            Thank you.
        """, coverage)
    assert where(found) == [("long-word", 4, 29, "about[0]")]


def test_a_long_word_in_a_folded_scalar_is_reported_on_its_own_line(coverage) -> None:
    found = check(f"""\
        about:
          - >
            Tidewater builds tools
            {"dGlkZXdhdGVy" * 8}
        """, coverage)
    assert where(found) == [("long-word", 4, 5, "about[0]")]


def test_a_long_word_after_an_escape_in_a_quoted_string_is_reported_where_it_is_written(coverage) -> None:
    found = check('title: "Caf\\u00e9 Supercalifragilisticexpialidocious"\n', coverage)
    assert where(found) == [("long-word", 1, 19, "title")]
    assert "the hiring guide's cover title (about 29)" in found[0].message


def test_words_joined_by_hyphens_or_slashes_break_there_and_are_not_findings(coverage) -> None:
    assert check("""\
        job_description:
          key_responsibilities:
            - Keep the build-test-release-rollback-monitor-alert-review loop short.
            - Run Kubernetes/Terraform/Prometheus/Grafana/PagerDuty/OpenTelemetry.
        """, coverage) == []


LONG_URL = "https://careers.tidewater.example/jobs/backend-engineer/apply?source=posting&campaign=spring-2026"


def test_a_bare_long_url_is_reported_as_an_address_to_write_as_a_link(coverage) -> None:
    found = check(f"""\
        job_description:
          how_to_apply: Apply at {LONG_URL} today.
        """, coverage)
    assert where(found) == [("long-word", 2, 26, "job_description.how_to_apply")]
    assert "write it as a link, [short text](https://…)" in found[0].message


def test_a_long_url_inside_a_markdown_link_is_not_a_finding(coverage) -> None:
    assert check(f"""\
        job_description:
          how_to_apply: "[Apply here]({LONG_URL}) today."
        """, coverage) == []


def test_addresses_and_ids_that_never_print_as_text_are_not_checked(coverage) -> None:
    assert check(f"""\
        compensation:
          source:
            url: {LONG_URL}
        interview:
          scorecard:
            - id: "“quoted”"
        """, coverage) == []


# html-tag

def test_a_bold_tag_is_reported_with_the_markdown_to_use(coverage) -> None:
    found = check("summary: Build <b>reliable</b> services.\n", coverage)
    assert where(found) == [("html-tag", 1, 16, "summary"), ("html-tag", 1, 27, "summary")]
    assert "“<b>” is an HTML tag, and prints literally as typed; write **bold** instead" in found[0].message


def test_a_line_break_tag_in_a_folded_scalar_suggests_a_new_item_or_paragraph(coverage) -> None:
    found = check("""\
        job_description:
          about_the_role:
            - >
              We build tools.
              You will join us.<br>Then ship.
        """, coverage)
    assert where(found) == [("html-tag", 5, 24, "job_description.about_the_role[0]")]
    assert "write a new list item or paragraph instead" in found[0].message


def test_a_tag_after_a_doubled_quote_in_a_single_quoted_string_is_reported_where_it_is_written(coverage) -> None:
    found = check("summary: 'It''s <i>fast</i>'\n", coverage)
    assert where(found) == [("html-tag", 1, 17, "summary"), ("html-tag", 1, 24, "summary")]
    assert "write *italic* instead" in found[0].message


def test_a_script_tag_is_reported_to_be_removed(coverage) -> None:
    found = check("summary: 'Hello <script src=\"x.js\"></script>'\n", coverage)
    assert [(p.column, p.message.rsplit("; ", 1)[1]) for p in found] == [(17, "remove it"), (36, "remove it")]


def test_angle_brackets_that_are_not_html_are_not_findings(coverage) -> None:
    assert check("summary: Use List<String> and Option<T>; 3 < 4 > 2; <<REPLACE>>\n", coverage) == []


# typographic-quotes

def test_straight_quotes_inside_yaml_quotes_are_reported_at_the_first_mark(coverage) -> None:
    found = check("title: '\"Backend Engineer\"'\n", coverage)
    assert where(found) == [("typographic-quotes", 1, 9, "title")]
    assert 'the whole text is wrapped in "…", which print as part of it; remove them' in found[0].message


@pytest.mark.parametrize("quoted", [
    "“Backend Engineer”", "„Backend Engineer“", "«Backend Engineer»", "»Backend Engineer«", "‘Backend Engineer’"])
def test_a_value_wrapped_in_typographic_quotes_is_reported(quoted: str, coverage) -> None:
    assert where(check(f"title: {quoted}\n", coverage)) == [("typographic-quotes", 1, 8, "title")]


def test_curly_quotes_inside_a_sentence_are_not_findings(coverage) -> None:
    assert check("""\
        summary: We say “you build it, you run it” and mean it.
        title: “Why?” and “how?”
        """, coverage) == []


# shipped content

SHIPPED = sorted((REPO / "content").rglob("*.yaml")) + sorted(FIXTURE_CONTENT.rglob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_content_has_no_findings(path: Path, coverage) -> None:
    assert [str(p) for p in text_findings(read_yaml(path), coverage)] == []


def test_joiners_and_selectors_inside_an_emoji_sequence_are_not_findings(coverage) -> None:
    assert check("summary: Pair 👩\u200d💻 with ❤\ufe0f daily\n", coverage) == []
