"""Markdown: the job description as CommonMark, for careers pages kept in Git and job boards that
take Markdown, mapped from the same HTML as the PDF and the DOCX."""

from __future__ import annotations

from pipeline.render.formats import Format, Rendered, RenderJob


def render(job: RenderJob) -> Rendered:
    from pipeline.render.posting.markdown import html_to_markdown

    return Rendered(html_to_markdown(job.html, layout=f"layouts/{job.kind}.html.j2").encode("utf-8"))


FORMAT = Format("md", "md", ("job-description",), render, publishes=True)
