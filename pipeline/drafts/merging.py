"""Three ways: what the draft was built from (its record), what the draft says now, and what the
content says now (a fresh build's record). A field the draft changed merges when the content still
holds what the draft was built from; when both changed it differently, it is a conflict, shown with
the three versions and never applied.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import get_decimal_symbol, get_group_symbol

from pipeline.drafts.proposals import Element, Proposal, Reading, list_of, normal
from pipeline.drafts.yaml_edit import Delete, Edit, Insert, Set
from pipeline.render.docx.record import Record, source_label, source_path

MISSING = object()


@dataclass
class Outcome:
    state: str
    """"applies", "same" (the content already says it), "conflict", "open" (needs a decision or a
    change elsewhere), "rejected"."""
    why: str = ""
    current: str | None = None


@dataclass
class Plan:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)


@dataclass(frozen=True)
class Choice:
    """Which proposals the person merging takes: direct edits unless rejected, tracked ones when accepted."""
    accept_all: bool = False
    accept: frozenset[str] = frozenset()
    reject: frozenset[str] = frozenset()

    def takes(self, proposal: Proposal) -> bool:
        if proposal.id in self.reject:
            return False
        if proposal.tracked is None:
            return True
        return self.accept_all or proposal.id in self.accept


def _value(data: Any, path: tuple) -> Any:
    node = data
    for step in path:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return MISSING
    return node


def resolve(reading: Reading, base: Record, current: Record, choice: Choice, *, merged: dict, own: dict,
            parent_file: str | None) -> Plan:
    """The edits to the role file and what became of each proposal."""
    plan = Plan()
    now = {p.source: p.markdown for p in current.pieces}
    was = {p.source: p.markdown for p in base.pieces}
    for proposal in reading.proposals:
        if proposal.id in choice.reject:
            plan.outcomes[proposal.id] = Outcome("rejected")
        elif proposal.tracked is not None and not choice.takes(proposal):
            plan.outcomes[proposal.id] = Outcome("open", "a tracked change: accept it (--accept "
                                                 f"{proposal.id}) or reject it (--reject {proposal.id})")
        elif proposal.action == "free":
            plan.outcomes[proposal.id] = Outcome("open", "text outside any field: add it to the role where it "
                                                 "belongs (a section of its own: job_description.sections)")
        elif proposal.action == "order":
            plan.outcomes[proposal.id] = Outcome("open", "items were moved; put them in this order in the role "
                                                 "file (the other edits to this list merge)")
        elif proposal.action == "printed":
            plan.outcomes[proposal.id] = Outcome("open", "text rolepack prints from its layouts, not from the "
                                                 "role: it is the same in every role, and changes in layouts/")
    for source, (before, after) in reading.scalars.items():
        mine = [p for p in reading.proposals if p.source == source and p.action in ("change", "remove")
                and p.id not in plan.outcomes]
        if not mine:
            continue
        chosen = after if any(p.tracked is not None for p in mine) else before
        _scalar(plan, source, was.get(source, ""), chosen, now.get(source), mine, merged, own, parent_file,
                base.language)
    for source, elements in reading.lists.items():
        _list(plan, source, elements, was, now, choice, merged, own, parent_file)
    return plan


def _elsewhere(plan: Plan, source: str, proposals: list[Proposal], own: dict, parent_file: str | None) -> bool:
    """A change this role file cannot take: company text, or a value the role inherits."""
    origin, path = source.partition(":")[0], source_path(source)
    why = ""
    if origin == "company":
        why = (f"company text (company.yaml: {source_label(source)}), printed in every role: change it in company.yaml, "
               "or give this role its own wording under `company:` in its file")
    elif not owned(own, path):
        why = (f"this role inherits {source_label(source)} from {parent_file or 'the role it extends'}: change it "
               "there, or write the field into this role's file to make it its own")
    for proposal in proposals:
        if why:
            plan.outcomes[proposal.id] = Outcome("open", why)
    return bool(why)


def owned(own: Any, path: tuple) -> bool:
    """Whether the role's own file writes the value at `path` (a list is written whole or not at all)."""
    node = own
    for step in path:
        if isinstance(node, list):
            return True
        if not isinstance(node, dict) or step not in node:
            return False
        node = node[step]
    return True


def _scalar(plan: Plan, source: str, was: str, chosen: str, now: str | None, proposals: list[Proposal],
            merged: dict, own: dict, parent_file: str | None, language: str) -> None:
    if normal(chosen) == normal(was):
        for proposal in proposals:
            plan.outcomes.setdefault(proposal.id, Outcome("same"))
        return
    if now is None or (normal(now) != normal(was) and normal(now) != normal(chosen)):
        for proposal in proposals:
            plan.outcomes[proposal.id] = Outcome("conflict", "the content changed this field since the draft "
                                                 "was built" if now is not None else
                                                 "the field is no longer in the content", now)
        return
    if normal(now) == normal(chosen):
        for proposal in proposals:
            plan.outcomes[proposal.id] = Outcome("same")
        return
    if _elsewhere(plan, source, proposals, own, None if source.startswith("pay:") else parent_file):
        return
    path = source_path(source)
    if source.startswith("pay:"):
        try:
            edits = pay_edits(path, chosen, language)
        except ValueError as err:
            for proposal in proposals:
                plan.outcomes[proposal.id] = Outcome("open", str(err))
            return
    elif not normal(chosen):
        edits = [Delete(path)]
    else:
        edits = [Set(path, typed(_value(merged, path), chosen))]
    plan.edits += edits
    for proposal in proposals:
        plan.outcomes[proposal.id] = Outcome("applies")


