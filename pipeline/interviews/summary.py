"""The panel's scorecards for one candidate, side by side: the debrief's numbers, from data alone.

Per attribute: every interviewer's rating and evidence, the spread, and a flag where two ratings
are two or more steps apart (one says "lean no", another "strong yes": talk about it first).
Then what is missing: attributes nobody rated, stages with no scorecard, and how many of the
expected scorecards came in (Greenhouse's benchmark is 90 % submitted). A weighted summary, when
the role gives attribute weights, is a summary for the discussion, not a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.interviews.scorecards import Lack, Scorecard
from pipeline.schema import Role

DISAGREEMENT = 2
"""Ratings this many steps apart or more are flagged."""
SUBMISSION_BENCHMARK = 0.9
"""Greenhouse's benchmark for a healthy loop: at least 90 % of scorecards submitted."""


@dataclass(frozen=True)
class Rating:
    interviewer: str
    stage: str
    """The stage's name."""
    score: int
    evidence: str


@dataclass
class AttributeRow:
    id: str
    name: str
    weight: float | None
    ratings: list[Rating] = field(default_factory=list)

    @property
    def spread(self) -> int | None:
        scores = [r.score for r in self.ratings]
        return max(scores) - min(scores) if scores else None

    @property
    def mean(self) -> float | None:
        scores = [r.score for r in self.ratings]
        return sum(scores) / len(scores) if scores else None

    @property
    def disagreement(self) -> bool:
        return (self.spread or 0) >= DISAGREEMENT


@dataclass
class Debrief:
    role_title: str
    candidate: str
    rows: list[AttributeRow]
    overall: list[tuple[str, str, int | None]]
    """(interviewer, stage name, 1–4 or None) per scorecard."""
    missing_stages: list[str]
    """Names of the stages with no scorecard."""
    expected: int
    received: int
    lacks: list[tuple[str, str, list[Lack]]] = field(default_factory=list)
    """(interviewer, stage name, what their scorecard lacks), for scorecards filled in part."""
    set_aside: list[tuple[str, str]] = field(default_factory=list)
    """(file name, reason) for the files that could not be used (reasons: scorecards.ScorecardError)."""

    @property
    def unassessed(self) -> list[str]:
        return [row.name for row in self.rows if not row.ratings]

    @property
    def disagreements(self) -> list[str]:
        return [row.name for row in self.rows if row.disagreement]

    @property
    def submitted(self) -> float:
        return self.received / self.expected if self.expected else 1.0

    @property
    def below_benchmark(self) -> bool:
        return self.submitted < SUBMISSION_BENCHMARK

    @property
    def weighted(self) -> float | None:
        """The weighted mean of the attributes' mean ratings, over the attributes rated, when the
        role weighs any attribute (an unweighted one then counts 1)."""
        rated = [row for row in self.rows if row.mean is not None]
        if not rated or all(row.weight is None for row in self.rows):
            return None
        total = sum(row.weight or 1.0 for row in rated)
        return sum((row.weight or 1.0) * row.mean for row in rated) / total  # type: ignore[operator]


def debrief_of(role: Role, candidate: str, cards: list[Scorecard],
               set_aside: list[tuple[str, str]] = ()) -> Debrief:  # type: ignore[assignment]
    """The debrief of `cards`, every one already checked to be this role's and this candidate's."""
    assert role.interview is not None
    names = {stage.key: stage.name for stage in role.interview.stages}
    ordered = sorted(cards, key=lambda c: ([s.key for s in role.interview.stages].index(c.stage), c.interviewer.casefold()))
    rows = [AttributeRow(a.id, a.name, a.weight) for a in role.interview.scorecard]
    for card in ordered:
        for row in rows:
            if row.id in card.ratings:
                row.ratings.append(Rating(card.interviewer, names[card.stage], card.ratings[row.id],
                                          card.evidence.get(row.id, "")))
    scored = {card.stage for card in cards}
    return Debrief(
        role_title=role.title, candidate=candidate, rows=rows,
        overall=[(card.interviewer, names[card.stage], card.overall) for card in ordered],
        missing_stages=[stage.name for stage in role.interview.stages if stage.key not in scored],
        expected=len(role.interview.stages), received=len(scored),
        lacks=[(card.interviewer, names[card.stage], card.lacks) for card in ordered if card.lacks],
        set_aside=list(set_aside))
