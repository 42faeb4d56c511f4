"""Running lint rules (lint/rule.py) over roles, and merging what they report.

The engine names each hit's rule,
severity and role, and reports a finding about shared text once: a word in company.yaml, or in a
parent role that two roles extend, is one thing to fix, however many postings print it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pipeline.lint.rule import Finding, Hit, Rule, Severity, Subject
from pipeline.lint.rules import rules as discovered
from pipeline.source.positions import Positions

if TYPE_CHECKING:
    from pipeline.check.catalogue import Catalogue

@dataclass(frozen=True)
class Result:
    findings: list[Finding]
    roles: int
    """How many roles were linted."""

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def subjects(catalogue: Catalogue, *, today: dt.date, slugs: Sequence[str] | None = None) -> list[Subject]:
    """The roles to lint (all, or those named), sharing one position cache."""
    if catalogue.company_source is None:
        raise ValueError("the catalogue was loaded without its sources")
    positions = Positions()
    return [Subject(slug, catalogue.roles[slug], catalogue.company, catalogue.chains[slug],
                    catalogue.company_source, today, positions)
            for slug in (slugs or catalogue.roles)]


def _merged(found: list[tuple[Rule, Subject, Hit]]) -> list[Finding]:
    """Findings in file order; a shared hit once, under the role whose own file it is in if any."""
    kept: dict[tuple[Any, ...], Finding] = {}
    for rule, subject, hit in found:
        file, line, column = hit.where
        own = subject.chain[-1].file == file
        company_text = hit.shared and file == subject.company_source.file
        inherited = not (hit.shared or own or file == subject.company_source.file)
        message = f"{hit.message} (for {subject.slug}, which inherits it)" if inherited else hit.message
        finding = Finding(file, line, column, hit.severity or rule.severity, rule.id, message, hit.suggestion,
                          None if company_text else subject.slug)
        key = (file, line, column, rule.id, hit.message, hit.suggestion) + (() if hit.shared else (subject.slug,))
        if key not in kept or (own and kept[key].role != subject.slug and hit.shared):
            kept[key] = finding
    return sorted(kept.values(), key=lambda f: (f.file, f.line, f.column, f.rule, f.message))


def lint(catalogue: Catalogue, *, today: dt.date, slugs: Sequence[str] | None = None,
         rules: Mapping[str, Rule] | None = None) -> Result:
    """Every finding of every rule (all discovered rules unless given) over the chosen roles."""
    if rules is None:
        rules = discovered()
    chosen = subjects(catalogue, today=today, slugs=slugs)
    found = [(rule, subject, hit) for subject in chosen for rule in rules.values() for hit in rule.check(subject)]
    return Result(_merged(found), len(chosen))
