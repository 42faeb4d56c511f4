"""A role as job boards take it: one feed entry per role, the data every feed format maps from.

An entry is the role's JobPosting (job_posting.py, so a feed says exactly what the job page says,
its description in the role's own language) and the facts boards ask for in their own terms: where
the job is, how it is worked, the pay the posting states, where to apply. The layouts render an
entry per role into the feed's page (`web/feed-entry.html.j2`), in the role's language; the feed
formats read the entries back (`entries`) and write each board's file from them alone.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import lxml.html

from pipeline.render.errors import RenderError
from pipeline.render.posting.job_posting import applicant_areas, job_posting, locality, office_places, page_name, posted_range
from pipeline.schema import Company, Role
from pipeline.schema.brand import Brand
from pipeline.source.yaml_reader import DataPath

ENTRY = "application/vnd.rolepack.feed-entry+json"
"""The type of the script that carries an entry in the feed's page."""


def workplace(role: Role) -> str:
    """How the job is worked, as one word: remote only when every location is remote, hybrid when
    any is, else on-site (a board takes one)."""
    modes = {location.mode for location in role.locations}
    if modes == {"remote"}:
        return "remote"
    return "hybrid" if "hybrid" in modes else "on-site"


def places(role: Role) -> list[dict[str, str]]:
    """Every office place that names its country, once each, with the parts a board's fields take."""
    return [{k: v for k, v in {"city": locality(place), "region": place.region, "country": place.country,
                               "postal_code": place.postal_code, "street": place.street, "mode": mode}.items() if v}
            for place, mode in office_places(role)]


def apply_url(role: Role, brand: Brand) -> str | None:
    """Where a candidate applies: the role's own address, else its page on the careers site."""
    if role.posting.apply_url:
        return role.posting.apply_url
    if brand.site_url:
        return brand.site_url.rstrip("/") + "/" + page_name(role.slug or "")
    return None


def entry(role: Role, company: Company, brand: Brand, posted: dt.date | None, description: str) -> dict[str, Any]:
    """The feed entry of `role` as published on `brand`'s careers site."""
    pay = posted_range(role)
    linkedin = role.posting.linkedin
    return {
        "posting": job_posting(role, company, brand, posted, description),
        "slug": role.slug,
        "language": role.language,
        "identifier": role.posting.identifier or role.slug,
        "department": role.department,
        "employment_type": role.employment_type,
        "workplace": workplace(role),
        "places": places(role),
        "remote_areas": [area["name"] for area in applicant_areas(role)],
        "pay": None if pay is None else {"min": pay[0], "max": pay[1], "currency": role.compensation.currency,  # type: ignore[union-attr]
                                         "period": role.compensation.period},  # type: ignore[union-attr]
        "apply_url": apply_url(role, brand),
        "linkedin": linkedin.model_dump(mode="json") if linkedin else None,
    }


def entries(html: str) -> list[dict[str, Any]]:
    """The entries a feed's page carries, in its order."""
    if not html.strip():
        return []
    scripts = lxml.html.fromstring(html).xpath(f'//script[@type="{ENTRY}"]')
    try:
        return [json.loads(script.text) for script in scripts]
    except (TypeError, ValueError) as err:
        raise RenderError(f"the feed entry layout must write each entry as JSON: {err}") from None


def lacks(role: Role, brand: Brand, needed: tuple[str, ...]) -> list[tuple[DataPath, str]]:
    """What a board that needs `needed` cannot take this role without: each with the field to write.

    The names: `apply_url` (an address to apply at), `place` (an office place with its country, or
    the countries a remote hire may live in), `posted` (the date the posting went live)."""
    found: list[tuple[DataPath, str]] = []
    if "apply_url" in needed and apply_url(role, brand) is None:
        found.append((("posting", "apply_url"), "the board needs an address to apply at: write `apply_url` under "
                      "`posting`, or give the brand a `site_url` so the careers page is that address"))
    if "place" in needed and not places(role) and not any(loc.hires_in for loc in role.locations):
        found.append((("locations",), "the board needs the job's country: give a place its `country:` (and "
                      "`region:`), or a remote location the `hires_in:` countries"))
    if "posted" in needed and role.posting.posted is None and role.reviewed is None:
        found.append((("posting", "posted"), "the board needs the date the posting went live: write `posted:` "
                      "under `posting` (or the role's `reviewed:` date)"))
    return found
