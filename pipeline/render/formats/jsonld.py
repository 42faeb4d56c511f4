"""JSON-LD: the schema.org JobPosting of a role, for job boards and search engines that take it
as a file. It is the very data the role's job page embeds, so the two can never disagree."""

from __future__ import annotations

import json

import lxml.html

from pipeline.render.errors import RenderError
from pipeline.render.formats import Format, Rendered, RenderJob


def render(job: RenderJob) -> Rendered:
    scripts = lxml.html.fromstring(job.html).xpath('//script[@type="application/ld+json"]')
    if len(scripts) != 1:
        raise RenderError(f"{job.path}: the job page layout must embed exactly one JobPosting script, "
                          f"found {len(scripts)}")
    data = json.loads(scripts[0].text)
    return Rendered((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


FORMAT = Format("jsonld", "jsonld", ("job-description",), render, layout="web/{kind}.html.j2", cost=0.05,
                publishes=True)
