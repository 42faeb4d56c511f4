"""DOCX: the editable Word draft HR works on, mapped from the same HTML as the PDF."""

from __future__ import annotations

from pipeline.render.formats import Format, Rendered, RenderJob
from pipeline.render.html import BUILD_KINDS
from pipeline.render.pdf.pages import has_contents, needs_layout, with_flowing


def render(job: RenderJob) -> Rendered:
    from pipeline.render.docx.writer import DocxJob, render_docx

    html, pages = job.html, None
    if needs_layout(job.html):  # the pages the PDF puts each chapter on, the lists it carries over a page
        from pipeline.render.pdf.writer import PdfJob, laid_out

        layout = laid_out(PdfJob(job.html, job.brand, job.layouts, job.allowed))
        html = with_flowing(job.html, layout.flowing)
        pages = layout.anchors if has_contents(job.html) else None
    data, warnings = render_docx(DocxJob(html, job.brand, job.kind, job.issued, pages))
    return Rendered(data, warnings)


FORMAT = Format("docx", "docx", BUILD_KINDS, render,
                renderers=("pipeline.render.docx.writer", "pipeline.render.pdf.writer"))  # the layout it follows
