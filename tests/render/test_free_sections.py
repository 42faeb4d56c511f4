"""A section the model has no field for prints as its author wrote it, text after its list included.

Postings often close a list with a sentence ("Apply by 31 January…" after the interview steps); it
prints after the list in every format, each paragraph marked with the field it came from so a
draft's edits find their way back.
"""

from __future__ import annotations

import datetime as dt

from lxml import html as lxml_html

from conftest import FIXTURE_CONTENT, REPO
from pipeline.check.brands import load_brand
from pipeline.check.catalogue import load_catalogue
from pipeline.render.html import Document, render_html
from pipeline.render.posting.markdown import html_to_markdown
from pipeline.schema.role import FreeSection

SECTION = FreeSection.model_validate({
    "heading": "How we hire", "after": "apply", "paragraphs": ["Four steps, all within two weeks:"],
    "bullets": ["A call with our recruiter", "A talk with the team"], "numbered": True,
    "closing": ["Apply by 31 January; we answer every application."],
    "subsections": [{"heading": "After the offer", "bullets": ["A first week with a buddy"],
                     "closing": ["Questions? Ask us any time."]}]})


def _job_description() -> str:
    catalogue = load_catalogue(FIXTURE_CONTENT, today=dt.date(2026, 6, 1))
    role = catalogue.roles["support-engineer"]
    role = role.model_copy(update={"job_description": role.job_description.model_copy(update={"sections": [SECTION]})})
    return render_html(Document("job-description", role, catalogue.company, load_brand(REPO / "layouts", "default"),
                                dt.date(2026, 3, 1), {}), REPO / "layouts")


def test_text_after_a_list_prints_after_it_marked_with_its_field() -> None:
    page = lxml_html.document_fromstring(_job_description())
    section = next(s for s in page.iter("section") if s.findtext("h2") == "How we hire")
    order = [(el.tag, " ".join(el.text_content().split())) for el in section if el.tag in ("p", "ol", "ul", "h3")]
    assert [tag for tag, _ in order] == ["p", "ol", "p", "h3", "ul", "p"]
    assert order[2][1] == "Apply by 31 January; we answer every application."
    assert order[5][1] == "Questions? Ask us any time."
    sources = [p.get("data-src") for p in section.iter("p")]
    assert sources == ["role:job_description.sections.0.paragraphs.0", "role:job_description.sections.0.closing.0",
                       "role:job_description.sections.0.subsections.0.closing.0"]


def test_the_markdown_posting_keeps_the_order() -> None:
    markdown = html_to_markdown(_job_description())
    positions = [markdown.index(text) for text in ("Four steps", "1. A call with our recruiter", "Apply by 31 January",
                                                   "After the offer", "A first week with a buddy", "Questions? Ask")]
    assert positions == sorted(positions)
