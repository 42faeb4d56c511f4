"""Labelled lines ("Location: Berlin", "Contrat : CDI", "Day rate: €600") taken out as facts.

A line is taken only when its value reads as what the label promises; one that does not
("Salary: competitive") stays in the text where it was, and the report says so. The first
readable line of each kind wins (every location line counts); later ones stay as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.importing.blocks import Block, Item, ListBlock, Paragraph
from pipeline.importing.facts import Pay, Place, read_employment, read_locations, read_pay, withheld
from pipeline.importing.report import Notes, quoted
from pipeline.importing.places import resolve
from pipeline.importing.text import EMOJI, fold, plain
from pipeline.importing.vocabulary import vocabulary

_SIDE_BY_SIDE = re.compile(r"\s+[|·•]\s+")
_LEVEL_LINE = re.compile(r"^(?P<level>[^\W\d_][^\d:：]{0,30}?)\s*[:：]\s*(?P<value>.*\d.*)$")
"""`Senior: 80.000 – 95.000 €`: a level's name, then its figures."""
"""How facts are put on one line: "Location: Berlin | Type: Full-time"."""
DEPARTMENT_WORDS = 6


@dataclass
class Facts:
    employment: tuple[str, str] | None = None
    """(employment_type, the line it was read from)."""
    locations: list[tuple[list[Place], str]] = field(default_factory=list)
    work_modes: list[tuple[list[Place], str]] = field(default_factory=list)
    department: tuple[str, str] | None = None
    pay: tuple[Pay, str] | None = None
    pay_levels: list[tuple[str, Pay, str]] = field(default_factory=list)
    """Ranges per level on the lines right after the pay line ("Senior: 80.000 – 95.000 €"): (level,
    pay, the line)."""
    pay_withheld: str | None = None
    """A pay line that names no figure on purpose ("Salary: competitive, DOE"); it stays in the text."""


class _Reader:
    def __init__(self, notes: Notes) -> None:
        self.facts = Facts()
        self.notes = notes
        self.levels_open = False
        """The lines read since the pay line were all its levels: the next may be one too. Anywhere
        else "Take-home: … (we pay $300 for your time)" is an interview step, not a pay band."""

    def take(self, line: str) -> bool:
        """Whether `line` is a fact that was read (and so leaves the text)."""
        label = vocabulary().label(line)
        if label is None:
            return False
        line = plain(line)
        facts, field_ = self.facts, label.field
        read = False
        if field_ == "employment_type" and facts.employment is None and (kind := read_employment(label.value)):
            facts.employment = (kind[0], line)
            if fold(label.value) != kind[1]:  # "Vollzeit, unbefristet" says more than full-time: its words stay
                self.notes.review.append(f"{quoted(line)} says more than its employment type; it is kept as text too")
                return False
            read = True
        elif field_ == "location" and (places := read_locations(label.value)):
            facts.locations.append((places, line))
            read = True
        elif field_ == "work_mode" and (places := read_locations(label.value, work_mode=True, label=label.label)):
            facts.work_modes.append((places, line))
            read = True
        elif (field_ == "department" and facts.department is None
              and len(plain(label.value).split()) <= DEPARTMENT_WORDS):
            facts.department, read = (plain(label.value), line), True
        elif field_.startswith("pay") and facts.pay is None:
            period = field_.removeprefix("pay_per_") if field_ != "pay" else None
            if (pay := read_pay(label.value, period=period)) and pay.usable:
                facts.pay, read = (pay, line), True
            elif withheld(label.value):
                facts.pay_withheld = line
        if not read:
            self.notes.review.append(f"{quoted(line)} was not read as a fact; it is kept as text where it was")
        return read

    def level(self, text: str) -> bool:
        """Whether `text` is a range for one level after the pay line ("Senior: 80.000 – 95.000 €"),
        with the pay line's currency written ("Urlaub: 30 Tage" is no pay); it is then that level's band."""
        found = _LEVEL_LINE.match(plain(text).strip())
        if not self.levels_open or self.facts.pay is None or found is None or vocabulary().label(text) is not None:
            return False
        pay = read_pay(found["value"], period=self.facts.pay[0].period)
        if pay is None or pay.bound is not None or pay.currency != self.facts.pay[0].currency:
            return False
        self.facts.pay_levels.append((found["level"].strip(), pay, plain(text).strip()))
        return True

    def line(self, text: str) -> str:
        """What is left of one line once its facts are taken."""
        if not text.strip():
            return text
        if self.level(text):
            return ""
        paid = self.facts.pay is not None
        rest = self._line(text)
        self.levels_open = not paid and self.facts.pay is not None  # only the pay line opens its levels
        return rest

    def _line(self, text: str) -> str:
        parts = _SIDE_BY_SIDE.split(text)
        if len(parts) > 1 and all(vocabulary().label(p) for p in parts):
            return " | ".join(p for p in parts if not self.take(p))
        if len(parts) > 1 and (unlabelled := self.unlabelled(parts)) is not None:
            return unlabelled
        return "" if self.take(text) else text

    def unlabelled(self, parts: list[str]) -> str | None:
        """A facts line without labels ("📍 Lyon · 📝 CDI · 💶 45 – 55 K€ brut annuel"): each part read
        as what it plainly is, when at least two are facts and the rest is a short name (the
        company's); None when the line is not one. What is not a fact stays as text."""
        read: list[tuple[str, object]] = []
        rest: list[str] = []
        for part in parts:
            bare = plain(EMOJI.sub(" ", part)).strip()
            words = len(bare.split())
            if (pay := read_pay(bare)) is not None and pay.usable and words <= 8:
                read.append(("pay", (pay, plain(part).strip())))
            elif (kind := read_employment(bare)) is not None and words <= 4:
                read.append(("employment", (kind[0], plain(part).strip())))
            elif words <= 6 and (places := read_locations(bare)) and all(
                    p.places and all(resolve(name) for name in p.places) or not p.guessed for p in places):
                read.append(("location", (places, plain(part).strip())))
            elif words <= 4:
                rest.append(part)
            else:
                return None
        if len(read) < 2:
            return None
        facts = self.facts
        for kind, value in read:
            if kind == "pay" and facts.pay is None:
                facts.pay = value  # type: ignore[assignment]
            elif kind == "employment" and facts.employment is None:
                facts.employment = value  # type: ignore[assignment]
            elif kind == "location":
                facts.locations.append(value)  # type: ignore[arg-type]
        if EMOJI.search(" ".join(parts)):  # "📍 Lyon · 📝 CDI": the author's icons are words too; the line stays
            self.notes.review.append(f"{quoted(' · '.join(parts))} was read as facts and is kept as text too, icons and all")
            return " · ".join(parts)
        return " · ".join(rest)

    def block(self, block: Block) -> Block | None:
        if isinstance(block, Paragraph):
            kept = [rest for line in block.text.split("\n") if (rest := self.line(line))]
            return Paragraph("\n".join(kept)) if kept else None
        if isinstance(block, ListBlock):
            items = []
            for item in block.items:
                if item.children:  # an item with items under it is no level's band
                    rest, self.levels_open = item.text, False
                else:
                    rest = self.line(item.text)
                if rest:
                    items.append(Item(rest, item.children))
            return ListBlock(tuple(items), block.ordered) if items else None
        self.levels_open = False  # a heading ends the pay's lines
        return block


def take_facts(blocks: list[Block], notes: Notes) -> tuple[list[Block], Facts]:
    """`blocks` without the labelled lines that were read, and the facts read from them."""
    reader = _Reader(notes)
    kept = [b for b in (reader.block(block) for block in blocks) if b is not None]
    return kept, reader.facts
