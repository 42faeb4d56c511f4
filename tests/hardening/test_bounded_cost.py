"""Hardening, round two (issue 25), class 4: cost that grows with the input, not faster.

The times themselves are in `make bench` (ratios of two input sizes); these tests check the means:
a very long word reaches WeasyPrint with places to break (its own search for one is quadratic), and
what those places add is invisible in the PDF and absent from every other format.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import rolepack
from pipeline.render.pdf.breaks import EVERY, LONGER_THAN, ZERO_WIDTH_SPACE, with_break_opportunities

EXAMPLES = int(os.environ.get("ROLEPACK_FUZZ_EXAMPLES") or 8)
RUN = re.compile(r"[^<\s\u200b/.?&=-]{%d,}" % (LONGER_THAN + 1))
"""A run of text with no place to break: no space, no zero-width space, no separator of an address."""


def test_text_without_a_long_run_is_left_as_it_is() -> None:
    html = f"<p title=\"{'t' * 300}\">An ordinary sentence, with https://example.com/a/short/path.</p>"
    assert with_break_opportunities(html) == html


def test_a_long_run_gets_a_break_every_so_many_characters_and_loses_none() -> None:
    word = "x" * 250
    broken = with_break_opportunities(f"<p>Start {word} end.</p>")
    assert broken == f"<p>Start {ZERO_WIDTH_SPACE.join(['x' * EVERY] * 5)} end.</p>"


def test_tags_styles_and_entities_are_never_cut() -> None:
    run = "a&amp;b" * 60
    html = f"<style>p{{background:url(data:{'A' * 300})}}</style><p class=\"{'c' * 200}\">{run}</p>"
    broken = with_break_opportunities(html)
    head, body = broken.split("</style>")
    assert head + "</style>" == html.split("</style>")[0] + "</style>"
    assert body.startswith(f"<p class=\"{'c' * 200}\">")
    assert "&amp;" in body and not re.search(r"&a?m?p?\u200b|&[^;]*\u200b", body)
    assert body.replace(ZERO_WIDTH_SPACE, "") == html.split("</style>")[1]


@settings(max_examples=EXAMPLES * 25, deadline=None, database=None)
@given(text=st.text(st.sampled_from("ab &<>;/.\u00e9\U0001F600\n"), max_size=600),
       tags=st.lists(st.sampled_from(["<b>", "</b>", "<br>", '<a href="https://example.com/x">']), max_size=5))
def test_any_text_keeps_every_character_and_no_run_stays_longer_than_the_limit(text: str, tags: list[str]) -> None:
    """Class 4's property for line breaking: whatever the text, the only change is zero-width spaces
    between characters, and afterwards no run of text is long enough to make the layout quadratic."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = "<p>" + "".join(tag + escaped for tag in tags or [""]) + "</p>"
    broken = with_break_opportunities(html)
    assert broken.replace(ZERO_WIDTH_SPACE, "") == html
    assert not RUN.search(re.sub(r"<[^>]*>", " ", broken))


def test_a_twenty_thousand_character_word_prints_whole_in_the_pdf(workdir: Path) -> None:
    """It took 20 s of layout before (100,000 characters did not finish); `make bench` times it now."""
    role = workdir / "content" / "roles" / "support-engineer.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace(
        "You answer technical questions from customers.", f"You answer {'x' * 20_000} questions.", 1), encoding="utf-8")
    run = rolepack("build", "-f", "pdf,md", "--role", "support-engineer", "--kind", "job-description", "--out", "out",
                   "--quiet")
    assert run.exit_code == 0, run.stderr
    folder = workdir / "out" / "default" / "support-engineer"
    text = subprocess.run(["pdftotext", str(folder / "support-engineer-job-description.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert text.count("x") >= 20_000 and ZERO_WIDTH_SPACE not in text
    assert "x" * 20_000 in (folder / "support-engineer-job-description.md").read_text(encoding="utf-8")


def test_a_posting_longer_than_a_role_may_be_is_refused_before_it_is_mapped(workdir: Path) -> None:
    """A 1.2 MB text used to be read, mapped and written in full, then refused as "a bug in the import"."""
    source = workdir / "huge.txt"
    source.write_text("Widget Engineer\n\nAbout the role\n\n" + "We build widgets for everyone. " * 40_000, encoding="utf-8")
    before = sorted((workdir / "content" / "roles").iterdir())
    run = rolepack("import", str(source), "--content", "content")
    assert run.exit_code == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "more than a role file may hold (1,048,576)" in run.stderr and "bug" not in run.stderr
    assert sorted((workdir / "content" / "roles").iterdir()) == before
