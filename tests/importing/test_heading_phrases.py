"""The heading map measured on a labelled test set it was not written from.

Six sets of real-world heading phrases in four languages, each labelled with the part of a role
its text belongs to, or `free` (a section kept under its own words: "Reports to", "The team", "Why
join us"), written by hand without reading pipeline/importing/headings.yaml:

- heading-phrases.yaml (343): the development set; the map was extended after measuring it.
- heading-phrases-holdout.yaml (200): measured once at 86 %, then the map gained its keyword rule
  and a few phrases from its misses, so it is no longer unseen.
- heading-phrases-blind.yaml (200): measured at 88 %, never tuned on, though its misses were read
  before the map's keywords were broadened (88.5 % after).
- heading-phrases-blind-2.yaml (200): written after that, measured once at 96.5 %; its misses were
  read on 2026-12-07 and the map tuned on them and on blind 1's.
- heading-phrases-blind-3.yaml (200): measured at 87.5 % before that tuning; its misses were seen
  then, so its later score is not blind.
- heading-phrases-blind-4.yaml (200): written after the tuning, measured once, never read: 96.5 %, the
  honest estimate of the map on headings it has not seen. The blind sets' floors guard against
  regressions only.

On every set, no responsibility heading may land anywhere but the responsibilities, and a heading
the map is not sure of stays a free section under its own words, which loses nothing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from pipeline.importing.vocabulary import vocabulary

DATA = Path(__file__).parent / "data"


def phrases(name: str) -> list[dict]:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))["phrases"]


PHRASES = phrases("heading-phrases")
SCORES = {"heading-phrases": 0.97, "heading-phrases-holdout": 0.97, "heading-phrases-blind": 0.97,
          "heading-phrases-blind-2": 0.97, "heading-phrases-blind-3": 0.97, "heading-phrases-blind-4": 0.95}
"""The least share each set must get right (the blind set's is a regression floor: see above)."""


def mapped(text: str) -> str:
    found = vocabulary().heading_slot(text)
    return found[0] if found is not None else "free"


def test_the_set_is_large_and_in_four_languages() -> None:
    assert len(PHRASES) >= 150
    assert set(Counter(p["language"] for p in PHRASES)) == {"en", "fr", "de", "es"}
    assert min(Counter(p["language"] for p in PHRASES).values()) >= 30


@pytest.mark.parametrize("name", SCORES)
def test_enough_headings_map_where_they_belong(name: str) -> None:
    found = phrases(name)
    wrong = [(p["text"], p["label"], mapped(p["text"])) for p in found if mapped(p["text"]) != p["label"]]
    score = 1 - len(wrong) / len(found)
    assert score >= SCORES[name], f"{name}: {score:.1%} right; wrong: {wrong}"


@pytest.mark.parametrize("name", SCORES)
def test_no_responsibility_heading_goes_anywhere_else(name: str) -> None:
    astray = [p["text"] for p in phrases(name) if p["label"] == "responsibilities"
              and mapped(p["text"]) not in ("responsibilities", "free")]
    assert astray == []


@pytest.mark.parametrize("phrase", [p for p in PHRASES if p["label"] == "free"], ids=lambda p: p["text"])
def test_a_heading_that_is_no_section_of_the_role_stays_free(phrase: dict) -> None:
    assert mapped(phrase["text"]) == "free"
