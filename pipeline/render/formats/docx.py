"""DOCX: the editable Word draft HR works on, mapped from the same HTML as the PDF."""

from __future__ import annotations

from pipeline.render.formats import Format, Rendered, RenderJob
from pipeline.render.html import BUILD_KINDS
from pipeline.render.pdf.pages import has_contents


def render(job: RenderJob) -> Rendered:
    from pipeline.render.docx.writer import DocxJob, render_docx

    pages = None
    if has_contents(job.html):  # its contents show the pages the PDF puts each chapter on
        from pipeline.render.pdf.writer import PdfJob, anchor_pages

        pages = anchor_pages(PdfJob(job.html, job.brand, job.layouts, job.allowed))
    data, warnings = render_docx(DocxJob(job.html, job.brand, job.kind, job.issued, pages))
    return Rendered(data, warnings)


FORMAT = Format("docx", "docx", BUILD_KINDS, render, renderer="pipeline.render.docx.writer")
