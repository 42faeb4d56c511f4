"""`exclusionary-language`: words that tell some applicants the job is not for them.

Buzzword titles (ninja, rock star), bro culture and party perks, "he" for the candidate, pressure
("whatever it takes"), profanity, and proxies for age or origin ("digital native", "native English
speaker"): each phrase of the data file is a finding where the posting prints it, with the neutral
wording to try.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from pipeline.lint.data_files import DATA, DataFile, for_language, load, shown, unlisted
from pipeline.lint.rule import Hit, Rule, Source, Subject
from pipeline.lint.matching import find, phrase_pattern

FILE = DATA / "exclusionary_language.yaml"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Phrase(_Closed):
    match: list[str] = Field(min_length=1)
    suggest: str


class Group(_Closed):
    id: str
    name: str
    why: str
    phrases: list[Phrase] = Field(min_length=1)


class Phrases(DataFile):
    groups: list[Group] = Field(min_length=1)


@dataclass(frozen=True)
class _Compiled:
    pattern: re.Pattern[str]
    meaning: dict[str, tuple[Group, Phrase]]
    """Each phrase, folded to lower case and single spaces, → its group and entry."""


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text.lower())


@cache
def _compiled(language: str) -> _Compiled | None:
    """The phrases of the list for `language` as one pattern, or None when there is none."""
    path = for_language(FILE, language)
    if path is None:
        return None
    data = load(path, Phrases)
    meaning = {_key(words): (group, phrase) for group in data.groups for phrase in group.phrases
               for words in phrase.match}
    pattern = phrase_pattern((w for g in data.groups for p in g.phrases for w in p.match), loose=True)
    return _Compiled(pattern, meaning)


def check(subject: Subject) -> Iterator[Hit]:
    compiled = _compiled(subject.role.language.split("-")[0].lower())
    if compiled is None:
        return
    for passage in subject.posting:
        for match in find(compiled.pattern, passage.text):
            group, phrase = compiled.meaning[_key(match.group())]
            yield Hit(subject.where_in(passage, match.start()),
                      f"“{passage.text[match.start():match.end()]}” ({group.name.lower()}): {group.why.strip().rstrip('.')}",
                      phrase.suggest.replace("{person}", person(subject.role.title, compiled.pattern)), shared=True)


def person(title: str, flagged: re.Pattern[str]) -> str:
    """The role's title as the person it hires, for a suggestion: "Senior Data Analyst (m/w/d) 📊" →
    "senior data analyst", an acronym keeping its capitals; a flagged word in the title itself becomes
    "specialist" ("Support Ninja" → "support specialist")."""
    bare = re.sub(r"\([^)]*\)|[^\w\s'’/&·-]", " ", title)
    bare = " ".join(flagged.sub(" specialist ", bare).split())
    words = [w if w.isupper() and len(w) > 1 else w.lower() for w in bare.split()]
    return " ".join(words) or "person"


def _sources() -> list[Source]:
    lists = sorted(DATA.glob(f"{FILE.stem}*.yaml"))
    return [load(path, Phrases).described(shown(path)) for path in lists] + unlisted("exclusionary-language")


RULE = Rule(
    id="exclusionary-language",
    severity="warning",
    summary="buzzword titles, bro culture, gendered words, pressure, profanity, age and origin proxies",
    explanation=(
        "Finds the phrases of joblint's rule groups (bubble job titles, bro culture and hollow perks, sexism, "
        "unrealistic expectations, profanity) and rolepack's own age-and-origin group (\"young and dynamic\", "
        "\"digital native\", \"native English speaker\") in everything the job description prints, including the "
        "company text. Whole words only, any case; a space in a phrase also matches a hyphen or none (rockstar, "
        "rock-star). Each finding names its group, says why it puts applicants off, and suggests neutral wording. "
        "Warnings: wording, not a legal requirement (a posting that states a preference for one sex or age can "
        "still be unlawful; the warning says so where it applies). Each language has its own list, from its own "
        "published sources (French, German and Spanish: the equal-treatment laws and the findings of courts and "
        "equality bodies on age and origin); a language without one gets no finding, and --explain says why."),
    check=check,
    sources=_sources,
)
