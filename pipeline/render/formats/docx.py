"""DOCX: the editable Word draft HR works on, mapped from the same HTML as the PDF."""

from __future__ import annotations

from pipeline.render.formats import Format, Rendered, RenderJob
from pipeline.render.html import BUILD_KINDS


def render(job: RenderJob) -> Rendered:
    from pipeline.render.docx.writer import DocxJob, render_docx

    data, warnings = render_docx(DocxJob(job.html, job.brand, job.kind, job.issued))
    return Rendered(data, warnings)


FORMAT = Format("docx", "docx", BUILD_KINDS, render, renderer="pipeline.render.docx.writer")
