"""Reading one YAML file: libyaml's speed with PyYAML's positions, and syntax errors that say the fix.

libyaml composes the node graph where it is installed; PyYAML words every syntax error and reads
the few texts libyaml reads differently. Either way a file gives the same data at the same places.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE_CONTENT, REPO
from pipeline.problems import ContentError
from pipeline.source import yaml_reader
from pipeline.source.yaml_reader import parse_yaml

SHIPPED = sorted((REPO / "content").rglob("*.yaml")) + sorted(FIXTURE_CONTENT.rglob("*.yaml"))
needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML is installed without libyaml")


def shipped(path: Path) -> str:
    return str(path.relative_to(REPO))


def nodes(node: yaml.Node) -> Iterator[tuple[str, str, str | None, int, int]]:
    """Every node in document order: its kind, tag, text (scalars) and 0-based line and column."""
    text = node.value if isinstance(node, yaml.ScalarNode) else None
    yield type(node).__name__, node.tag, text, node.start_mark.line, node.start_mark.column
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from nodes(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from nodes(key)
            yield from nodes(value)


def composed(loader: type, text: str) -> list[tuple[str, str, str | None, int, int]]:
    return list(nodes(yaml.compose(text, Loader=loader)))


def read(text: str) -> yaml_reader.Located | str:
    """What parse_yaml gives for `text`: the located data, or its problems as an author reads them."""
    try:
        return parse_yaml(text.encode("utf-8"), "role.yaml")
    except ContentError as err:
        return str(err)


def problem(text: str) -> str:
    """The one problem `text` has, as `file:line:col: message`."""
    with pytest.raises(ContentError) as caught:
        parse_yaml(text.encode("utf-8"), "role.yaml")
    [only] = caught.value.problems
    return str(only)


def without_libyaml(monkeypatch: pytest.MonkeyPatch, text: str) -> yaml_reader.Located | str:
    with monkeypatch.context() as patch:
        patch.setattr(yaml_reader, "_LIBYAML", None)
        return read(text)


@needs_libyaml
@pytest.mark.parametrize("path", SHIPPED, ids=shipped)
def test_libyaml_puts_every_node_of_a_shipped_file_where_pyyaml_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert composed(yaml.CSafeLoader, text) == composed(yaml.SafeLoader, text)


@needs_libyaml
@pytest.mark.parametrize("path", SHIPPED, ids=shipped)
def test_every_shipped_file_is_composed_by_libyaml(path: Path) -> None:
    assert yaml_reader._compose_with_libyaml(path.read_text(encoding="utf-8")) is not None


@pytest.mark.parametrize("path", SHIPPED, ids=shipped)
def test_a_shipped_file_reads_the_same_without_libyaml(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert read(text) == without_libyaml(monkeypatch, text)


TEXTS_LIBYAML_READS_DIFFERENTLY = [
    pytest.param("title:\tBackend\n", id="a tab after a colon"),
    pytest.param("ti\ufefftle: Backend\n", id="a byte-order mark inside the text"),
    pytest.param("tools: [Zendesk, What?]\n", id="a question mark inside a flow list"),
    pytest.param("anchors: {strong_no: , lean_no: Polite}\n", id="an empty value inside a flow mapping"),
    pytest.param("title: !\ndepartment: x\n", id="a bare ! tag"),
    pytest.param("? title", id="an explicit key with no value at the end"),
    pytest.param("summary: >#\n  text\n", id="a comment glued to a folded block"),
    pytest.param("---\n\n#", id="an empty document ending in a comment"),
]


@needs_libyaml
@pytest.mark.parametrize("text", TEXTS_LIBYAML_READS_DIFFERENTLY)
def test_text_libyaml_reads_differently_gives_what_pyyaml_gives(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    assert read(text) == without_libyaml(monkeypatch, text)


def test_a_missing_space_after_a_colon_at_the_top_is_reported_on_its_line_not_the_next() -> None:
    assert problem("slug: backend\ntitle:Backend\ndepartment: Engineering\n") == (
        "role.yaml:2:6: error: YAML syntax error: add a space after the colon on line 2, so `title` reads as a key")


def test_a_missing_space_after_a_colon_on_the_first_line_is_reported_there() -> None:
    assert problem("title:Backend\ndepartment: Engineering\n") == (
        "role.yaml:1:6: error: YAML syntax error: add a space after the colon on line 1, so `title` reads as a key")


def test_a_missing_space_after_a_colon_inside_a_mapping_is_reported_on_its_line() -> None:
    text = "title: Backend\ncompensation:\n  currency: EUR\n  levels:\n    - min:80000\n      max: 90000\n"
    assert problem(text) == (
        "role.yaml:5:10: error: YAML syntax error: add a space after the colon on line 5, so `min` reads as a key")


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    text = "slug: backend\ndepartment: Engineering\ntitle: \"Backend\nsummary: Builds services\n"
    assert problem(text) == (
        "role.yaml:3:8: error: YAML syntax error: the quote opened on line 3, column 8 is not closed; "
        "add the closing \" at the end of the text")


def test_an_unclosed_quote_that_runs_on_to_the_next_quote_is_reported_where_it_opens() -> None:
    text = "slug: backend\ntitle: \"Backend\nsummary: \"Builds services\"\n"
    assert problem(text) == (
        "role.yaml:2:8: error: YAML syntax error: the quote opened on line 2, column 8 is not closed on its line, so the "
        "text runs on to the quote on line 3, column 10; add the closing \" on line 2")


def test_a_tab_in_the_indentation_is_reported_at_the_tab() -> None:
    assert problem("compensation:\n  currency: EUR\n  \tmin: 80000\n") == (
        "role.yaml:3:3: error: YAML syntax error: indent with spaces, not tabs")


def test_a_tab_after_a_colon_is_reported_at_the_tab() -> None:
    assert problem("title:\tBackend\n") == "role.yaml:1:7: error: YAML syntax error: use a space here, not a tab"


def test_a_colon_and_space_inside_unquoted_text_asks_for_quotes_at_that_colon() -> None:
    assert problem("title: Backend\nsummary: Note: this is text\n") == (
        "role.yaml:2:14: error: YAML syntax error: put the text in quotes (\"...\"), because ': ' inside unquoted "
        "text starts a new key")


def test_a_colon_and_space_on_a_continued_line_asks_for_quotes_or_less_indent() -> None:
    assert problem("summary: Builds services\n  and owns them: end to end\n") == (
        "role.yaml:2:16: error: YAML syntax error: line 2 continues the text above; if it is a new key, line it up "
        "with the keys above, and if it is text, put the text in quotes (\"...\")")


def test_a_line_that_is_not_a_key_is_reported_on_its_line_not_the_next() -> None:
    assert problem("title: Backend\nBuilds services\ndepartment: Engineering\n") == (
        "role.yaml:2:1: error: YAML syntax error: line 2 is neither `key: value` nor a `- ` list item; add what it "
        "lacks, or indent it further to continue the text above")


def test_other_syntax_errors_keep_pyyaml_s_words_and_where_it_stopped() -> None:
    assert problem("title: \"C:\\path\"\n") == (
        "role.yaml:1:12: error: YAML syntax error: found unknown escape character 'p'; "
        "while scanning a double-quoted scalar at line 1, column 8")
