"""The heading table (headings.yaml) and the label words (labels.yaml), loaded once and matched.

The phrases are data, not code, so a recruiter's wording in another language is one line to add.
Everything is compared in `fold`ed form: no case, accents, emoji or punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.importing.text import LABEL_LINE, fold, plain

HERE = Path(__file__).resolve().parent
HEADINGS_FILE = HERE / "headings.yaml"
LABELS_FILE = HERE / "labels.yaml"

_LEADING_NUMBER = re.compile(r"^(?:\d+ )+")
FREE = "free"
"""The headings.yaml slot of phrases that are no part of the role: a heading matching one is a free section."""
_NAMED_COMPANY = re.compile(
    r"^\W*(?:About|À propos d[e’']|A propos d[e’']|Über|Acerca de|Sobre|Qui est)\s*"
    r"(?!(?:The|This|Our|Your|You|Us|Le|La|Les|L[’']|Notre|Votre|Ton|Ta|Tes|Nous|Das|Die|Der|Den|Dem|Uns|Unser\w*|Dein\w*|"
    r"Ihr\w*|El|Los|Las|Nuestr\w*|Tu|Su|Ti|Usted)\b)(?-i:[A-Z])", re.IGNORECASE)
"""“About Acme”, “À propos d’Acme”, “Über Nordwind”: a proper name after the word for about is the company."""
_NAMED_WITH_ARTICLE = re.compile(
    r"^\W*(?:About|À propos|A propos|Über|Acerca|Sobre|Présentation|Presentation)\s+(?:d(?:e|u|es|el)\s+)?"
    r"(?:the|die|der|das|den|la|le|les|l[’']|el|los|las)\s*(?-i:(?P<name>[A-ZÀ-Þ][\w’'-]*))", re.IGNORECASE)
"""“Über die BayWa”, “À propos de L’Oréal”, “Présentation de la Mutuelle …”: an article, then a proper name."""
_THE_ROLE = frozenset(fold(word) for word in (
    "role", "job", "position", "opportunity", "team", "vacancy", "stelle", "rolle", "position", "aufgabe", "aufgaben",
    "tätigkeit", "poste", "rôle", "mission", "missions", "offre", "équipe", "opportunité", "puesto", "posición", "rol",
    "vacante", "cargo", "equipo", "oportunidad"))
"""Capitalised words after “About the” that name the job or its team, not a company (“About The Role”)."""


@dataclass(frozen=True)
class Phrases:
    """Folded phrases, each naming a value; `find` reads them out of a text, longest first."""

    table: dict[str, str]

    @classmethod
    def of(cls, groups: dict[str, list[str]], what: str) -> Phrases:
        table: dict[str, str] = {}
        for value, phrases in groups.items():
            for phrase in phrases:
                key = fold(str(phrase))
                if table.get(key, value) != value:
                    raise ValueError(f"{what}: '{phrase}' is listed under both {table[key]} and {value}")
                table[key] = value
        return cls(table)

    def find(self, text: str) -> list[tuple[str, str]]:
        """(value, phrase) for each phrase in `text`, left to right, the longest at each word."""
        words = fold(text).split()
        longest = max((len(p.split()) for p in self.table), default=0)
        found, i = [], 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                phrase = " ".join(words[i:i + n])
                if phrase in self.table:
                    found.append((self.table[phrase], phrase))
                    i += n
                    break
            else:
                i += 1
        return found


@dataclass(frozen=True)
class Label:
    field: str
    """location, work_mode, employment_type, department, pay or pay_per_<period>."""
    label: str
    value: str


@dataclass(frozen=True)
class Vocabulary:
    headings: Phrases
    keywords: Keywords
    """Words that name a slot wherever they stand in a heading, for one no phrase matches."""
    labels: Phrases
    modes: Phrases
    fillers: frozenset[str]
    negations: frozenset[str]
    affirmations: frozenset[str]
    employment_types: Phrases
    employment_order: tuple[str, ...]
    employment_ambiguous: frozenset[str]
    """Folded contract words that prose uses for other things; see labels.yaml."""
    """Most specific first: the one to keep when a value names several."""
    periods: Phrases
    pay_bounds: Phrases
    """"from" (min) and "up to" (max) before a single pay figure."""
    pay_withheld: frozenset[str]
    """Folded words of a pay line that withholds the figures ("competitive", "DOE")."""
    currency_signs: dict[str, str]
    ambiguous_signs: frozenset[str]
    currency_words: Phrases

    def heading_slot(self, text: str) -> tuple[str, bool] | None:
        """The slot a heading fills and whether it matched whole (else by its opening words), or None.

        Opening words count when they are a phrase of two or more words, or one word of six
        letters or more, so "Benefits & perks" matches but "Plus de détails" is not "Plus".
        """
        words = _LEADING_NUMBER.sub("", fold(text)).split()
        if not words:
            return None
        if (slot := self.headings.table.get(" ".join(words))) is not None:
            return None if slot == FREE else (slot, True)
        for n in range(len(words) - 1, 0, -1):
            phrase = " ".join(words[:n])
            if phrase in self.headings.table and (n > 1 or len(phrase) >= 6):
                slot = self.headings.table[phrase]
                rest = {other for word in words[n:] for other in self.keywords.slots(word)} - {FREE, slot, "summary"}
                return None if slot == FREE or rest else (slot, False)  # "Vergütung & Benefits" is two sections
        if _NAMED_COMPANY.match(text.strip(" #*:\t")) or (
                (found := _NAMED_WITH_ARTICLE.match(text.strip(" #*:\t"))) and fold(found["name"]) not in _THE_ROLE):
            return "company", False
        named = {slot for word in words for slot in self.keywords.slots(word)}
        if len(named) > 1:
            named.discard("summary")  # "Ihre Aufgaben im Überblick", "Benefits at a glance": a recap of one part
        if len(named) == 1 and FREE not in named:
            return named.pop(), False
        return None

    def label(self, line: str) -> Label | None:
        """The known label a `Label: value` line starts with, or None."""
        match = LABEL_LINE.match(plain(line))
        if match is None or (field := self.labels.table.get(fold(match["label"]))) is None:
            return None
        return Label(field, match["label"].strip(), match["value"].strip())


@dataclass(frozen=True)
class Keywords:
    """Words that name one slot wherever they stand in a heading; `stem*` matches any word it starts."""

    words: dict[str, str]
    stems: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, groups: dict[str, list[str]]) -> Keywords:
        words = {fold(w): slot for slot, listed in groups.items() for w in listed if not w.endswith("*")}
        stems = tuple((fold(w[:-1]), slot) for slot, listed in groups.items() for w in listed if w.endswith("*"))
        return cls(words, stems)

    def slots(self, word: str) -> set[str]:
        found = {slot for stem, slot in self.stems if word.startswith(stem)}
        return found | ({self.words[word]} if word in self.words else set())


def _words(values: list) -> frozenset[str]:
    return frozenset(fold(str(v)) for v in values)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    heading_file = yaml.safe_load(HEADINGS_FILE.read_text(encoding="utf-8"))
    headings = heading_file["slots"]
    labels = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    by_slot = {slot: [p for phrases in languages.values() for p in phrases] for slot, languages in headings.items()}
    return Vocabulary(
        headings=Phrases.of(by_slot, HEADINGS_FILE.name),
        keywords=Keywords.of(heading_file["keywords"]),
        labels=Phrases.of(labels["labels"], f"{LABELS_FILE.name} labels"),
        modes=Phrases.of(labels["modes"], f"{LABELS_FILE.name} modes"),
        fillers=_words(labels["mode_fillers"]),
        negations=_words(labels["mode_negations"]),
        affirmations=_words(labels["mode_affirmations"]),
        employment_types=Phrases.of(labels["employment_types"], f"{LABELS_FILE.name} employment_types"),
        employment_order=tuple(labels["employment_types"]),
        employment_ambiguous=frozenset(fold(w) for w in labels["employment_ambiguous_in_prose"]),
        periods=Phrases.of(labels["periods"], f"{LABELS_FILE.name} periods"),
        pay_bounds=Phrases.of(labels["pay_bounds"], f"{LABELS_FILE.name} pay_bounds"),
        pay_withheld=frozenset(fold(w) for w in labels["pay_withheld"]),
        currency_signs=dict(labels["currency_signs"]),
        ambiguous_signs=frozenset(labels["ambiguous_signs"]),
        currency_words=Phrases.of({code: [w for w, c in labels["currency_words"].items() if c == code]
                                   for code in set(labels["currency_words"].values())},
                                  f"{LABELS_FILE.name} currency_words"),
    )
