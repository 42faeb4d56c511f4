"""A role as a schema.org JobPosting: the structured data search engines read from a job page.

Built from the validated role, following Google's job-posting guidelines (developers.google.com/
search/docs/appearance/structured-data/job-posting, checked 2026-12-01): the posting's values must be
what the page shows, so every value here comes from a field the job page also prints.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import lxml.html
from markupsafe import Markup

from pipeline.schema import Company, Role
from pipeline.schema.role import Place
from pipeline.schema.brand import Brand

EMPLOYMENT_TYPES = {"full-time": "FULL_TIME", "part-time": "PART_TIME", "contract": "CONTRACTOR",
                    "temporary": "TEMPORARY", "internship": "INTERN"}
UNITS = {"year": "YEAR", "month": "MONTH", "week": "WEEK", "day": "DAY", "hour": "HOUR"}
CODE_SETS = {"onet": ("O*NET-SOC 2019", "https://www.onetcenter.org/taxonomy/2019/list.html"),
             "isco": ("ISCO-08", "https://www.ilo.org/public/english/bureau/stat/isco/isco08/"),
             "esco": ("ESCO v1.2.0", "https://esco.ec.europa.eu/en/classification/occupation_main")}
"""The code lists a role's `occupation:` names, as a JobPosting's occupationalCategory cites them."""
DESCRIPTION_TAGS = {"p", "ul", "ol", "li", "h2", "h3", "h4", "br", "strong", "em", "b", "i", "a"}
"""The markup Google reads in a JobPosting description; other tags are unwrapped to their text."""


def page_name(slug: str) -> str:
    """The job page's file name inside the site, so links, the sitemap and the data agree."""
    return f"{slug}.html"


def fully_remote(role: Role) -> bool:
    return all(location.mode == "remote" for location in role.locations)


def locality(place) -> str:
    """The city of a place: a name that spells out its own region or country ("Denver, CO",
    "Manchester, UK", as imports keep them) gives only the city."""
    return place.name.split(",")[0].strip() if "," in place.name and place.country else place.name


def _address(place) -> dict[str, str]:
    """A place's postal address."""
    address = {"@type": "PostalAddress", "addressLocality": locality(place), "addressCountry": place.country}
    if place.region:
        address["addressRegion"] = place.region
    if place.postal_code:
        address["postalCode"] = place.postal_code
    if place.street:
        address["streetAddress"] = place.street
    return address


def office_places(role: Role) -> list[tuple[Place, str]]:
    """Every office place that names its country, once each, in the order the role lists them, with
    how the job is worked there (on-site or hybrid)."""
    seen, found = set(), []
    for location in role.locations:
        for place in location.places if location.mode != "remote" else ():
            key = (place.name, place.country, place.region)
            if place.country and key not in seen:
                seen.add(key)
                found.append((place, location.mode))
    return found


def job_locations(role: Role) -> list[dict[str, Any]]:
    """Every office place that names its country, as schema.org Places."""
    return [{"@type": "Place", "address": _address(place)} for place, _ in office_places(role)]


def applicant_areas(role: Role) -> list[dict[str, str]]:
    """Where a remote hire may live, as schema.org Country or State entries."""
    areas = dict.fromkeys(code for location in role.locations if location.mode == "remote"
                          for code in location.hires_in)
    return [{"@type": "State" if "-" in code else "Country", "name": code} for code in areas]


def posted_range(role: Role) -> tuple[int, int] | None:
    """The lowest and highest figure of the levels the posting states."""
    comp = role.compensation
    if comp is None or not comp.disclosed or not comp.posted:
        return None
    bands = comp.posted
    return min(b.min for b in bands), max(b.max for b in bands)


