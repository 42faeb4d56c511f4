"""What a draft proposes: every difference between the draft and what rolepack wrote into it, each
tied to the field its text came from.

Direct edits (typed with change tracking off) are `E` proposals; tracked insertions and deletions are
`T` proposals, with their author and date; text typed outside any field is an `F` proposal, placed
by the field or heading before it. A bullet typed after a list's last bullet in the same style is a
new item of that list; anything else outside a field is never guessed into one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from pipeline.render.docx.record import Line, Piece, Record, bare_lines, piece_spans, pieces_of
from pipeline.render.docx.wordml import Change, WParagraph, keeps, markdown


@dataclass
class Proposal:
    id: str
    action: str
    """"change" (a field's text), "add" (a new list item), "remove" (a list item or field), "free"
    (text outside any field), "printed" (text rolepack printed that is not content, changed or removed),
    "order" (a list's items moved: `old` and `new` are their orders, by index when built)."""
    source: str
    """The field (`role:…`, `company:…`, `pay:…`); for "add", the list's own source."""
    old: str = ""
    new: str = ""
    tracked: Change | None = None
    after: int | None = None
    """For "add": the base index of the list item it follows (-1: first)."""
    heading: str = ""
    """The heading the text sits under, for people to find it."""
    comments: list[str] = field(default_factory=list)


@dataclass
class Element:
    """One item of a list as the draft has it now."""
    base: int | None
    """Its index when the draft was built; None for an item the draft adds."""
    before: str
    after: str
    proposals: list[Proposal]


def normal(text: str) -> str:
    return " ".join(text.split())


def list_of(source: str) -> tuple[str, int] | None:
    """`role:x.items.3` → ("role:x.items", 3): a piece that is an item of a list (a pay band is not:
    its cell stands for the band's figures)."""
    if source.startswith("pay:"):
        return None
    head, _, last = source.rpartition(".")
    return (head, int(last)) if last.isdigit() and head else None


@dataclass
class Reading:
    """Everything a draft proposes, and each list as the draft now orders it."""
    proposals: list[Proposal]
    scalars: dict[str, tuple[str, str]]
    """Each field that is not a list item: its text (before, after tracked changes)."""
    lists: dict[str, list[Element]]
    """Each list with a piece in the draft: its items in the draft's order."""


class _Ids:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, letter: str) -> str:
        self.counts[letter] = self.counts.get(letter, 0) + 1
        return f"{letter}{self.counts[letter]}"


def _tracked(spans) -> Change | None:
    return next((s.change for s in spans if s.change is not None), None)


def _key(para: WParagraph) -> tuple:
    if para.pieces:
        return ("p", tuple(sorted(para.pieces)))
    before = normal(para.text("before"))
    return ("t", before) if before else ("new", normal(para.text("after")))


def _line_key(line: Line) -> tuple:
    return ("p", line.pieces) if line.pieces else ("t", normal(line.text))


def _shown(para: WParagraph) -> bool:
    return bool(para.pieces) or bool(normal(para.text("after")) or normal(para.text("before")))


def read_proposals(record: Record, paragraphs: list[WParagraph]) -> Reading:
    ids = _Ids()
    pieces = {p.number: p for p in record.pieces}
    bare = bare_lines(record)
    outside = {line.pieces: line.text for line in record.lines if line.pieces}
    before, after = pieces_of(paragraphs, "before", bare), pieces_of(paragraphs, "after", bare)
    proposals: list[Proposal] = []
    scalars: dict[str, tuple[str, str]] = {}
    lists: dict[str, list[Element]] = {}
    seen: set[int] = set()
    heading = ""
    last_item: tuple[str, Element, str] | None = None  # (list source, item, paragraph style)

    shown = [p for p in paragraphs if _shown(p)]
    lines = [line for line in record.lines if line.pieces or normal(line.text)]
    matcher = difflib.SequenceMatcher(None, [_line_key(x) for x in lines], [_key(p) for p in shown], autojunk=False)
    matched: dict[int, Line] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            matched[block.b + k] = lines[block.a + k]
    printed_changes = _printed_changes(matcher, lines, shown)

    for index, para in enumerate(shown):
        if para.style.lower().startswith("heading") or para.style == "Title":
            heading = normal(para.text("after")) or heading
        if para.pieces:
            key = tuple(sorted(para.pieces))
            if key not in bare and key in outside:  # text around the fields of a paragraph with labels or several fields
                now = normal("".join(s.text for s in para.spans if not s.pieces and keeps(s, "after")))
                if now != normal(outside[key]):
                    proposals.append(Proposal(ids.next("F"), "free", "", normal(outside[key]), now, heading=heading))
            for number in sorted(para.pieces):
                piece = pieces[number]
                spans = piece_spans(para, number, bare)
                in_list = list_of(piece.source)
                if number in seen:  # a piece split by Enter: the new paragraph is new text
                    text_before, text_after = markdown([s for s in spans if keeps(s, "before")]), markdown(
                        [s for s in spans if keeps(s, "after")])
                    if in_list and (normal(text_before) or normal(text_after)):
                        element = _added(ids, in_list[0], text_before, text_after, _tracked(spans) or para.mark,
                                         _last_base(lists[in_list[0]]), heading, proposals)
                        lists[in_list[0]].append(element)
                    continue
                seen.add(number)
                if in_list:  # an item is its first paragraph; one split off it by Enter is a new item (above)
                    element = _element(ids, piece, markdown([s for s in spans if keeps(s, "before")]),
                                       markdown([s for s in spans if keeps(s, "after")]), spans, heading,
                                       proposals, in_list[1])
                    lists.setdefault(in_list[0], []).append(element)
                    last_item = (in_list[0], element, para.style)
                else:
                    scalars[piece.source] = _scalar(ids, piece, before.get(number, ""), after.get(number, ""),
                                                    spans, heading, proposals)
                    last_item = None
            continue
        if index in matched:
            if not (last_item and para.style == last_item[2]):
                last_item = None
            continue
        text_before, text_after = para.text("before"), para.text("after")
        change = para.mark or _tracked(para.spans)
        if last_item and para.style == last_item[2]:
            element = _added(ids, last_item[0], markdown([s for s in para.spans if keeps(s, "before")]),
                             markdown([s for s in para.spans if keeps(s, "after")]), change,
                             _last_base(lists[last_item[0]]), heading, proposals)
            lists[last_item[0]].append(element)
            continue
        replaced = printed_changes.get(index)
        proposals.append(Proposal(ids.next("T" if change and not normal(text_before) else "F"), "free", "",
                                  replaced or "", normal(text_after), tracked=change if not normal(text_before) else None,
                                  heading=heading))
        last_item = None

    for source, elements in lists.items():  # an item cut and pasted elsewhere: its bookmark went with it
        order = list(dict.fromkeys(e.base for e in elements if e.base is not None and normal(e.before)))
        if order != sorted(order):  # (a packet prints some lists twice: each item's first place counts)
            proposals.append(Proposal(ids.next("F"), "order", source, " ".join(f"[{i}]" for i in sorted(order)),
                                      " ".join(f"[{i}]" for i in order)))
    for line_text in _printed_removed(matcher, lines):
        proposals.append(Proposal(ids.next("F"), "printed", "", line_text, "", heading=""))
    for number, piece in pieces.items():
        if number not in seen:  # its bookmark is gone: the text was deleted with it
            in_list = list_of(piece.source)
            proposal = Proposal(ids.next("E"), "remove", piece.source, piece.markdown, "")
            proposals.append(proposal)
            if in_list:
                lists.setdefault(in_list[0], []).append(Element(in_list[1], "", "", [proposal]))
            else:
                scalars[piece.source] = ("", "")
    return Reading(proposals, scalars, lists)


def _last_base(elements: list[Element]) -> int | None:
    return next((e.base for e in reversed(elements) if e.base is not None), None)


def _element(ids: _Ids, piece: Piece, before: str, after: str, spans, heading: str,
             proposals: list[Proposal], base: int) -> Element:
    element = Element(base, before, after, [])
    if normal(before) != normal(piece.markdown):
        action = "remove" if not normal(before) else "change"
        element.proposals.append(Proposal(ids.next("E"), action, piece.source, piece.markdown, before, heading=heading))
    if normal(after) != normal(before):
        action = "remove" if not normal(after) else "change"
        element.proposals.append(Proposal(ids.next("T"), action, piece.source, before, after,
                                          tracked=_tracked(spans), heading=heading))
    proposals.extend(element.proposals)
    return element


def _scalar(ids: _Ids, piece: Piece, before: str, after: str, spans, heading: str,
            proposals: list[Proposal]) -> tuple[str, str]:
    if normal(before) != normal(piece.markdown):
        proposals.append(Proposal(ids.next("E"), "change" if normal(before) else "remove", piece.source,
                                  piece.markdown, before, heading=heading))
    if normal(after) != normal(before):
        proposals.append(Proposal(ids.next("T"), "change" if normal(after) else "remove", piece.source, before,
                                  after, tracked=_tracked(spans), heading=heading))
    return before, after


def _added(ids: _Ids, source: str, before: str, after: str, change: Change | None, base_after: int | None,
           heading: str, proposals: list[Proposal]) -> Element:
    tracked = change is not None and not normal(before)
    proposal = Proposal(ids.next("T" if tracked else "E"), "add", source, "", after if tracked else before,
                        tracked=change if tracked else None, after=base_after, heading=heading)
    proposals.append(proposal)
    return Element(None, "" if tracked else before, after, [proposal])


def _printed_changes(matcher: difflib.SequenceMatcher, lines: list[Line], shown: list[WParagraph]) -> dict[int, str]:
    """Draft paragraphs that replace text rolepack printed (a label, a heading): index → the old text."""
    found: dict[int, str] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            old = [normal(x.text) for x in lines[i1:i2] if not x.pieces]
            for k, j in enumerate(j for j in range(j1, j2) if not shown[j].pieces):
                if k < len(old):
                    found[j] = old[k]
    return found


def _printed_removed(matcher: difflib.SequenceMatcher, lines: list[Line]) -> list[str]:
    """Text rolepack printed (not content) that the draft no longer has."""
    gone: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete" or (tag == "replace" and (i2 - i1) > (j2 - j1)):
            old = [normal(x.text) for x in lines[i1:i2] if not x.pieces]
            gone += old[j2 - j1 if tag == "replace" else 0:]
    return gone
