"""`no-country`: a place with no country, so that no pay or posting law can be chosen for it.

Pay-transparency laws apply by country, state and province; a role whose places are bare names
("Denver", "Toronto") passes every law silently, which reads as "no law applies" when it is only
"rolepack could not tell". The warning names the place and asks for its codes.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.lint.rule import Hit, Rule, Source, Subject


def check(subject: Subject) -> Iterator[Hit]:
    for i, location in enumerate(subject.role.locations):
        if location.mode == "remote":  # its places may be time zones; where hires may live is `hires_in`
            if not location.hires_in and not any(place.country for place in location.places):
                yield from _remote(subject, i)
            continue
        for j, place in enumerate(location.places):
            if place.country is None:
                yield Hit(subject.where(("locations", i, "places", j)),
                          f"“{place.name}” has no country, so no pay or posting law can be chosen for it",
                          f"{{name: {place.name}, country: XX}} (and region: for a US state or Canadian province)")


def _remote(subject: Subject, i: int) -> Iterator[Hit]:
    yield Hit(subject.where(("locations", i)),
              "a remote location that says nowhere a hire may live, so no pay or posting law can be chosen",
              "hires_in: [US] (the countries or regions a hire may live in)")


def _sources() -> list[Source]:
    return [Source("pipeline/lint/rules/no_country.py", "rolepack's own rule: the laws in data/pay_transparency.yaml "
                   "are chosen by ISO 3166 country and subdivision codes", "rolepack", "MIT (rolepack)")]


RULE = Rule(
    id="no-country",
    severity="warning",
    summary="a place or remote location with no country, so no law can be chosen for it",
    explanation=(
        "Every pay-transparency and posting law rolepack checks applies by where the job is: a country, and in the "
        "United States and Canada a state or province. A place written as a bare name has no such code, so lint "
        "cannot tell which laws apply and reports none; that silence is not a pass. A warning, because a name "
        "may be right and only its codes missing."),
    check=check,
    sources=_sources,
)
