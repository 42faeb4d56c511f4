"""The outline of a posting: its title, and its sections under the headings that open them.

A heading from the table opens a section that fills a part of the role; any other heading opens a
free section, unless it sits deeper than a free section's own heading, in which case it is one of
that section's subsections (deeper levels still are subsections too: the model has two levels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.importing.blocks import Block, Heading, Paragraph
from pipeline.importing.report import Notes, quoted
from pipeline.importing.text import fold
from pipeline.importing.vocabulary import vocabulary

FREE_SLOTS = {"soft_skills": "qualifications", "company": "company", "process": "apply",
              "equal_opportunity": "apply"}
"""Table slots kept as free sections with their heading, and the section they print after."""


@dataclass
class Section:
    heading: str | None
    """None for the text before the first heading."""
    level: int
    slot: str | None
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    @property
    def free(self) -> bool:
        return self.heading is not None and (self.slot is None or self.slot in FREE_SLOTS)


def _from_file_name(stem: str) -> str:
    words = [w for w in re.split(r"[\s_\-.]+", stem) if w]
    return " ".join(w[0].upper() + w[1:] if w.islower() else w for w in words)


def take_title(blocks: list[Block], declared: str | None, stem: str, notes: Notes, *, front_matter: bool = False) -> str:
    """The role's title, removed from `blocks` when it is a heading.

    A front matter's title is the author's and wins. Else a top-level heading that no table phrase
    matches (even after a section: "## Qui sommes-nous ?" then "# Chef·fe de projet", whose own
    text is then moved before the first heading, as the posting's introduction); else the
    first heading when no table phrase matches it and nothing but facts precede it; else the title
    the file declares (an HTML <title>, DOCX properties); else the file name, flagged.
    """
    first = next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), None)
    if declared and front_matter:
        if first is not None and fold(blocks[first].text) == fold(declared):
            del blocks[first]
        notes.mapped.append(f"{quoted(declared)} → title (the front matter's `title`)")
        return declared
    top = next((i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 1
                and vocabulary().heading_slot(b.text) is None), None)
    if top is not None and top != first:
        heading = blocks[top]
        end = next((i for i in range(top + 1, len(blocks)) if isinstance(blocks[i], Heading)), len(blocks))
        intro = blocks[top + 1:end]
        del blocks[top:end]
        blocks[first:first] = intro  # what the title heads is the role's introduction, not the section before it
        notes.mapped.append(f"{quoted(heading.text)} → title (the top-level heading)")
        return heading.text
    if first is not None:
        heading = blocks[first]
        before_is_prose = any(isinstance(b, Paragraph) for b in blocks[:first])
        if vocabulary().heading_slot(heading.text) is None and (heading.level == 1 or not before_is_prose
                                                                or heading.text == declared):
            del blocks[first]
            notes.mapped.append(f"{quoted(heading.text)} → title (the first heading)")
            return heading.text
    if declared:
        notes.mapped.append(f"{quoted(declared)} → title (the document's own title property)")
        return declared
    title = _from_file_name(stem)
    notes.review.append(f"the title {quoted(title)} was taken from the file name: the posting has no title heading")
    return title


def split_sections(blocks: list[Block]) -> list[Section]:
    """The intro (text before any heading) first, then one section per top heading, in order."""
    sections = [Section(None, 0, None)]
    for block in blocks:
        if not isinstance(block, Heading):
            top = sections[-1]
            (top.subsections[-1] if top.subsections else top).blocks.append(block)
            continue
        found = vocabulary().heading_slot(block.text)
        top = sections[-1]
        if found is None and top.free and block.level > top.level:
            top.subsections.append(Section(block.text, block.level, None))
        else:
            sections.append(Section(block.text, block.level, found[0] if found else None))
    return sections
