"""The employment type and the locations: read from labelled lines, or else inferred, and flagged.

Both are required by the model, so a role always gets them; when no labelled line says them, the
value is inferred from the words of the posting (the title and introduction for the contract, the
whole text for the work mode) or a default is written, and the report and a comment beside the
key in the role file say that it is a guess.
"""

from __future__ import annotations

from typing import Any

from pipeline.importing.facts import Place, read_employment, read_mode
from pipeline.importing.labelled import Facts
from pipeline.importing.report import Notes, quoted


def employment(facts: Facts, title: str, intro: list[str], pay: dict[str, Any] | None, notes: Notes,
               comments: dict[str, str]) -> str:
    """The contract type: the labelled line's, else words of the title or introduction ("Freelance",
    "Stage"), else contract for a day or hour rate, else full-time. Later text is not searched: its
    words ("contract tests", "every interview stage") too often mean something else."""
    if facts.employment is not None:
        kind, line = facts.employment
        notes.mapped.append(f"{quoted(line)} → employment_type: {kind}")
        return kind
    if found := read_employment("\n".join([title, *intro])):
        kind, why = found[0], f"read from the words “{found[1]}”"
    elif pay is not None and pay["period"] in ("day", "hour"):
        kind, why = "contract", f"the pay is a rate per {pay['period']}"
    else:
        kind, why = "full-time", "nothing names a contract type"
    notes.review.append(f"employment_type {kind} is a guess ({why}); no labelled line such as “Type:” says it")
    comments["employment_type"] = f"guessed ({why}); check it"
    return kind


def _location_data(place: Place) -> dict[str, Any]:
    data: dict[str, Any] = {"mode": place.mode}
    if place.places:
        data["places"] = list(place.places)
    if place.note:
        data["note"] = place.note
    return data


def locations(facts: Facts, text: str, notes: Notes, comments: dict[str, str]) -> list[dict[str, Any]]:
    """The labelled locations, a work-mode line settling the mode of any that named none; else the
    mode the text names ("a fully remote role"), with no place; else on-site with no place."""
    places = [p for found, _ in facts.locations for p in found]
    modes = [p for found, _ in facts.work_modes for p in found]
    for found, line in facts.locations + facts.work_modes:
        notes.mapped.append(f"{quoted(line)} → locations: " + "; ".join(
            p.mode + (f" ({', '.join(p.places)})" if p.places else "") for p in found))
    if modes and places:
        mode = modes[0]
        places = [Place(mode.mode, p.places, p.note or mode.note) if p.guessed else p for p in places]
        places += [m for m in modes if m.mode not in {p.mode for p in places}]
    elif modes:
        places = modes
    if any(p.guessed for p in places):
        notes.review.append("a location names no work mode (remote, hybrid, on-site): on-site is assumed")
        comments["locations"] = "a mode is guessed (on-site); check it"
    if places:
        return [_location_data(p) for p in places]
    if found := read_mode(text):
        notes.review.append(f"no labelled location: the mode {found[0]} was read from “{found[1]}” in the text, "
                            "with no place; add the places")
        comments["locations"] = f"guessed from “{found[1]}” in the text; add places"
        return [{"mode": found[0]}]
    notes.review.append("the posting names no location: on-site with no place was written; correct it")
    comments["locations"] = "the posting names no location; correct this"
    return [{"mode": "on-site"}]
