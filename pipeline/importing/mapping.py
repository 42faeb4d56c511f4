"""From a posting's outline to a role: which text fills which field, and what had to be guessed.

The rules, in the order they apply:

- Labelled lines are read as facts first (labelled.py); the first heading is the title (structure.py).
- A heading of the table (headings.yaml) fills its slot. List slots (responsibilities,
  prerequisites, hard skills, nice to have, benefits) take every item *and* paragraph under the
  heading as items, but a paragraph after the list that says how to apply ("Send your CV to …")
  goes to how to apply; text slots (about, pay) take the paragraphs; the one-text slots (summary,
  how to apply) take paragraphs and list items alike, each a line of the text.
- A list item with items under it stays nested: `{text, items}`, printed as a second level in every
  format; a third level is folded into its parent ("child (grandchild; grandchild)"). A numbered
  list in a free section stays numbered (`numbered: true`).
- Every other heading, and the slots kept as free sections (soft skills, about the company, the
  hiring process, equal opportunity), become `job_description.sections`, heading kept, printed
  after the role section that came before them in the posting.
- The text before the first heading is About the role when no heading names one; with one, a
  single paragraph is the summary, and more lead the About text.
- A list with no list slot of its own (before the first heading, or under about or pay) is a stray:
  when no heading names the responsibilities, the first stray list (else the first list of a free
  section) is taken as them; when none names requirements, the next one (else a soft-skills
  section) is. The others are kept as free sections under their section's heading.
- Pay comes from a labelled pay line (and the levels' lines after it), else from the first figures in
  a pay section; its source is "the imported posting" (in the posting's language) as of the date the
  posting gives (its front matter, or "Posted on …"), else CONFIRM. A pay section whose figures
  cannot be read is kept as a free section instead, so its words still print.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pipeline.importing import inferred
from pipeline.importing.blocks import Block, Document, Item, ListBlock, Paragraph
from pipeline.importing.dates import posted_date
from pipeline.importing.facts import Pay, read_pay, withheld
from pipeline.importing.labelled import Facts, take_facts
from pipeline.importing.report import Notes, quoted
from pipeline.importing.text import EMOJI, LABEL_LINE, fold
from pipeline.importing.vocabulary import vocabulary
from pipeline.importing.structure import FREE_SLOTS, Section, split_sections, take_title
from pipeline.source.scaffold import CONFIRM

LIST_SLOTS = {"responsibilities": "job_description.key_responsibilities",
              "prerequisites": "qualifications.prerequisites", "hard_skills": "qualifications.hard_skills",
              "nice_to_have": "qualifications.nice_to_have", "benefits": "job_description.perks"}
TEXT_SLOTS = {"summary": "job_description.summary", "about": "job_description.about_the_role",
              "pay": "compensation.explanation", "apply": "job_description.how_to_apply"}
LINE_SLOTS = frozenset({"summary", "apply"})
"""Text slots that are one text: their paragraphs and list items become its lines."""
ANCHORS = {"summary": "summary", "about": "about", "responsibilities": "responsibilities",
           "prerequisites": "qualifications", "hard_skills": "qualifications", "nice_to_have": "qualifications",
           "pay": "pay", "benefits": "benefits", "apply": "apply", **FREE_SLOTS}
"""The job description section (a free section's `after`) each slot prints in."""

SOURCE_NAMES = {"en": "the imported posting", "fr": "l’annonce importée", "de": "die importierte Stellenanzeige",
                "es": "la oferta importada"}
"""The pay source, in the posting's language: the job description prints "set against <source>"."""
MAX_SLUG = 64
_GENDER_MARKER = re.compile(r"\((?:[hfmwdx]\s*/\s*)+[hfmwdx]\)|\(all genders\)", re.IGNORECASE)


@dataclass(frozen=True)
class Mapped:
    slug: str
    role: dict[str, Any]
    """The role file's data, keys in the order they are written."""
    comments: dict[str, str]
    """Top-level key → a note to write beside it (a guessed value)."""
    notes: Notes


def _folded(node: Item) -> str:
    """An item with what is under it in parentheses: "child (grandchild; grandchild)"."""
    text = node.text.rstrip(" ;,.")
    return f"{text} ({'; '.join(_folded(c) for c in node.children)})" if node.children else node.text


def flatten(item: Item) -> str:
    """One item's text with its nested items folded in: "parent: child; child (grandchild)"."""
    if not item.children:
        return item.text
    joined = "; ".join(_folded(c).rstrip(" ;,.") for c in item.children)
    head = item.text.rstrip(" :：.")
    return f"{head}: {joined}" if head else joined


def entry(item: Item) -> str | dict[str, Any]:
    """One list item as the role writes it: its text, or `{text, items}` when items sit under it."""
    if not item.children:
        return item.text
    if not item.text.strip(" :："):
        return flatten(item)
    return {"text": item.text, "items": [_folded(child) for child in item.children]}


def flatten_entry(item: dict[str, Any]) -> str:
    """A nested entry as one line, for a field that is one text (how to apply, the summary)."""
    return f"{item['text'].rstrip(' :：.')}: {'; '.join(item['items'])}"


def slugify(title: str) -> str:
    """A slug from a title: accents folded, gender markers ("(H/F)", "(m/w/d)") left out."""
    bare = unicodedata.normalize("NFKD", _GENDER_MARKER.sub(" ", title))
    ascii_only = "".join(c for c in bare if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:MAX_SLUG]
    return slug


def _items(blocks: list[Block]) -> list[str | dict[str, Any]]:
    """Paragraphs and list items (nested ones as `{text, items}`), in the order they come."""
    out: list[str | dict[str, Any]] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            out += [entry(item) for item in block.items]
        elif isinstance(block, Paragraph):
            out.append(block.text)
    return out


def _paragraphs(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def _last_list(blocks: list[Block]) -> int | None:
    return max((i for i, b in enumerate(blocks) if isinstance(b, ListBlock)), default=None)


def _around_lists(blocks: list[Block]) -> tuple[list[str], list[str], bool]:
    """A free section's paragraphs before its last list, those after it (its `closing`), and
    whether a paragraph sat between two lists (it prints before the items: the order changes)."""
    last = _last_list(blocks)
    if last is None:
        return _paragraphs(blocks), [], False
    first = next(i for i, b in enumerate(blocks) if isinstance(b, ListBlock))
    between = any(isinstance(b, Paragraph) for b in blocks[first:last])
    return _paragraphs(blocks[:last]), _paragraphs(blocks[last + 1:]), between


def _without_applying(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """A list section's blocks without the paragraphs after its last list that say how to apply
    ("Send your CV to …" closing a benefits list is no benefit), and those paragraphs."""
    last = _last_list(blocks)
    if last is None:
        return blocks, []
    keywords = vocabulary().keywords
    moved = [b for b in blocks[last + 1:] if isinstance(b, Paragraph)
             and any("apply" in keywords.slots(word) for word in fold(b.text).split())]
    return [b for b in blocks if not any(b is m for m in moved)], [b.text for b in moved]


def _lists(blocks: list[Block]) -> list[list[str | dict[str, Any]]]:
    return [[entry(item) for item in b.items] for b in blocks if isinstance(b, ListBlock)]


def _numbered(blocks: list[Block]) -> bool:
    """Whether a section's lists are all numbered: steps in order."""
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    return bool(lists) and all(b.ordered for b in lists)


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


@dataclass
class _Free:
    heading: str
    after: str
    slot: str | None
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str | dict[str, Any]] = field(default_factory=list)
    subsections: list[dict[str, Any]] = field(default_factory=list)
    numbered: bool = False
    closing: list[str] = field(default_factory=list)
    interleaved: bool = False
    """Text sat between two of its lists (`_around_lists`): the report asks for a look at the order."""

    def empty(self) -> bool:
        return not (self.paragraphs or self.bullets or self.closing or self.subsections)

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"heading": self.heading, "after": self.after}
        for key in ("paragraphs", "bullets"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.bullets and self.numbered:
            out["numbered"] = True
        if self.closing:
            out["closing"] = self.closing
        if self.subsections:
            out["subsections"] = self.subsections
        return out


@dataclass
class _Stray:
    items: list[str | dict[str, Any]]
    anchor: str
    heading: str | None


@dataclass
class _Draft:
    title: str
    notes: Notes
    intro: list[str] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str | dict[str, Any]]] = field(default_factory=dict)
    strays: list[_Stray] = field(default_factory=list)
    free: list[_Free] = field(default_factory=list)

    def fill(self, sections: list[Section]) -> None:
        has_about = any(s.slot == "about" for s in sections)
        anchor = "about" if _paragraphs(sections[0].blocks) or not has_about else "summary"
        for section in sections:
            heading, slot = section.heading, section.slot
            if heading is None:
                self.intro = _paragraphs(section.blocks)
                self.strays += [_Stray(items, anchor, None) for items in _lists(section.blocks)]
                continue
            if section.free:
                self._keep_free(section, FREE_SLOTS.get(slot or "", anchor))
            elif slot in LIST_SLOTS:
                blocks, applying = _without_applying(section.blocks)
                items = _items(blocks)
                self.lists.setdefault(slot, []).extend(items)
                self._mapped(heading, LIST_SLOTS[slot], _count(len(items), "item"))
                if _lists(blocks):
                    self.notes.review += [f"the paragraph {quoted(text)} became an item of {LIST_SLOTS[slot]}; "
                                          "check it reads as one" for text in _paragraphs(blocks)]
                if applying:
                    self.texts.setdefault("apply", []).extend(applying)
                self.notes.mapped += [f"{quoted(text)} → {TEXT_SLOTS['apply']} (a paragraph after the list "
                                      f"under {quoted(heading)})" for text in applying]
            elif slot in LINE_SLOTS:
                lines = [item if isinstance(item, str) else flatten_entry(item) for item in _items(section.blocks)]
                self.texts.setdefault(slot, []).extend(lines)
                self._mapped(heading, TEXT_SLOTS[slot], _count(len(lines), "line"))
            else:
                paragraphs = _paragraphs(section.blocks)
                self.texts.setdefault(slot, []).extend(paragraphs)
                self.headings.setdefault(slot, heading)
                self.strays += [_Stray(items, ANCHORS[slot], heading) for items in _lists(section.blocks)]
                if slot != "pay":  # where pay text goes depends on whether figures are found: see `pay`
                    self._mapped(heading, TEXT_SLOTS[slot], _count(len(paragraphs), "paragraph"))
            if slot is not None:
                anchor = ANCHORS[slot]

    def _mapped(self, heading: str, target: str, what: str) -> None:
        self.notes.mapped.append(f"{quoted(heading)} → {target} ({what})")
        if what.startswith("0 "):
            self.notes.review.append(f"{target} got nothing from {quoted(heading)}")

    def _keep_free(self, section: Section, after: str) -> None:
        paragraphs, closing, interleaved = _around_lists(section.blocks)
        free = _Free(section.heading or "", after, section.slot, paragraphs,
                     [i for items in _lists(section.blocks) for i in items], numbered=_numbered(section.blocks),
                     closing=closing, interleaved=interleaved)
        for sub in section.subsections:
            data: dict[str, Any] = {"heading": sub.heading}
            paragraphs, closing, interleaved = _around_lists(sub.blocks)
            free.interleaved = free.interleaved or interleaved
            if paragraphs:
                data["paragraphs"] = paragraphs
            if bullets := [i for items in _lists(sub.blocks) for i in items]:
                data["bullets"] = bullets
                if _numbered(sub.blocks):
                    data["numbered"] = True
            if closing:
                data["closing"] = closing
            free.subsections.append(data)
        self.free.append(free)

    def take_list(self) -> tuple[list[str | dict[str, Any]], str] | None:
        """The first stray list, else the bullets of the first free section under an unknown heading."""
        if self.strays:
            stray = self.strays.pop(0)
            return stray.items, (f"the first list under {quoted(stray.heading)}" if stray.heading
                                 else "the first list after the introduction")
        for free in self.free:
            if free.slot is None and free.bullets:
                items, free.bullets = free.bullets, []
                where = f"the list under {quoted(free.heading)}"
                if free.empty():
                    self.free.remove(free)
                    where += " (that heading no longer prints)"
                return items, where
        return None

    def about(self) -> tuple[list[str], list[str]]:
        """(summary, about_the_role) from the intro and the summary and about sections."""
        summary, about = self.texts.get("summary", []), self.texts.get("about", [])
        if self.intro and not about:
            about = self.intro
            self.notes.mapped.append(f"the text before the first heading → job_description.about_the_role "
                                     f"({_count(len(about), 'paragraph')})")
        elif len(self.intro) == 1 and not summary:
            summary = self.intro
            self.notes.mapped.append("the paragraph before the first heading → job_description.summary")
        elif self.intro:
            about = self.intro + about
            self.notes.mapped.append(f"the text before the first heading → the start of "
                                     f"job_description.about_the_role ({_count(len(self.intro), 'paragraph')})")
        if not about and summary:
            about, summary = summary, []
            self.notes.review.append("there is no About text, so the summary became job_description.about_the_role")
        if not about:
            self.notes.confirm.append("job_description.about_the_role: the posting has no introduction and no "
                                      "heading such as “About the role”; write a paragraph on what the role is")
            about = [CONFIRM]
        return summary, about

    def responsibilities(self) -> None:
        if self.lists.get("responsibilities"):
            return
        taken = self.take_list()
        if taken is None:
            self.notes.confirm.append("job_description.key_responsibilities: the posting has no list of "
                                      "responsibilities; write what the person will do")
            self.lists["responsibilities"] = [CONFIRM]
            return
        self.lists["responsibilities"] = taken[0]
        self.notes.review.append(f"no heading names the responsibilities, so {taken[1]} became "
                                 f"job_description.key_responsibilities ({_count(len(taken[0]), 'item')}); "
                                 "check that it is that list")

    def qualifications(self) -> None:
        if self.lists.get("prerequisites") or self.lists.get("hard_skills"):
            return
        soft = next((f for f in self.free if f.slot == "soft_skills" and not f.subsections), None)
        if soft is not None:
            self.free.remove(soft)
            self.lists["soft_skills"] = soft.paragraphs + soft.bullets + soft.closing
            self.notes.review.append(f"no heading names requirements, so {quoted(soft.heading)} became "
                                     "qualifications.soft_skills (its heading no longer prints)")
            return
        taken = self.take_list()
        if taken is None:
            self.notes.confirm.append("qualifications.prerequisites: the posting has no list of requirements; "
                                      "write what the person must bring")
            self.lists["prerequisites"] = [CONFIRM]
            return
        self.lists["prerequisites"] = taken[0]
        self.notes.review.append(f"no heading names requirements, so {taken[1]} became "
                                 f"qualifications.prerequisites ({_count(len(taken[0]), 'item')}); check it")

    def strays_as_free(self) -> None:
        for stray in self.strays:
            heading = stray.heading or self.title
            self.free.append(_Free(heading, stray.anchor, None, bullets=stray.items))
            where = f"under {quoted(stray.heading)}" if stray.heading else "before the first heading"
            self.notes.review.append(f"a list {where} has no field of its own, so it is kept as a free section "
                                     f"headed {quoted(heading)}; check the heading")
        self.strays = []

    def pay(self, facts: Facts, file_name: str, language: str, dated: dt.date | None) -> dict[str, Any] | str:
        """The pay the posting states, dated by the posting's own date; `disclosed: false` where it
        withholds it on purpose ("competitive, DOE"); CONFIRM where it says nothing."""
        texts = self.texts.get("pay", [])
        found: tuple[Pay, str] | None = facts.pay
        if found is None:
            found = next(((pay, p) for p in texts if (pay := read_pay(p)) and pay.usable), None)
        if found is None:
            if texts:
                self.free.append(_Free(self.headings["pay"], "pay", "pay", texts))
                self.notes.review.append(f"no pay figures could be read under {quoted(self.headings['pay'])}, "
                                         "so it is kept as a free section")
            said = facts.pay_withheld or next((t for t in texts if withheld(t)), None)
            if said is not None:
                self.notes.mapped.append(f"{quoted(said)} → compensation: {{disclosed: false}} (no figures stated)")
                return {"disclosed": False}
            self.notes.confirm.append("compensation: the posting states no pay; write its bands, or "
                                      "`compensation: {disclosed: false}` to say it is not published")
            return CONFIRM
        pay, origin = found
        period = pay.period or "year"
        if pay.period is None:
            self.notes.review.append(f"{quoted(origin)} names no period; read as yearly pay")
        self.notes.review += [f"{quoted(origin)}: {remark}" for remark in pay.remarks if "left to confirm" not in remark]
        source = SOURCE_NAMES.get(language.split("-")[0], SOURCE_NAMES["en"])
        level: dict[str, Any] = {"level": self.title, "min": pay.minimum, "max": pay.maximum}
        if pay.bound is not None:
            other = "max" if pay.bound == "min" else "min"
            level[other] = CONFIRM
            self.notes.confirm.append(f"compensation.levels[0].{other}: {quoted(origin)} states only the "
                                      f"{pay.bound}imum; write the {other}imum of the range")
        if dated is None:
            self.notes.confirm.append("compensation.source.as_of: the posting does not say when its pay was set; "
                                      "write that date")
        self.notes.mapped.append(f"{quoted(origin)} → compensation: {pay.currency} "
                                 f"{level['min'] if pay.bound != 'max' else '…'}–{level['max'] if pay.bound != 'min' else '…'} "
                                 f"per {period}, source “{source}”" + (f" as of {dated.isoformat()}" if dated else ""))
        levels = [level] + [{"level": name, "min": band.minimum, "max": band.maximum}
                            for name, band, _ in facts.pay_levels]
        self.notes.mapped += [f"{quoted(line)} → compensation.levels[{i}] ({name})"
                              for i, (name, _, line) in enumerate(facts.pay_levels, start=1)]
        compensation: dict[str, Any] = {
            "currency": pay.currency, "period": period,
            "source": {"name": source, "as_of": dated or CONFIRM, "note": f"Read from {file_name}: {origin}"},
            "levels": levels,
        }
        if texts:
            compensation["explanation"] = "\n".join(texts)
            self._mapped(self.headings["pay"], TEXT_SLOTS["pay"], _count(len(texts), "paragraph"))
        elif facts.pay is not None and (words := _pay_words(origin)) is not None:
            compensation["explanation"] = words  # "À partir de 42 000 €…, selon profil": its own words print too
        return compensation

    def report_free(self) -> None:
        for free in self.free:
            parts = [_count(len(getattr(free, key)), key[:-1]) for key in ("paragraphs", "bullets", "subsections")
                     if getattr(free, key)]
            parts += [_count(len(free.closing), "paragraph") + " after them"] if free.closing else []
            self.notes.free.append(f"{quoted(free.heading)} → job_description.sections, after {free.after} "
                                   f"({', '.join(parts)})")
            if free.interleaved:
                self.notes.review.append(f"{quoted(free.heading)} has text between its lists; it prints before "
                                         "their items, which print as one list: check the order still reads")
            if free.slot == "company":
                self.notes.review.append(f"{quoted(free.heading)} prints after the company text of "
                                         "the content folder's company.yaml; delete one if they say the same")


