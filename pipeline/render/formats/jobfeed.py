"""A job feed any system can read: `feeds/jobs.json`, a schema.org DataFeed of JobPosting items.

Chosen over HR Open Standards' PositionOpening because its items are the very JobPosting data the
job pages embed and Google reads (job_posting.py), so the feed, the pages and the search engines
can never disagree, and a reader needs no second vocabulary; an ATS or an aggregator that takes
schema.org (most do, since Google's job search) reads it as is. The feed is a DataFeed
(schema.org/DataFeed) whose `dataFeedElement` lists one JobPosting per published role.
"""

from __future__ import annotations

import json

from pipeline.check.brands import LoadedBrand
from pipeline.render.formats import Format, Rendered, RenderJob, SitePage, feed_page
from pipeline.render.posting.boards import entries


def render(job: RenderJob) -> Rendered:
    items = [item["posting"] for item in entries(job.html)]
    for item in items:
        item.pop("@context", None)
    feed = {"@context": "https://schema.org/", "@type": "DataFeed", "url": job.brand.brand.site_url,
            "dataFeedElement": items}
    return Rendered((json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def site_pages(brand: LoadedBrand) -> tuple[SitePage, ...]:
    return feed_page(brand, "jobs.json")


FORMAT = Format("jobfeed", "json", ("job-description",), render, site=site_pages, cost=0.05, publishes=True,
                site_only=True)
