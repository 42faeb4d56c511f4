"""The package's imports run one way, down the flow, and never in a circle.

The flow: problems (the ground) → schema → source (reading YAML, Markdown, the content folder) →
check (validation) → render (HTML and every writer) → export (planning and writing builds) → the
feature rooms (lint, importing, preview, starting), which never import one another → drafts (merging
a draft back, which validates and lints the result) → cli. Every import
counts, those inside functions and under TYPE_CHECKING too: a lazy import still ties two modules.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
FLOW = ["problems", "schema", "source", "check", "render", "export", "lint|importing|preview|starting", "drafts|interviews", "cli", "__main__"]
"""Each room's rank; rooms on one rank are side by side and may not import each other."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports (a `from x import y` counts y when y is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names)
    return {module for module in found if module in known and module != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def rank(module: str) -> int:
    return next(i for i, rooms in enumerate(FLOW) if room(module) in rooms.split("|"))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def back_arrows(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} → {b}" for a, targets in edges.items() for b in targets
                  if room(a) != room(b) and rank(b) >= rank(a) and not (rank(b) == rank(a) == 0))


def test_every_room_of_the_package_has_a_place_in_the_flow() -> None:
    rooms = {room(name) for name in modules()} - {""}
    placed = {r for ranks in FLOW for r in ranks.split("|")}
    assert rooms <= placed, f"rooms not in FLOW: {sorted(rooms - placed)}"


def test_no_import_runs_back_up_the_flow_or_across_to_a_room_beside() -> None:
    assert back_arrows(graph()) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert cycles(graph()) == []


@pytest.mark.parametrize("edges, arrows, loops", [
    ({"pipeline.source.a": {"pipeline.check.b"}, "pipeline.check.b": set()}, ["pipeline.source.a → pipeline.check.b"], []),
    ({"pipeline.lint.a": {"pipeline.preview.b"}, "pipeline.preview.b": set()}, ["pipeline.lint.a → pipeline.preview.b"], []),
    ({"pipeline.check.a": {"pipeline.check.b"}, "pipeline.check.b": {"pipeline.check.c"},
      "pipeline.check.c": {"pipeline.check.a"}}, [], [["pipeline.check.a", "pipeline.check.b", "pipeline.check.c"]]),
    ({"pipeline.cli.a": {"pipeline.problems"}, "pipeline.problems": set()}, [], []),
])
def test_the_checks_find_a_back_arrow_a_sideways_one_and_a_cycle(edges: dict[str, set[str]], arrows: list[str],
                                                                  loops: list[list[str]]) -> None:
    assert back_arrows(edges) == arrows
    assert cycles(edges) == loops