def _pay_words(line: str) -> str | None:
    """The words of a pay line after its label, when they say more than figures ("from", "selon
    profil", "invoiced monthly"): printed as the pay's explanation, so nothing the posting said is lost."""
    value = LABEL_LINE.match(line)
    words = EMOJI.sub("", value["value"] if value else line).strip()  # a facts line's icon stays in its own line
    said = " ".join(w for w in fold(re.sub(r"\b[A-Z]{3}\b|\d[\d.,\s]*[kK]?", " ", words)).split()
                    if w not in _period_words())
    return words if re.search(r"[^\W\d_]{3,}", said) else None


@lru_cache(maxsize=1)
def _period_words() -> frozenset[str]:
    return frozenset(word for phrase in vocabulary().periods.table for word in phrase.split()) | {"per", "a", "an"}


def _all_text(title: str, blocks: list[Block]) -> str:
    return "\n".join([title] + [flatten(i) for b in blocks if isinstance(b, ListBlock) for i in b.items]
                     + [b.text for b in blocks if not isinstance(b, ListBlock)])


ABOUT_APPLYING = {"apply", "process"}
"""Sections about applying and interviewing: "we meet on site or by video" there says how the
interviews are held, not where the job is done."""


def _about_the_job(title: str, sections: list[Section]) -> str:
    """The text of every section but those about applying (ABOUT_APPLYING), their subsections included."""
    kept = [b for s in sections if s.slot not in ABOUT_APPLYING
            for part in (s, *s.subsections) for b in part.blocks]
    return _all_text(title, kept)


