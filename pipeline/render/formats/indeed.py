"""Indeed: the XML job feed a direct employer's careers site publishes for Indeed to crawl.

Its elements follow Indeed's XML feed reference (docs.indeed.com/indeed-apply/xml-feed, checked
2026-12-07): each job's title, first publication date, reference and requisition numbers, the
job's page, the employer, where it is, its description, the salary as the page states it, the job
type, the expiry date and, for remote work, the remote type. Indeed takes one job per location,
each with its own reference number, so a role open in two cities is two jobs. Give Indeed the
feed's address, `<site>/feeds/indeed.xml`.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from pipeline.check.brands import LoadedBrand
from pipeline.render.formats import Format, Rendered, RenderJob, SitePage, feed_page
from pipeline.render.posting.boards import entries
from pipeline.render.posting.xml_feed import add, add_set, document

JOB_TYPES = {"full-time": "fulltime", "part-time": "parttime", "contract": "contract", "temporary": "temporary",
             "internship": "internship"}
REMOTE_TYPES = {"remote": "Fully remote", "hybrid": "Hybrid remote"}
PLACE = {"city": "city", "region": "state", "country": "country", "postal_code": "postalcode", "street": "streetaddress"}


def _reference(identifier: str, where: str, several: bool) -> str:
    """The job's own reference: the requisition's id, with the place when the role has several."""
    if not several:
        return identifier
    return f"{identifier}-" + re.sub(r"[^a-z0-9]+", "-", where.casefold()).strip("-")


def _salaries(html: str) -> list[str]:
    """The pay line each entry's layout wrote, in the role's language (empty where none is stated)."""
    if not html.strip():
        return []
    return [" ".join(node.xpath('string(.//p[@class="salary"])').split())
            for node in lxml.html.fromstring(f"<div>{html}</div>").xpath("//article")]


def render(job: RenderJob) -> Rendered:
    root = etree.Element("source")
    if job.brand.brand.site_url:
        add(root, "publisherurl", job.brand.brand.site_url, cdata=False)
    for item, salary in zip(entries(job.html), _salaries(job.html), strict=True):
        posting = item["posting"]
        spots = [(place, place["mode"]) for place in item["places"]]
        spots += [({"country": code.split("-")[0], "region": code.partition("-")[2] or None}, "remote")
                  for code in item["remote_areas"]]
        for place, mode in spots:
            where = " ".join(v for v in (place["country"], place.get("region"), place.get("city")) if v)
            element = etree.SubElement(root, "job")
            add(element, "title", posting["title"])
            add(element, "date", posting["datePosted"])
            add(element, "referencenumber", _reference(item["identifier"], where, len(spots) > 1))
            add(element, "requisitionid", item["identifier"])
            add(element, "url", posting["url"])
            add(element, "company", posting["hiringOrganization"]["name"])
            add(element, "sourcename", posting["hiringOrganization"]["name"])
            add_set(element, place, PLACE)
            add(element, "description", posting["description"])
            if salary:
                add(element, "salary", salary)
            add(element, "jobtype", JOB_TYPES[item["employment_type"]])
            if "validThrough" in posting:
                add(element, "expirationdate", posting["validThrough"])
            if mode in REMOTE_TYPES:
                add(element, "remotetype", REMOTE_TYPES[mode])
    return Rendered(document(root))


def site_pages(brand: LoadedBrand) -> tuple[SitePage, ...]:
    return feed_page(brand, "indeed.xml")


FORMAT = Format("indeed", "xml", ("job-description",), render, site=site_pages, cost=0.05, publishes=True,
                site_only=True, needs=("place", "posted"))
