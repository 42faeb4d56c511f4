"""The two law tables lint reads: pay-transparency duties by jurisdiction, and protected topics.

Their format is a contract with the people who keep them (see each model); the loaders check it
and name every departure at its line, so a table that drifts fails loudly instead of silently
checking less. Both take a path, so tests can run the rules on a small table of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pipeline.lint.data_files import DATA, load, shown
from pipeline.lint.rule import Source
from pipeline.lint.matching import phrase_pattern
from pipeline.schema.places import area_problem

PAY_TRANSPARENCY = DATA / "pay_transparency.yaml"
PROTECTED_QUESTIONS = DATA / "protected_questions.yaml"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _area(code: str) -> str:
    if (problem := area_problem(code)) is not None:
        raise ValueError(problem)
    return code


Area = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"), AfterValidator(_area)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class MaxWidth(_Closed):
    """A cap on the posted range's width (Ontario), waived when the top of the range is high."""

    amount: int = Field(gt=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    unless_max_at_least: int | None = Field(default=None, gt=0)


class Requires(_Closed):
    """What a posting there must show or avoid; a key the law does not require is left out."""

    range: bool = False
    closed_range: bool = False
    max_width: MaxWidth | None = None
    benefits: bool = False
    other_compensation: bool = False
    application_deadline: bool = False
    ai_disclosure: bool = False
    existing_vacancy: bool = False
    no_pay_history: bool = False
    pay_before_interview: bool = False
    gender_neutral_title: bool = False
    """The job title and the advertisement must address every gender, in the forms the posting's
    language uses ("(m/w/d)" in German, "(H/F)" in French)."""
    minimum_pay_statement: bool = False
    """The advertisement must state the minimum pay a collective agreement or the law sets for the
    job, and whether the employer will pay more (Austria)."""


class Jurisdiction(_Closed):
    id: Id
    name: Words
    areas: list[Area] = Field(min_length=1)
    cities: list[Words] = Field(default_factory=list)
    law: Words
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    effective: dt.date
    enforced: dt.date | None = None
    """When penalties start, where that is later than `effective`: until then its duties are warnings."""
    binding: bool = True
    """False for a law that does not bind employers yet (an EU directive the member state has not
    transposed): its duties are warnings that say so."""
    min_employees: int = Field(ge=0)
    remote_covered: bool = False
    requires: Requires
    notes: str | None = None

    def covers_city(self, name: str) -> bool:
        return not self.cities or name.casefold() in {city.casefold() for city in self.cities}


class PayLaws(_Closed):
    source: Words
    checked: dt.date
    jurisdictions: list[Jurisdiction] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> PayLaws:
        ids = [j.id for j in self.jurisdictions]
        if repeated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"jurisdiction ids must be unique: {', '.join(repeated)} repeated")
        return self


class Topic(_Closed):
    id: Id
    name: Words
    patterns: list[Words] = Field(min_length=1)
    why: Words
    laws: list[Words] = Field(min_length=1)
    notes: str | None = None

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The topic's phrases as one whole-word pattern, compiled once."""
        return phrase_pattern(self.patterns)


class ProtectedTopics(_Closed):
    source: Words
    checked: dt.date
    topics: list[Topic] = Field(min_length=1)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


def pay_laws(path: Path = PAY_TRANSPARENCY) -> PayLaws:
    """The pay-transparency table, checked; ContentError names each problem where it is."""
    return load(path, PayLaws)


def protected_topics(path: Path = PROTECTED_QUESTIONS) -> ProtectedTopics:
    """The protected-topics table, checked; ContentError names each problem where it is."""
    return load(path, ProtectedTopics)


def described(path: Path, source: str, checked: dt.date) -> Source:
    """A law table as `--explain` names it: compiled for rolepack, each law cited in the table."""
    return Source(shown(path), source.strip(), "rolepack (compiled from each law's official text or regulator, "
                  "cited per entry)", "MIT (rolepack); the laws themselves are public", checked)
