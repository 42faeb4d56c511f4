"""What a Word draft follows of its PDF's layout: the pages a document's anchors fall on, which it
writes into its contents, and whether the two-column lists flow in columns because the grid carried
one over a page. A PDF render keeps them; a draft takes them from there, waits for a PDF of the same
layout that is being laid out, and lays the document out itself only when neither is there."""

from __future__ import annotations

import io
import subprocess
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO
from pipeline.check.brands import load_brand
from pipeline.render.pdf import pages, writer
from pipeline.render.stylesheet import stylesheets

CHAPTERS = "".join(f'<section class="chapter new-page"><h2 id="c{n}">Chapter {n}</h2><p>Text of chapter {n}.</p></section>'
                   for n in range(1, 4))
HTML = (f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><h1 id="top">Title</h1>'
        f'<nav class="toc"><ol><li><a href="#c1">Chapter 1</a></li></ol></nav>{CHAPTERS}</body></html>')


@pytest.fixture
def job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> writer.PdfJob:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # kept pages of this test's own
    layouts = REPO / "layouts"
    return writer.PdfJob(HTML, load_brand(layouts, "default"), layouts, (layouts,))


def _no_layout(*args, **kwargs):
    raise AssertionError("laid out again")


def test_each_chapter_is_on_its_page_and_starts_it(job: writer.PdfJob) -> None:
    found = writer.laid_out(job).anchors
    assert {name: found[name] for name in ("top", "c1", "c2", "c3")} == {
        "top": (1, True), "c1": (2, True), "c2": (3, True), "c3": (4, True)}


def test_a_draft_takes_the_pages_its_pdf_measured(job: writer.PdfJob, monkeypatch: pytest.MonkeyPatch) -> None:
    writer.render_pdf(job)
    monkeypatch.setattr(writer, "_layout", _no_layout)
    assert writer.laid_out(job).anchors["c3"] == (4, True)


def test_a_draft_waits_for_the_pdf_being_laid_out_instead_of_laying_it_out_twice(
        job: writer.PdfJob, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "_layout", _no_layout)
    key = writer._layout_key(job, stylesheets(job.brand, job.layouts))
    results: list = []
    with pages.laying_out(key):  # a PDF render of this layout, in another process, is under way
        waiting = threading.Thread(target=lambda: results.append(writer.laid_out(job)))
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and not results  # it waits: without the lock it would have failed at once
        pages.keep(key, pages.Layout({"c1": (7, False)}))
    waiting.join(timeout=30)
    assert results == [pages.Layout({"c1": (7, False)})]


def test_a_document_without_contents_keeps_nothing(job: writer.PdfJob, tmp_path: Path) -> None:
    plain = writer.PdfJob(HTML.replace('class="toc"', 'class="menu"'), job.brand, job.layouts, job.allowed)
    writer.render_pdf(plain)
    assert not list(tmp_path.rglob("*.json"))


def _listed(above_mm: int) -> str:
    """A page of text `above_mm` tall, then a two-column grid list of eight items of two lines."""
    items = "".join(f"<li>Item {n} of the list, long enough to take two lines of its column in this document</li>"
                    for n in range(1, 9))
    return (f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
            f'<div style="height: {above_mm}mm">Above</div><ul class="two-col rows-4">{items}</ul>'
            f'<p>After the list.</p></body></html>')


def _items_in_order(pdf: bytes, tmp_path: Path) -> list[int]:
    path = tmp_path / "listed.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [int(word) for before, word in zip(text.split(), text.split()[1:]) if before == "Item"]


def test_a_grid_list_over_a_page_flows_in_columns_and_reads_in_order(
        job: writer.PdfJob, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Near the foot of a page, the grid puts items 1-2 beside 5-6 and carries 3-4 beside 7-8 over:
    the document is laid out again with flowing columns, kept for its draft, and its pages read the
    items in order."""
    over = writer.PdfJob(_listed(225), job.brand, job.layouts, job.allowed)
    pdf, _, _ = writer.render_pdf(over)
    assert writer.laid_out(over).flowing
    assert _items_in_order(pdf, tmp_path) == list(range(1, 9))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    monkeypatch.setattr(pages, "splits_a_grid_list", lambda document: False)  # the grid as it was
    assert _items_in_order(writer.render_pdf(over)[0], tmp_path) == [1, 2, 5, 6, 3, 4, 7, 8]


def test_a_grid_list_on_one_page_stays_a_grid(job: writer.PdfJob, tmp_path: Path) -> None:
    """A grid list that fits its page is laid out once, in its rows."""
    fits = writer.PdfJob(_listed(150), job.brand, job.layouts, job.allowed)
    pdf, _, _ = writer.render_pdf(fits)
    assert not writer.laid_out(fits).flowing
    assert _items_in_order(pdf, tmp_path) == list(range(1, 9))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_flowing_marks_every_grid_list_and_nothing_else() -> None:
    html = '<ul class="two-col rows-2"><li>a</li></ul><ul class="plain"></ul><ul class="two-col rows-3"></ul>'
    assert pages.with_flowing(html) == '<ul class="two-col flow"><li>a</li></ul><ul class="plain"></ul><ul class="two-col flow"></ul>'
    assert pages.with_flowing(html, False) == html
    assert pages.has_grid_lists(html) and not pages.has_grid_lists(pages.with_flowing(html))
