"""PDF: the print-ready, tagged document, laid out by WeasyPrint from the layouts' CSS."""

from __future__ import annotations

from pipeline.render.formats import Format, Rendered, RenderJob
from pipeline.render.html import BUILD_KINDS

VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3u")
"""Tagged PDF/UA-1 for reading; the PDF/A-3 variants for archiving carry the role as JSON."""


def render(job: RenderJob) -> Rendered:
    from pipeline.render.pdf.writer import PdfJob, render_pdf

    variant = job.option("pdf_variant", "pdf/ua-1")
    data, warnings, findings = render_pdf(PdfJob(job.html, job.brand, job.layouts, job.allowed, variant,
                                                 f"{job.role}.json", job.data, job.issued))
    return Rendered(data, warnings, findings)


def _archival(options: dict[str, str]) -> bool:
    return options.get("pdf_variant", "pdf/ua-1").startswith("pdf/a-3")


FORMAT = Format("pdf", "pdf", BUILD_KINDS, render, uses_stylesheets=True, options=("pdf_variant",), cost=3.0,
                renderers=("pipeline.render.pdf.writer",), carries_data=_archival)
