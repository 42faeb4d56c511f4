"""The job pages a build changed, as requests to Google's Indexing API, for a deploy step to send.

Google's Indexing API takes one request per job page: `{"url": …, "type": "URL_UPDATED"}` when a
page is new or changed, `"URL_DELETED"` when it is gone or carries `noindex` (a closed position's
page does) (developers.google.com/search/apis/indexing-api/v3/using-api, checked 2026-12-07).
rolepack sends nothing: each build adds what it changed to `OUT/<brand>/indexing-requests.json`,
the latest word on a page replacing an earlier one, and the deploy step sends the list once the site
is live and then deletes the file. A brand without a `site_url` has no addresses, so no list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from pipeline.check.brands import LoadedBrand
from pipeline.export.store import atomic_write, inside
from pipeline.render.posting.job_posting import page_name

FILE = "indexing-requests.json"
UPDATED, DELETED = "URL_UPDATED", "URL_DELETED"


def changes(built: Iterable[Mapping[str, str]], removed: Iterable[Mapping[str, str]], closed: frozenset[str],
            brands: Mapping[str, LoadedBrand]) -> dict[str, dict[str, str]]:
    """Per brand, each job page the build wrote or removed: its address and what happened to it."""
    found: dict[str, dict[str, str]] = {}

    def note(output: Mapping[str, str], change: str) -> None:
        brand = brands.get(output.get("brand", ""))
        if output.get("format") != "html" or not output.get("role") or brand is None or not brand.brand.site_url:
            return
        url = brand.brand.site_url.rstrip("/") + "/" + page_name(output["role"])
        found.setdefault(output["brand"], {})[url] = change

    for output in built:
        note(output, DELETED if output.get("role") in closed else UPDATED)
    for output in removed:
        note(output, DELETED)
    return found


def record(out, found: Mapping[str, Mapping[str, str]]) -> None:
    """Add each brand's changes to its list, the latest change to a page replacing the one before."""
    for brand, pages in found.items():
        path = inside(out, f"{brand}/{FILE}")
        if path is None or not pages:
            continue
        try:
            known = {item["url"]: item["type"] for item in json.loads(path.read_text(encoding="utf-8"))}
        except (OSError, ValueError, TypeError, KeyError):  # none yet, or not a list rolepack wrote: start afresh
            known = {}
        known.update(pages)
        body = [{"url": url, "type": change} for url, change in sorted(known.items())]
        atomic_write(path, (json.dumps(body, indent=2) + "\n").encode("utf-8"))
