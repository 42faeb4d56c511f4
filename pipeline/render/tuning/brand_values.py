"""Brand values written into the rules that read them, before WeasyPrint compiles the sheets.

The print design reads every brand value through a custom property (`color: var(--accent)`) that
brand.css.j2 declares once, on :root, so that the design and a brand's values stay apart. WeasyPrint
resolves a var() again for every element and pseudo-element it applies to (each list marker, link
and heading): 4 ms of a 200 ms job description. A custom property declared once in all the sheets,
on :root alone and not !important, has that one value wherever it is read, since every element
inherits it and nothing declares it again. When that value is plain tokens (no function, so no
var() of its own), it can take its var()'s place, which is what this module writes.

One difference remains: a declaration holding var() is checked once its value is known, and falls
back to inheritance if invalid there; with the value written in, it is checked as the sheet is read,
and dropped if invalid. The two agree on every valid declaration, and WeasyPrint warns about every
dropped one, so the caller keeps the sheets as they were when the written form warns about more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import tinycss2
from tinycss2.ast import Declaration, FunctionBlock, IdentToken, Node, QualifiedRule

Tokens = list[Node]


def _walk(nodes: Iterable[Node]) -> Iterator[Node]:
    """Every token, inside blocks and functions too."""
    for node in nodes:
        yield node
        if isinstance(node, FunctionBlock):
            yield from _walk(node.arguments)
        elif isinstance(getattr(node, "content", None), list):
            yield from _walk(node.content)  # type: ignore[attr-defined]


def _var_name(node: Node) -> str | None:
    """`--accent` for a `var(--accent)` or `var(--accent, fallback)` token, else None."""
    if not (isinstance(node, FunctionBlock) and node.lower_name == "var"):
        return None
    first = next((n for n in node.arguments if n.type not in ("whitespace", "comment")), None)
    return first.value if isinstance(first, IdentToken) and first.value.startswith("--") else None


def _named(nodes: Iterable[Node]) -> Counter[str]:
    """How often each custom property's name is written outside var(): its declarations."""
    used = {id(arg) for node in _walk(nodes) if _var_name(node) for arg in node.arguments}
    return Counter(n.value for n in _walk(nodes)
                   if isinstance(n, IdentToken) and n.value.startswith("--") and id(n) not in used)


def fixed_values(sheets: Iterable[str]) -> dict[str, Tokens]:
    """The custom properties that have one value everywhere, with that value."""
    parsed = [tinycss2.parse_component_value_list(sheet, skip_comments=True) for sheet in sheets]
    declared = Counter[str]()
    for tokens in parsed:
        declared.update(_named(tokens))
    values: dict[str, Tokens] = {}
    for sheet in parsed:
        for rule in tinycss2.parse_rule_list(sheet, skip_comments=True, skip_whitespace=True):
            if not isinstance(rule, QualifiedRule) or tinycss2.serialize(rule.prelude).strip() != ":root":
                continue
            for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                               skip_whitespace=True):
                if (isinstance(declaration, Declaration) and declaration.name.startswith("--")
                        and declared[declaration.name] == 1 and not declaration.important
                        and not any(isinstance(n, FunctionBlock) for n in _walk(declaration.value))):
                    values[declaration.name] = _stripped(declaration.value)
    return {name: value for name, value in values.items() if value}


def _stripped(value: Tokens) -> Tokens:
    start, end = 0, len(value)
    while start < end and value[start].type == "whitespace":
        start += 1
    while end > start and value[end - 1].type == "whitespace":
        end -= 1
    return value[start:end]


def _replaced(nodes: Tokens, values: dict[str, Tokens]) -> Tokens:
    out: Tokens = []
    for node in nodes:
        name = _var_name(node)
        if name is not None and name in values:
            out.extend(values[name])
            continue
        if isinstance(node, FunctionBlock):
            node.arguments = _replaced(node.arguments, values)
        elif isinstance(getattr(node, "content", None), list):
            node.content = _replaced(node.content, values)  # type: ignore[attr-defined]
        out.append(node)
    return out


def written_in(sheets: Iterable[str]) -> list[str] | None:
    """The sheets with each var() of a fixed custom property replaced by its value; None when
    there is none to replace."""
    sheets = list(sheets)
    values = fixed_values(sheets)
    if not values:
        return None
    out = []
    for sheet in sheets:
        tokens = tinycss2.parse_component_value_list(sheet, skip_comments=True)
        if any(_var_name(node) in values for node in _walk(tokens)):
            sheet = tinycss2.serialize(_replaced(tokens, values))
        out.append(sheet)
    return out if out != sheets else None
