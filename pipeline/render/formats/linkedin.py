"""LinkedIn: the Basic Jobs XML feed a brand's careers site publishes for LinkedIn to ingest.

Its fields follow LinkedIn's development guide for the feed (learn.microsoft.com/linkedin/talent/
job-postings/xml-feeds-development-guide, checked 2026-12-07): a job id of at most 40 characters,
the employer, title, a description of at least 100 characters in a small set of HTML tags, where to
apply, the company's LinkedIn page id, the location as "City, State" (or the country), the
workplace type (On-site, Hybrid, Remote), the job type and the salary the posting states. LinkedIn
reads the feed from its address: give it `<site>/feeds/linkedin.xml`.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

from pipeline.check.brands import LoadedBrand
from pipeline.render.formats import Format, Rendered, RenderJob, SitePage, feed_page
from pipeline.render.posting.boards import entries
from pipeline.render.posting.xml_feed import add, add_set, document

JOB_TYPES = {"full-time": "FULL_TIME", "part-time": "PART_TIME", "contract": "CONTRACT", "temporary": "TEMPORARY",
             "internship": "INTERNSHIP"}
WORKPLACES = {"on-site": "On-site", "hybrid": "Hybrid", "remote": "Remote"}
LEVELS = {"internship": "INTERNSHIP", "entry-level": "ENTRY_LEVEL", "associate": "ASSOCIATE",
          "mid-senior": "MID_SENIOR_LEVEL", "director": "DIRECTOR", "executive": "EXECUTIVE"}
PLACE = {"city": "city", "region": "state", "country": "country", "postal_code": "postalCode"}
PERIODS = {"year": "YEARLY", "month": "MONTHLY", "week": "WEEKLY", "day": "DAILY", "hour": "HOURLY"}
TAGS = {"p", "ul", "ol", "li", "br", "b", "strong", "i", "em", "u"}
"""The description markup LinkedIn's feed takes; headings become bold paragraphs, links their text
and address."""
ID_LENGTH = 40


def description(html: str) -> str:
    """The JobPosting description in the tags LinkedIn takes."""
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    for heading in fragment.xpath(".//h2|.//h3|.//h4"):
        paragraph, tail = heading.makeelement("p", {}), heading.tail
        heading.addprevious(paragraph)
        paragraph.append(heading)
        heading.tag, heading.tail, paragraph.tail = "strong", None, tail
    for link in fragment.xpath(".//a"):
        href, shown = link.get("href", ""), link.text_content()
        if href and href not in (shown, f"mailto:{shown}"):
            link.tail = f" ({href})" + (link.tail or "")
        link.drop_tag()
    for element in list(fragment.iter()):
        if element is not fragment and isinstance(element.tag, str) and element.tag not in TAGS:
            element.drop_tag()
    return (fragment.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in fragment)


def _location(place: dict) -> str:
    return ", ".join(v for v in (place["city"], place.get("region"), place["country"]) if v)


def _area(code: str) -> str:
    country, _, region = code.partition("-")
    return f"{region}, {country}" if region else country


def render(job: RenderJob) -> Rendered:
    root = etree.Element("source")
    found = entries(job.html)
    if job.brand.brand.site_url:
        add(root, "publisherUrl", job.brand.brand.site_url, cdata=False)
    add(root, "expectedJobCount", len(found), cdata=False)
    for item in found:
        posting, linkedin = item["posting"], item["linkedin"] or {"industry_codes": [], "job_functions": []}
        job_ = etree.SubElement(root, "job")
        add(job_, "partnerJobId", item["identifier"][:ID_LENGTH])
        add(job_, "company", posting["hiringOrganization"]["name"])
        add(job_, "title", posting["title"])
        add(job_, "description", description(posting["description"]))
        add(job_, "applyUrl", item["apply_url"])
        if linkedin.get("company_id"):
            add(job_, "companyId", linkedin["company_id"], cdata=False)
        locations = [_location(p) for p in item["places"]] or [_area(code) for code in item["remote_areas"]]
        add(job_, "location", locations[0])
        if len(locations) > 1:
            more = etree.SubElement(job_, "alternateLocations")
            for location in locations[1:]:
                add(more, "alternateLocation", location)
        if item["places"]:
            add_set(job_, item["places"][0], PLACE)
        add(job_, "workplaceTypes", WORKPLACES[item["workplace"]], cdata=False)
        add(job_, "jobtype", JOB_TYPES[item["employment_type"]], cdata=False)
        if linkedin.get("experience_level"):
            add(job_, "experienceLevel", LEVELS[linkedin["experience_level"]], cdata=False)
        if linkedin["industry_codes"]:
            codes = etree.SubElement(job_, "industryCodes")
            for code in linkedin["industry_codes"]:
                add(codes, "industryCode", code, cdata=False)
        if linkedin["job_functions"]:
            functions = etree.SubElement(job_, "jobFunctions")
            for function in linkedin["job_functions"]:
                add(functions, "jobFunction", function, cdata=False)
        if (pay := item["pay"]) is not None:
            salary = etree.SubElement(etree.SubElement(job_, "salaries"), "salary")
            for end, amount in (("highEnd", pay["max"]), ("lowEnd", pay["min"])):
                side = etree.SubElement(salary, end)
                add(side, "amount", amount, cdata=False)
                add(side, "currencyCode", pay["currency"], cdata=False)
            add(salary, "period", PERIODS[pay["period"]], cdata=False)
            add(salary, "type", "BASE_SALARY", cdata=False)
        if "validThrough" in posting:
            add(job_, "expirationDate", posting["validThrough"], cdata=False)
    return Rendered(document(root))


def site_pages(brand: LoadedBrand) -> tuple[SitePage, ...]:
    return feed_page(brand, "linkedin.xml")


FORMAT = Format("linkedin", "xml", ("job-description",), render, site=site_pages, cost=0.05, publishes=True,
                site_only=True, needs=("place",))
