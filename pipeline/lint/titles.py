"""Whether a job title addresses applicants of every gender, in the forms the posting's language uses.

German, Austrian, Polish and EU law (AGG § 11, GlBG § 9, Kodeks pracy art. 18³ᶜᵃ § 3, Directive
2023/970 Art. 5(3)) ask job titles to be gender-neutral; what counts as neutral depends on the
language: a marker ("(m/w/d)", "H/F", "(k/m)"), an inclusive spelling of the noun (Entwickler*in,
développeur·se, desarrollador/a), or a noun with no gender (Projektleitung, responsable, analista).
English titles are neutral unless they use a gendered noun (chairman, waitress). The forms and their
sources are data (data/gender_neutral_titles.yaml); a language the table does not know is not
judged, since a guess would be worse than no finding.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.lint.data_files import DATA, load

FILE = DATA / "gender_neutral_titles.yaml"
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORDS = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Named(_Closed):
    name: str
    url: str


class Forms(_Closed):
    """A language's neutral titles: markers, inclusive spellings, and nouns with no gender."""

    markers: list[str] = Field(default_factory=list)
    binary_markers: list[str] = Field(default_factory=list)
    forms: list[str] = Field(default_factory=list)
    head: Literal["first", "last"] = "first"
    neutral_words: list[str] = Field(default_factory=list)
    suggestion: str | None = None
    gendered_words: dict[str, str] = Field(default_factory=dict)
    sources: list[Named] = Field(default_factory=list)

    @cached_property
    def _markers(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_marker(m) for m in self.markers)

    @cached_property
    def _binary(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_marker(m) for m in self.binary_markers)

    @cached_property
    def _forms(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(form) for form in self.forms)

    def marked(self, title: str) -> bool:
        return any(p.search(title) for p in self._markers)

    def binary(self, title: str) -> bool:
        return any(p.search(title) for p in self._binary)

    def inclusive(self, title: str) -> bool:
        return any(p.search(title) for p in self._forms)

    def neutral_head(self, title: str) -> bool:
        words = _WORDS.findall(_BRACKETS.sub(" ", title))
        if not words:
            return False
        head = (words[-1] if self.head == "last" else words[0]).casefold()
        return any(head.endswith(word) for word in self.neutral_words)


def _marker(marker: str) -> re.Pattern[str]:
    """A marker found case-insensitively, with any spaces between its characters, not inside a word;
    the brackets around a marker with a slash are optional."""
    bare = marker.replace(" ", "")
    return re.compile(r"(?<![^\W_])" + r"\s*".join(map(re.escape, bare)) + r"(?![^\W_])", re.IGNORECASE)


class Titles(_Closed):
    source: str
    checked: dt.date
    languages: dict[str, Forms]

    def forms(self, language: str) -> Forms | None:
        return self.languages.get(language) or self.languages.get(language.split("-")[0])


@dataclass(frozen=True)
class TitleProblem:
    why: str
    suggestion: str | None


@cache
def titles(path: Path = FILE) -> Titles:
    return load(path, Titles)


def title_problem(title: str, language: str, table: Titles) -> TitleProblem | None:
    """Why `title` names one gender in `language`, with a neutral form to use; None when it is
    neutral, or when the table does not know the language."""
    forms = table.forms(language)
    if forms is None:
        return None
    if forms.gendered_words:
        for word in _WORDS.findall(title):
            if (neutral := forms.gendered_words.get(word.casefold())) is not None:
                return TitleProblem(f"“{word}” names one gender", neutral)
        return None
    if forms.marked(title) or forms.inclusive(title) or forms.neutral_head(title):
        return None
    if forms.binary(title):
        return TitleProblem("its marker names two genders, not every gender", forms.suggestion)
    return TitleProblem(f"“{title}” reads as one gender's title; add {forms.suggestion} or an inclusive form",
                        forms.suggestion)
