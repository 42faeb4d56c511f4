"""The pages a document's anchors fall on, as its PDF lays them out: what a Word draft writes into its
contents. A PDF render keeps them; a draft takes them from there, waits for a PDF of the same layout
that is being laid out, and lays the document out itself only when neither is there."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

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
    found = writer.anchor_pages(job)
    assert {name: found[name] for name in ("top", "c1", "c2", "c3")} == {
        "top": (1, True), "c1": (2, True), "c2": (3, True), "c3": (4, True)}


def test_a_draft_takes_the_pages_its_pdf_measured(job: writer.PdfJob, monkeypatch: pytest.MonkeyPatch) -> None:
    writer.render_pdf(job)
    monkeypatch.setattr(writer, "_layout", _no_layout)
    assert writer.anchor_pages(job)["c3"] == (4, True)


def test_a_draft_waits_for_the_pdf_being_laid_out_instead_of_laying_it_out_twice(
        job: writer.PdfJob, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "_layout", _no_layout)
    key = writer._layout_key(job, stylesheets(job.brand, job.layouts))
    results: list = []
    with pages.laying_out(key):  # a PDF render of this layout, in another process, is under way
        waiting = threading.Thread(target=lambda: results.append(writer.anchor_pages(job)))
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive() and not results  # it waits: without the lock it would have failed at once
        pages.keep(key, {"c1": (7, False)})
    waiting.join(timeout=30)
    assert results == [{"c1": (7, False)}]


def test_a_document_without_contents_keeps_nothing(job: writer.PdfJob, tmp_path: Path) -> None:
    plain = writer.PdfJob(HTML.replace('class="toc"', 'class="menu"'), job.brand, job.layouts, job.allowed)
    writer.render_pdf(plain)
    assert not list(tmp_path.rglob("*.json"))
