"""The lint rules, one module each: a new rule is one new file here (and its data in `../data/`).

A rule module declares `RULE = Rule(...)`: its id, usual severity, what it checks, a function from a
role to hits, and where its data comes from. Modules load their data only when a rule runs or is
explained, so listing the rules (for `--explain`'s choices) reads no data file.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from pipeline.lint.rule import Rule


@cache
def rules() -> dict[str, Rule]:
    """Every rule module in this package, by rule id, in id order."""
    found = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        declared: Rule = importlib.import_module(f"{__name__}.{module}").RULE
        found[declared.id] = declared
    return dict(sorted(found.items()))
