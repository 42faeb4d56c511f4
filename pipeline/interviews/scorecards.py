"""A filled form read as one interviewer's scorecard for one candidate, checked against the role.

The form's field names say which role and stage it was printed for (`<role>/<stage>/…`, `*` for
the hiring guide's scorecard, which serves any stage and asks which); the candidate's name is what
the interviewer typed. A form of another role, of a stage the role does not have, or of another
candidate is refused; a form filled only in part is kept, with what it lacks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.interviews.forms import Filled
from pipeline.schema import Role
from pipeline.schema.role import Anchors

SCALE = tuple(Anchors.model_fields)
"""The four ratings, 1 to 4, as the forms' choices name them: the anchors' own names, in their order."""
ANY_STAGE = "*"


class ScorecardError(ValueError):
    """Why a form is not a scorecard of this role and candidate: `reason` names the case for the
    debrief, which says it in the role's language; the message says it to whoever runs the command."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Lack:
    """Something a scorecard asks for that the interviewer left out: `what` names the case (for the
    debrief's own words), `attribute` the attribute's name where there is one."""

    what: str  # "rating", "ratings" (several ticked), "evidence", "overall", "overalls", "interviewer"
    attribute: str = ""
    ticked: int = 0

    def __str__(self) -> str:
        return {"rating": f"a rating for {self.attribute}",
                "ratings": f"a single rating for {self.attribute} (it has {self.ticked} ticked)",
                "evidence": f"evidence for its {self.attribute} rating",
                "overall": "an overall recommendation",
                "overalls": "a single overall recommendation",
                "interviewer": "the interviewer's name"}[self.what]


@dataclass
class Scorecard:
    file: Path
    stage: str
    """The stage's key."""
    candidate: str
    interviewer: str
    date: str
    ratings: dict[str, int] = field(default_factory=dict)
    """Attribute id → 1–4, for the attributes rated."""
    evidence: dict[str, str] = field(default_factory=dict)
    overall: int | None = None
    lacks: list[Lack] = field(default_factory=list)
    """What the interviewer left empty that the scorecard asks for."""


def same_person(first: str, second: str) -> bool:
    """Two spellings of one name: case, accents (Léa, Lea) and spacing do not count."""
    def plain(text: str) -> str:
        letters = unicodedata.normalize("NFKD", text.casefold())
        return " ".join("".join(c for c in letters if not unicodedata.combining(c)).split())
    return plain(first) == plain(second)


def scorecard_of(file: Path, filled: Filled, role: Role, slug: str, candidate: str) -> Scorecard:
    """The scorecard `filled` holds, for `role` (whose slug is `slug`) and `candidate`."""
    assert role.interview is not None
    names = list(filled.values) + list(filled.choices)
    ours = [n for n in names if n.count("/") >= 2]
    if not ours:
        raise ScorecardError("no-fields", "it has no rolepack scorecard fields; send the scorecard from the role's "
                             "interview kit or hiring guide, filled in")
    roles = {n.split("/", 1)[0] for n in ours}
    if slug not in roles:
        raise ScorecardError("other-role", f"it is a scorecard for the role {sorted(roles)[0]!r}, not {slug!r}")
    prefixes = {"/".join(n.split("/", 2)[:2]) for n in ours if n.split("/", 1)[0] == slug}
    if len(prefixes) > 1:
        raise ScorecardError("mixed", f"it mixes the fields of several scorecards ({', '.join(sorted(prefixes))})")
    prefix = prefixes.pop()
    stage_key = prefix.split("/", 1)[1]
    stages = {stage.key: stage for stage in role.interview.stages}

    def value(name: str) -> str:
        return " ".join(filled.values.get(f"{prefix}/{name}", "").split())

    if stage_key == ANY_STAGE:
        typed = value("stage")
        found = [s.key for s in role.interview.stages if typed and (same_person(typed, s.name) or typed == s.key)]
        if not found:
            known = "; ".join(s.name for s in role.interview.stages)
            raise ScorecardError("unknown-stage" if typed else "no-stage", f"its stage is {typed!r}, which is not a stage of this role; type one of: {known}"
                                 if typed else f"it does not say which stage it scores; type one of: {known}")
        stage_key = found[0]
    elif stage_key not in stages:
        raise ScorecardError("unknown-stage", f"it is the scorecard of a stage {stage_key!r} that the role does not have "
                             f"(its stages: {', '.join(stages)}); it may come from an older version of the role")
    stage = stages[stage_key]
    typed_candidate = value("candidate")
    if not typed_candidate:
        raise ScorecardError("no-candidate", "it does not name the candidate; type the candidate's name in the form")
    if not same_person(typed_candidate, candidate):
        raise ScorecardError("other-candidate", "it is the scorecard of another candidate")  # whose name stays out of the output
    card = Scorecard(file, stage_key, typed_candidate, value("interviewer"), value("date"))
    # The guide's scorecard lists every attribute; a kit's, the stage's own.
    attributes = [a for a in role.interview.scorecard if prefix.endswith(ANY_STAGE) or a.id in stage.focus]
    for attribute in attributes:
        chosen = filled.choices.get(f"{prefix}/rating/{attribute.id}", [])
        if len(chosen) > 1:
            card.lacks.append(Lack("ratings", attribute.name, len(chosen)))
        elif chosen and chosen[0] in SCALE:
            card.ratings[attribute.id] = SCALE.index(chosen[0]) + 1
        elif attribute.id in stage.focus:
            card.lacks.append(Lack("rating", attribute.name))
        text = filled.values.get(f"{prefix}/evidence/{attribute.id}", "").strip()
        if text:
            card.evidence[attribute.id] = text
        elif attribute.id in card.ratings:
            card.lacks.append(Lack("evidence", attribute.name))
    overall = filled.choices.get(f"{prefix}/overall", [])
    if len(overall) == 1 and overall[0] in SCALE:
        card.overall = SCALE.index(overall[0]) + 1
    else:
        card.lacks.append(Lack("overall" if not overall else "overalls", ticked=len(overall)))
    if not card.interviewer:
        card.lacks.append(Lack("interviewer"))
    if not card.ratings and card.overall is None:
        raise ScorecardError("empty", "it is not filled in: no attribute is rated and there is no overall recommendation")
    return card