def map_document(document: Document, *, file_name: str, stem: str, language: str) -> Mapped:
    """The role a normalised document describes; what it does not state is CONFIRM, listed in its notes."""
    notes = Notes()
    notes.review += document.notes
    blocks, facts = take_facts(list(document.blocks), notes)
    title = take_title(blocks, document.title, stem, notes, front_matter=document.front_matter)
    draft = _Draft(title, notes)
    sections = split_sections(blocks)
    draft.fill(sections)
    summary, about = draft.about()
    draft.responsibilities()
    draft.qualifications()
    draft.strays_as_free()
    dated = document.dated or posted_date(_all_text(title, blocks))
    if dated is not None and document.dated is None:
        notes.mapped.append(f"the date the posting says it was posted, {dated.isoformat()} → what its pay is as of")
    compensation = draft.pay(facts, file_name, language, dated)
    comments: dict[str, str] = {}
    employment = inferred.employment(facts, title, draft.intro, compensation, notes, comments,
                                     _all_text(title, blocks))
    locations = inferred.locations(facts, _about_the_job(title, sections), notes, comments)
    if facts.department is not None:
        notes.mapped.append(f"{quoted(facts.department[1])} → department")

    jd: dict[str, Any] = {}
    if summary:
        jd["summary"] = "\n".join(summary)
    jd["about_the_role"] = about
    jd["key_responsibilities"] = draft.lists["responsibilities"]
    if perks := draft.lists.get("benefits"):
        jd["perks"] = perks
        notes.review.append("the company's benefits (the content folder's company.yaml) print after these perks; "
                            "remove any perk that repeats one")
    if apply := draft.texts.get("apply"):
        jd["how_to_apply"] = "\n".join(apply)
    for free in [f for f in draft.free if f.empty()]:
        draft.free.remove(free)
        notes.review.append(f"the heading {quoted(free.heading)} has no text under it; it was left out")
    draft.report_free()
    if draft.free:
        jd["sections"] = [free.data() for free in draft.free]

    slug = slugify(title) or slugify(stem) or "imported-role"
    role: dict[str, Any] = {"slug": slug, "title": title, "language": language}
    if facts.department is not None:
        role["department"] = facts.department[0]
    role["employment_type"] = employment
    role["locations"] = locations
    role["job_description"] = jd
    role["qualifications"] = {key: draft.lists[key] for key in ("prerequisites", "hard_skills", "soft_skills",
                                                                  "nice_to_have") if draft.lists.get(key)}
    if compensation is not None:
        role["compensation"] = compensation
    return Mapped(slug, role, comments, notes)
