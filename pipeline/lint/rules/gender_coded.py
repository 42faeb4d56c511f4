"""`gender-coded`: words that research found make a job advertisement read as meant for men.

Gaucher, Friesen and Kay (2011) showed that postings worded with more masculine-coded words
("competitive", "dominant", "leader") were judged less appealing by women, who inferred they would
not belong, while feminine-coded words had little effect on men. What they measured is the balance
of a whole advertisement, so a posting is judged as a whole: one whose masculine-coded words
outnumber its feminine-coded ones gets a summary finding with the score, and each of its
masculine-coded words a finding, to show where to rebalance; a balanced posting gets none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

from pydantic import model_validator

from pipeline.lint.data_files import DATA, DataFile, for_language, load, shown, unlisted
from pipeline.lint.rule import Hit, Rule, Source, Subject
from pipeline.lint.matching import plain

FILE = DATA / "gender_coded.yaml"


class Stems(DataFile):
    masculine: list[str]
    feminine: list[str]
    not_coded: dict[str, str]
    """Word → why it is not counted though it begins with a stem."""
    suggestions: dict[str, str]

    @model_validator(mode="after")
    def _suggestions_for_masculine_stems(self) -> Stems:
        if unknown := sorted(set(self.suggestions) - set(self.masculine)):
            raise ValueError(f"suggestions name stems that are not masculine-coded: {', '.join(unknown)}")
        return self

    @cached_property
    def _starts(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """The hyphenated stems and the others, each as one pattern that matches a word's start."""
        def starts(stems: list[str]) -> re.Pattern[str]:
            return re.compile("|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True)))
        every = self.masculine + self.feminine
        return starts([s for s in every if "-" in s]), starts([s for s in every if "-" not in s])

    def stem(self, word: str, *, hyphenated: bool) -> str | None:
        """The stem that lower-case `word` begins with (of the hyphenated stems, or of the others)."""
        found = self._starts[0 if hyphenated else 1].match(word)
        return found.group() if found else None


@cache
def stems(language: str = "en") -> Stems | None:
    """The coded stems for `language`, or None where no validated list exists (--explain says why)."""
    path = for_language(FILE, language)
    return None if path is None else load(path, Stems)


_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_PART = re.compile(r"[^\W\d_']+(?:'[^\W\d_]+)*")


@dataclass(frozen=True)
class Coded:
    offset: int
    word: str
    stem: str
    masculine: bool


def coded_words(text: str, data: Stems) -> Iterator[Coded]:
    """Each word of `text` that begins with a stem, in order.

    A hyphenated word counts whole when it begins with a hyphenated stem (self-confident), else
    each part counts on its own, as gender-decoder reads them (data-driven counts "driven").
    """
    masculine = set(data.masculine)
    for token in _WORD.finditer(plain(text)):
        word = token.group().lower()
        if word in data.not_coded:
            continue
        if "-" in word and (stem := data.stem(word, hyphenated=True)) is not None:
            yield Coded(token.start(), token.group(), stem, stem in masculine)
            continue
        for part in _PART.finditer(token.group()):
            lowered = part.group().lower()
            if lowered not in data.not_coded and (stem := data.stem(lowered, hyphenated=False)) is not None:
                yield Coded(token.start() + part.start(), part.group(), stem, stem in masculine)


def _listed(counts: Counter[str]) -> str:
    return ", ".join(f"{word} ×{n}" if n > 1 else word for word, n in counts.most_common())


def check(subject: Subject) -> Iterator[Hit]:
    data = stems(subject.role.language.split("-")[0].lower())
    if data is None:
        return
    masculine: Counter[str] = Counter()
    feminine: Counter[str] = Counter()
    words: list[Hit] = []
    for passage in subject.posting:
        for coded in coded_words(passage.text, data):
            if not coded.masculine:
                feminine[coded.word.lower()] += 1
                continue
            masculine[coded.word.lower()] += 1
            words.append(Hit(subject.where_in(passage, coded.offset),
                             f"“{coded.word}” is masculine-coded (stem “{coded.stem}”), in a posting that leans "
                             "masculine", data.suggestions.get(coded.stem), shared=True))
    score = sum(feminine.values()) - sum(masculine.values())
    if score < 0:
        yield from words
        strength = "strongly " if score < -3 else ""
        yield Hit(subject.key_where(("job_description",)),
                  f"the posting is {strength}masculine-coded (score {score}: {sum(masculine.values())} masculine-coded "
                  f"words, {sum(feminine.values())} feminine-coded): masculine {_listed(masculine)}"
                  + (f"; feminine {_listed(feminine)}" if feminine else ""))


def _sources() -> list[Source]:
    lists = sorted(DATA.glob(f"{FILE.stem}*.yaml"))
    return [load(path, Stems).described(shown(path)) for path in lists] + unlisted("gender-coded")


RULE = Rule(
    id="gender-coded",
    severity="warning",
    summary="masculine-coded words in the posting (Gaucher, Friesen & Kay 2011), and a posting that leans masculine",
    explanation=(
        "Finds the masculine- and feminine-coded word stems of Gaucher, Friesen & Kay (2011) in everything the job "
        "description prints (title, summary, about, responsibilities, qualifications, pay text, perks, how to apply, "
        "free sections, and the company text it prints). A stem matches every word that begins with it: \"lead\" "
        "finds lead, leader and leadership. Each masculine-coded word is a warning, with a neutral word to try where "
        "one fits most sentences, but only in a posting that leans masculine: the score is the feminine-coded "
        "words minus the masculine-coded ones, and below zero one warning gives the score and the words "
        "(\"strongly\" below -3, as gender-decoder grades it) and each masculine-coded word gets its own; a "
        "balanced or feminine-leaning posting gets none, as the study measured the balance of the whole ad. Words that start with a stem but name the work rather than a trait (analysis, service level "
        "objectives, dependency, commit, sharding) are not counted; the data file lists them with the reason. "
        "Warnings, not errors: coded wording discourages applicants but breaks no law. A language needs its own "
        "validated list, not a translation of the English one: rolepack has none yet for French, German or Spanish "
        "(--explain says what exists and why it is not used), so postings in those languages get no finding."),
    check=check,
    sources=_sources,
)
