"""python-docx finds where a new child element goes from a table of its children, not one search
per tag that may follow it (child-order).

Word's schema fixes the order of an element's children: a paragraph's properties hold its style,
then keep-with-next, keep-lines, numbering, spacing… in that order. python-docx keeps it by
inserting each new child before the first present child among the tags that may follow it, and
finds that one by searching the element once per such tag (up to 35 for a paragraph's
properties), each tag's name rebuilt on the way. A hiring guide's draft adds about 2,600 such
children: a third of the time spent on its body.

Within `children_placed_quickly()` (a draft's render, in this thread), the same rule is answered
by looking each present child's tag up in a table of those tags' ranks, made once per list of
tags. It picks the same element python-docx picks (the first child of the earliest-ranked tag
present, even where the children are out of the schema's order) and inserts as python-docx does.
An element with more children than that is searched the library's way, tag by tag in C, which is
faster there (a body holds hundreds of paragraphs, and only a section's properties follow them).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from pipeline.render.tuning import CHILD_ORDER, taken
from pipeline.render.tuning.thread_scoped import ThreadScoped, function_dispatcher

INSERT = ThreadScoped(BaseOxmlElement, "insert_element_before", function_dispatcher)
FEW = 6
"""Up to this many children an element's children are looked up in the table; with more, each
following tag is searched for as python-docx does."""

_ranks: dict[tuple[str, ...], dict[str, int]] = {}


def ranks(tagnames: tuple[str, ...]) -> dict[str, int]:
    """Each tag's Clark name → its first place in `tagnames` (the order python-docx searches in)."""
    found = _ranks.get(tagnames)
    if found is None:
        found = {}
        for rank, tagname in enumerate(tagnames):
            found.setdefault(qn(tagname), rank)
        _ranks[tagnames] = found
    return found


def successor(parent: Any, tagnames: tuple[str, ...]) -> Any:
    """The child python-docx's `first_child_found_in(*tagnames)` returns: the first child whose tag
    comes earliest in `tagnames`, or None."""
    if len(parent) > FEW:
        for name in ranks(tagnames):
            child = parent.find(name)
            if child is not None:
                return child
        return None
    table = ranks(tagnames)
    best, found = len(tagnames), None
    for child in parent.iterchildren():
        rank = table.get(child.tag)
        if rank is not None and rank < best:
            best, found = rank, child
    return found


def insert_element_before(self: Any, elm: Any, *tagnames: str) -> Any:
    """python-docx's `BaseOxmlElement.insert_element_before`, with its successor found by `successor`."""
    following = successor(self, tagnames)
    if following is not None:
        following.addprevious(elm)
    else:
        self.append(elm)
    return elm


def children_placed_quickly() -> AbstractContextManager[None]:
    """Within the block, and in this thread only, python-docx places new children by `successor`."""
    return taken(CHILD_ORDER, INSERT, insert_element_before)
