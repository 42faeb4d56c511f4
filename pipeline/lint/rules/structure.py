"""`structure`: a posting's shape: its length, its musts, who it talks to, and how hard it reads.

Long postings and long lists of musts deter qualified people who do not tick every box (more
often women and career changers); "the ideal candidate" talks about a stranger where "you" talks
to the reader; and a posting that needs a university reading level loses people who would do the
job well. The limits are data (`data/structure.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from pipeline.lint.data_files import DATA, DataFile, load, shown
from pipeline.lint.rule import Hit, Rule, Source, Subject
from pipeline.lint.matching import find, phrase_pattern, plain
from pipeline.lint.printed import Passage

FILE = DATA / "structure.yaml"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class WordLimits(_Closed):
    min: int = Field(gt=0)
    max: int = Field(gt=0)


class Musts(_Closed):
    max: int = Field(ge=0)
    phrases: list[str] = Field(min_length=1)
    negations: list[str] = Field(min_length=1)


class ThirdPerson(_Closed):
    phrases: list[str] = Field(min_length=1)
    suggest: str


class ReadingEase(_Closed):
    min: float
    languages: list[str] = Field(min_length=1)


class Limits(DataFile):
    words: WordLimits
    musts: Musts
    third_person: ThirdPerson
    reading_ease: ReadingEase


@cache
def limits() -> Limits:
    return load(FILE, Limits)


DESCRIBED = {("job_description", "summary"), ("job_description", "about_the_role"),
             ("job_description", "key_responsibilities"), ("job_description", "perks"),
             ("job_description", "sections"), ("qualifications", "prerequisites"),
             ("qualifications", "hard_skills"), ("qualifications", "soft_skills"), ("qualifications", "nice_to_have")}
"""The role's own description of the job, as the posting prints it: what its length and reading ease
are measured on (the company text, the same in every posting, is not)."""
REQUIREMENTS = (("qualifications", "prerequisites"), ("qualifications", "hard_skills"))

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def described(subject: Subject) -> list[Passage]:
    return [p for p in subject.posting if not p.company and tuple(p.path[:2]) in DESCRIBED]


def _length(subject: Subject, data: Limits) -> Iterator[Hit]:
    words = sum(len(_WORD.findall(p.text)) for p in described(subject))
    low, high = data.words.min, data.words.max
    if not low <= words <= high:
        advice = "cut what a candidate does not need to decide to apply" if words > high else "say more about the work"
        yield Hit(subject.key_where(("job_description",)),
                  f"the job description prints {words} words of the role's own (summary, about, responsibilities, "
                  f"qualifications, perks, sections); aim for {low}–{high}: {advice}")


def _negation(words: list[str]) -> re.Pattern[str]:
    """Text that ends in a negation, perhaps and one more word: "not required", "isn't strictly required"."""
    alternatives = "|".join(re.escape(w) if not w[:1].isalpha() or w.startswith("n'") else rf"\b{re.escape(w)}"
                            for w in words)
    return re.compile(rf"(?:{alternatives})\s+(?:\w+\s+)?$", re.IGNORECASE)


def _musts(subject: Subject, data: Limits) -> Iterator[Hit]:
    pattern, negated = phrase_pattern(data.musts.phrases), _negation(data.musts.negations)
    musts = []
    for passage in subject.posting:
        if tuple(passage.path[:2]) not in REQUIREMENTS:
            continue
        text = plain(passage.text)
        must = next((m for m in pattern.finditer(text) if not negated.search(text[:m.start()])), None)
        if must is not None:
            musts.append((passage, must))
    if len(musts) > data.musts.max:
        passage, first_extra = musts[data.musts.max]
        yield Hit(subject.where_in(passage, first_extra.start()),
                  f"{len(musts)} requirements are phrased as musts (“{first_extra.group()}”), more than "
                  f"{data.musts.max}: people who miss one tend not to apply; keep the few that truly are musts and "
                  "move the rest to nice_to_have")


def _third_person(subject: Subject, data: Limits) -> Iterator[Hit]:
    pattern = phrase_pattern(data.third_person.phrases)
    for passage in subject.posting:
        for match in find(pattern, passage.text):
            yield Hit(subject.where_in(passage, match.start()),
                      f"“{passage.text[match.start():match.end()]}” talks about a stranger; talk to the reader",
                      data.third_person.suggest, shared=True)


def _sentences(passages: list[Passage]) -> str:
    """The passages as prose: a list item without a full stop still ends a sentence when printed."""
    return " ".join(p.text if p.text.rstrip()[-1:] in ".!?:" else p.text + "." for p in passages)


def reading_ease(text: str) -> float:
    """Flesch reading ease (higher is easier; 30 and below is "very difficult"), computed by textstat.

    textstat is imported here, by a lint run that reaches an English role; its syllable counts
    come from a table kept for the user rather than the whole CMU pronouncing dictionary, which
    takes about a second to load (render/tuning/syllables.py).
    """
    import textstat

    from pipeline.render.tuning.syllables import syllables_kept

    with syllables_kept():
        return float(textstat.flesch_reading_ease(text))


def _reading_ease(subject: Subject, data: Limits) -> Iterator[Hit]:
    if subject.role.language.split("-")[0] not in data.reading_ease.languages:
        return
    score = reading_ease(_sentences(described(subject)))
    if score < data.reading_ease.min:
        yield Hit(subject.key_where(("job_description",)),
                  f"Flesch reading ease {score:.1f}, below {data.reading_ease.min:g} (\"very difficult\", university "
                  "level): use shorter sentences and plainer words")


def check(subject: Subject) -> Iterator[Hit]:
    data = limits()
    yield from _length(subject, data)
    if subject.english:
        yield from _musts(subject, data)
        yield from _third_person(subject, data)
    yield from _reading_ease(subject, data)


def _sources() -> list[Source]:
    return [limits().described(shown(FILE))]


RULE = Rule(
    id="structure",
    severity="warning",
    summary="posting length, too many musts, \"the ideal candidate\", Flesch reading ease",
    explanation=(
        "Length: the words the job description prints of the role's own (summary, about, responsibilities, "
        "qualifications, perks and free sections; not the company text) should be 300–750. Musts: more than 7 "
        "prerequisites or hard skills phrased as musts (\"must\", \"required\", \"you will need\", …; \"not "
        "required\" is not a must) is a finding at the first one past 7. Third person: \"the ideal candidate\", "
        "\"the successful candidate\" and the like, anywhere in the posting, with \"you\" to try. Reading ease: "
        "the Flesch reading ease of the role's description (each list item read as a sentence), computed by the "
        "textstat library, should be 30 or more; English roles only, because the Flesch formula and textstat's "
        "syllable counts are English (a French, German or Spanish role is not scored, and no finding says so). "
        "The musts and third-person checks are English phrase lists, so they too apply to English roles only. "
        "All are warnings: they make a posting weaker, not unlawful. Readability is a warning rather than info "
        "because a score below 30 means most candidates find the text very difficult."),
    check=check,
    sources=_sources,
)
