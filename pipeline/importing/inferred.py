"""The employment type and the locations: what the posting states, and nothing it does not.

Both are required by the model. When the posting states them (a labelled line, the title, a facts
line, "this is a 6-month contract role"), they are read; when it does not, the role file gets
CONFIRM with a comment beside it, and the import report lists it first: a person writes what is
true, and until then the role does not validate, so no guess is ever printed as a fact.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.importing.facts import Place, read_employment, read_mode
from pipeline.importing.labelled import Facts
from pipeline.importing.places import resolve
from pipeline.importing.report import Notes, quoted
from pipeline.importing.text import fold
from pipeline.importing.vocabulary import vocabulary
from pipeline.source.scaffold import CONFIRM

_STATED = re.compile(r"\b(?:this|it)\s+is\s+an?\s+(?:[\w-]+\s+){0,3}?[\w-]+\s+"
                     r"(?:role|position|job|contract|engagement|assignment)\b", re.IGNORECASE)
"""An English sentence that states the contract outright: "This is a 6-month contract role"."""


def _from_prose(text: str) -> tuple[str, str] | None:
    """A contract type prose states: an unambiguous word ("CDI", "Vollzeit"), or an ambiguous one
    ("contract") only where a sentence says the job is one."""
    vocab = vocabulary()
    for match in _STATED.finditer(text):
        if found := read_employment(match.group(0)):
            return found[0], match.group(0)
    for kind, phrase in vocab.employment_types.find(text):
        if fold(phrase) not in vocab.employment_ambiguous:
            return kind, phrase
    return None


def employment(facts: Facts, title: str, intro: list[str], pay: dict[str, Any] | str, notes: Notes,
               comments: dict[str, str], text: str = "") -> str:
    """The contract type the posting states: its labelled line's, its title's ("Freelance", "Stage"),
    its introduction's, or a sentence anywhere that says what the job is ("This is a 6-month contract
    role"); else CONFIRM. Later text is not searched: its words ("contract tests",
    "every interview stage") too often mean something else."""
    if facts.employment is not None:
        kind, line = facts.employment
        notes.mapped.append(f"{quoted(line)} → employment_type: {kind}")
        return kind
    if found := read_employment(title):
        notes.mapped.append(f"the title's “{found[1]}” → employment_type: {found[0]}")
        return found[0]
    if found := _from_prose("\n".join(intro)):
        notes.mapped.append(f"“{found[1]}” in the introduction → employment_type: {found[0]}")
        return found[0]
    if (stated := _STATED.search(text)) and (found := read_employment(stated.group(0))):
        notes.mapped.append(f"“{stated.group(0)}” → employment_type: {found[0]}")
        return found[0]
    hint = f"; its pay is a rate per {pay['period']}" if isinstance(pay, dict) and pay.get("period") in ("day", "hour") else ""
    notes.confirm.append(f"employment_type: the posting does not say{hint}; write full-time, part-time, contract, "
                         "temporary or internship")
    comments["employment_type"] = "the posting does not say: write full-time, part-time, contract, temporary or internship"
    return CONFIRM


def _location_data(place: Place, notes: Notes, currency: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"mode": CONFIRM if place.guessed else place.mode}
    places: list[Any] = []
    hires_in: list[str] = []
    for name in place.places:
        found = resolve(name, currency)
        if found is None:
            notes.confirm.append(f"the place “{name}” could not be placed in a country, so no pay law can be chosen "
                                 "for it: add its `country:` (and `region:` for a US state or Canadian province)")
            places.append(name)
            continue
        area = found.country + (f"-{found.region}" if found.region else "")
        if place.mode == "remote" and found.country_only:
            hires_in.append(found.country)
            notes.mapped.append(f"“{name}” → hires_in: {found.country} (remote, hiring in that country)")
            continue
        places.append({"name": found.name, "country": found.country, **({"region": found.region} if found.region else {})})
        why = f"; of the places of that name, the one in a country paying in {currency}" if found.by_currency else ""
        notes.mapped.append(f"“{name}” → {area} (ISO 3166{why})")
    if places:
        data["places"] = places
    if hires_in:
        data["hires_in"] = hires_in
    if place.note:
        data["note"] = place.note
    return data


def locations(facts: Facts, text: str, notes: Notes, comments: dict[str, str]) -> list[dict[str, Any]] | str:
    """The labelled locations, a work-mode line settling the mode of any that named none; else the
    mode the text names ("a fully remote role"), with no place; else CONFIRM. A place named with
    no mode gets CONFIRM for its mode."""
    places = [p for found, _ in facts.locations for p in found]
    modes = [p for found, _ in facts.work_modes for p in found]
    for found, line in facts.locations + facts.work_modes:
        notes.mapped.append(f"{quoted(line)} → locations: " + "; ".join(
            p.mode + (f" ({', '.join(p.places)})" if p.places else "") for p in found if not p.guessed))
    if modes and places:
        mode = modes[0]
        places = [Place(mode.mode, p.places, p.note or mode.note) if p.guessed else p for p in places]
        places += [m for m in modes if m.mode not in {p.mode for p in places}]
    elif modes:
        places = modes
    if places:
        if any(p.guessed for p in places):
            notes.confirm.append("locations: the posting names a place but not how the job is done there; "
                                 "write on-site, hybrid or remote for its `mode`")
            comments["locations"] = "the posting does not say on-site, hybrid or remote: write the mode"
        return [_location_data(p, notes, facts.pay[0].currency if facts.pay else None) for p in places]
    if found := read_mode(text):
        notes.mapped.append(f"“{found[1]}” in the text → locations: {found[0]}, with no place (the posting names none)")
        return [{"mode": found[0]}]
    notes.confirm.append("locations: the posting does not say where the job is done; write its places and mode")
    comments["locations"] = "the posting does not say where the job is done: write its places and mode"
    return CONFIRM
