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
    labels: Phrases
    modes: Phrases
    fillers: frozenset[str]
    negations: frozenset[str]
    affirmations: frozenset[str]
    employment_types: Phrases
    employment_order: tuple[str, ...]
    """Most specific first: the one to keep when a value names several."""
    periods: Phrases
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
            return slot, True
        for n in range(len(words) - 1, 0, -1):
            phrase = " ".join(words[:n])
            if phrase in self.headings.table and (n > 1 or len(phrase) >= 6):
                return self.headings.table[phrase], False
        return None

    def label(self, line: str) -> Label | None:
        """The known label a `Label: value` line starts with, or None."""
        match = LABEL_LINE.match(plain(line))
        if match is None or (field := self.labels.table.get(fold(match["label"]))) is None:
            return None
        return Label(field, match["label"].strip(), match["value"].strip())


def _words(values: list) -> frozenset[str]:
    return frozenset(fold(str(v)) for v in values)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    headings = yaml.safe_load(HEADINGS_FILE.read_text(encoding="utf-8"))["slots"]
    labels = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    by_slot = {slot: [p for phrases in languages.values() for p in phrases] for slot, languages in headings.items()}
    return Vocabulary(
        headings=Phrases.of(by_slot, HEADINGS_FILE.name),
        labels=Phrases.of(labels["labels"], f"{LABELS_FILE.name} labels"),
        modes=Phrases.of(labels["modes"], f"{LABELS_FILE.name} modes"),
        fillers=_words(labels["mode_fillers"]),
        negations=_words(labels["mode_negations"]),
        affirmations=_words(labels["mode_affirmations"]),
        employment_types=Phrases.of(labels["employment_types"], f"{LABELS_FILE.name} employment_types"),
        employment_order=tuple(labels["employment_types"]),
        periods=Phrases.of(labels["periods"], f"{LABELS_FILE.name} periods"),
        currency_signs=dict(labels["currency_signs"]),
        ambiguous_signs=frozenset(labels["ambiguous_signs"]),
        currency_words=Phrases.of({code: [w for w, c in labels["currency_words"].items() if c == code]
                                   for code in set(labels["currency_words"].values())},
                                  f"{LABELS_FILE.name} currency_words"),
    )