def description_html(html: str) -> str:
    """The job description's body as the small HTML subset a JobPosting description takes."""
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    for table in list(fragment.iter("table")):
        _table_as_list(table)
    for element in list(fragment.iter()):
        if element is fragment or not isinstance(element.tag, str):
            continue
        if element.tag not in DESCRIPTION_TAGS:
            following = element.getnext()
            if following is not None and following.tag == element.tag and not element.tail:
                # items the page sets apart by layout alone ("Remote: …" over "Hybrid: …") keep a separator
                element.tail = " " if element.text_content().rstrip()[-1:] in ".!?:;" else "; "
            element.drop_tag()
            continue
        kept = {"href": element.get("href")} if element.tag == "a" and element.get("href") else {}
        element.attrib.clear()
        element.attrib.update(kept)
    inner = (fragment.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in fragment)
    return " ".join(inner.split())


def _table_as_list(table) -> None:
    """A table (the pay bands) as the description markup allows: its header as a line, each row as
    an item, "Junior: $82,460 – $105,210"."""
    rows = [[" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")] for row in table.iter("tr")]
    header = table.xpath("./thead/tr")
    replacement = lxml.html.fragment_fromstring("<div></div>")
    if header:
        label = lxml.html.Element("p")
        label.text = " · ".join(rows.pop(0))
        replacement.append(label)
    items = lxml.html.Element("ul")
    for cells in rows:
        item = lxml.html.Element("li")
        item.text = ": ".join(cells)
        items.append(item)
    replacement.append(items)
    replacement.tail = table.tail
    table.getparent().replace(table, replacement)


def job_posting(role: Role, company: Company, brand: Brand, posted: dt.date | None, description: str) -> dict[str, Any]:
    """The JobPosting for `role` as published on `brand`'s careers site."""
    site = brand.site_url.rstrip("/") + "/" if brand.site_url else None
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": role.title,
        "description": description_html(description),
        "identifier": {"@type": "PropertyValue", "name": company.name, "value": role.posting.identifier or role.slug},
        "employmentType": EMPLOYMENT_TYPES[role.employment_type],
        "hiringOrganization": {"@type": "Organization", "name": company.name},
        "directApply": role.posting.direct_apply,
    }
    if posted is not None:
        data["datePosted"] = posted.isoformat()
    if role.posting.closes is not None:
        data["validThrough"] = role.posting.closes.isoformat()
    if company.website:
        data["hiringOrganization"]["sameAs"] = company.website
    if site and brand.logo:
        data["hiringOrganization"]["logo"] = f"{site}assets/{brand.logo}"
    if site:
        data["url"] = f"{site}{page_name(role.slug or '')}"
    if locations := job_locations(role):
        data["jobLocation"] = locations
    if fully_remote(role):
        data["jobLocationType"] = "TELECOMMUTE"
        if areas := applicant_areas(role):
            data["applicantLocationRequirements"] = areas
    if role.occupation is not None:
        data["occupationalCategory"] = [
            {"@type": "CategoryCode", "codeValue": code, "inCodeSet": {"@type": "CategoryCodeSet", "name": name, "url": url}}
            for code, (name, url) in ((role.occupation.onet, CODE_SETS["onet"]), (role.occupation.isco, CODE_SETS["isco"]),
                                      (role.occupation.esco, CODE_SETS["esco"])) if code is not None]
    wanted = role.qualifications
    if wanted.experience_months is not None:
        data["experienceRequirements"] = {"@type": "OccupationalExperienceRequirements",
                                          "monthsOfExperience": wanted.experience_months}
    if wanted.education is not None:
        data["educationRequirements"] = {"@type": "EducationalOccupationalCredential",
                                         "credentialCategory": wanted.education}
        data["experienceInPlaceOfEducation"] = wanted.experience_instead_of_education
    if (pay := posted_range(role)) is not None:
        low, high = pay
        value = {"@type": "QuantitativeValue", "unitText": UNITS[role.compensation.period]}  # type: ignore[union-attr]
        value.update({"value": low} if low == high else {"minValue": low, "maxValue": high})
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": role.compensation.currency,  # type: ignore[union-attr]
                              "value": value}
    return data


def script_json(data: dict[str, Any]) -> Markup:
    """JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` escaped, so no
    text in the content can close the script or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