def typed(old: Any, text: str) -> Any:
    """The draft's text as the value's own type: a list printed joined by commas splits again."""
    if isinstance(old, list):
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(old, int) and not isinstance(old, bool):
        digits = re.sub(r"\D", "", text)
        return int(digits) if digits else old
    return text.strip()


def pay_edits(path: tuple, text: str, language: str) -> list[Edit]:
    """A pay cell as the draft has it (`$150,000 – $195,000`, `150k`) → its band's min and max."""
    amounts = amounts_in(text, language)
    if path[-1] in ("min", "max"):
        if len(amounts) != 1:
            raise ValueError(f"the pay cell reads {text!r}: write one amount")
        return [Set(path, amounts[0])]
    if len(amounts) not in (1, 2):
        raise ValueError(f"the pay cell reads {text!r}: write one amount, or the lowest and highest with a dash")
    low, high = amounts[0], amounts[-1]
    if low > high:
        raise ValueError(f"the pay cell reads {text!r}: its first amount is above its second")
    return [Set(path + ("min",), low), Set(path + ("max",), high)]


def amounts_in(text: str, language: str) -> list[int]:
    group, decimal = get_group_symbol(language), get_decimal_symbol(language)
    found = []
    for number, thousands in re.findall(r"(\d[\d.,'\u00a0\u202f ]*\d|\d)\s*([kK])?", text):
        cleaned = number.replace(group, "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
        whole = cleaned.split(decimal)[0] if decimal in cleaned else cleaned
        whole = re.sub(r"\D", "", whole)
        if whole:
            found.append(int(whole) * (1000 if thousands else 1))
    return found


def _list(plan: Plan, source: str, elements: list[Element], was: dict[str, str], now: dict[str, str],
          choice: Choice, merged: dict, own: dict, parent_file: str | None) -> None:
    items_was = _items(was, source)
    items_now = _items(now, source)
    mapping = _mapping(items_was, items_now)
    anchors: dict[int, list[tuple[Proposal, str]]] = {}
    for element in elements:
        taken = [p for p in element.proposals if p.id not in plan.outcomes]
        if not taken:
            continue
        if _elsewhere(plan, source if element.base is None else f"{source}.{element.base}", taken, own, parent_file):
            continue
        for proposal in taken:
            if proposal.action == "add":
                anchors.setdefault(-1 if proposal.after is None else proposal.after, []).append(
                    (proposal, proposal.new))
                continue
            base_text = items_was.get(element.base, "")
            if element.base not in mapping:
                plan.outcomes[proposal.id] = Outcome("conflict", "the content changed or removed this item since the "
                                                     "draft was built", None)
                continue
            at = mapping[element.base]
            current = items_now[at]
            value = proposal.new
            if normal(current) == normal(value):
                plan.outcomes[proposal.id] = Outcome("same")
            elif normal(current) != normal(base_text):
                plan.outcomes[proposal.id] = Outcome("conflict", "the content changed this item since the draft "
                                                     "was built", current)
            elif proposal.action == "remove":
                plan.edits.append(Delete(source_path(source) + (at,)))
                plan.outcomes[proposal.id] = Outcome("applies")
            else:
                plan.edits.append(Set(source_path(source) + (at,), value.strip()))
                plan.outcomes[proposal.id] = Outcome("applies")
    for anchor, added in anchors.items():
        if anchor != -1 and anchor not in mapping:
            for proposal, _ in added:
                plan.outcomes[proposal.id] = Outcome("conflict", "the item it follows changed or went since the "
                                                     "draft was built")
            continue
        index = 0 if anchor == -1 else mapping[anchor] + 1
        plan.edits.append(Insert(source_path(source), index, tuple(text.strip() for _, text in added)))
        for proposal, _ in added:
            plan.outcomes[proposal.id] = Outcome("applies")


def _items(pieces: dict[str, str], source: str) -> dict[int, str]:
    found = {}
    for name, text in pieces.items():
        in_list = list_of(name)
        if in_list and in_list[0] == source:
            found[in_list[1]] = text
    return found


def _mapping(was: dict[int, str], now: dict[int, str]) -> dict[int, int]:
    """Each item's index when the draft was built → its index now, for items the content still has."""
    if {k: normal(v) for k, v in was.items()} == {k: normal(v) for k, v in now.items()}:
        return {k: k for k in was}
    a, b = sorted(was), sorted(now)
    matcher = difflib.SequenceMatcher(None, [normal(was[k]) for k in a], [normal(now[k]) for k in b], autojunk=False)
    mapping = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):  # an item changed in place is still it
            for k in range(i2 - i1):
                mapping[a[i1 + k]] = b[j1 + k]
    return mapping
