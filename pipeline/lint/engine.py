"""Running lint rules (lint/rule.py) over roles, and merging what they report.

The engine names each hit's rule,
severity and role, and reports a finding about shared text once: a word in company.yaml, or in a
parent role that two roles extend, is one thing to fix, however many postings print it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.lint.kept import KeptHits, RuleHits
from pipeline.lint.rule import Finding, Rule, Severity, Subject
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


def _merged(found: list[tuple[str, str, RuleHits]], rules: Mapping[str, Rule], company_file: str) -> list[Finding]:
    """Findings in file order; a shared hit once, under the role whose own file it is in if any.
    `found` holds each role's slug, its own file as messages name it, and its hits."""
    kept: dict[tuple[Any, ...], Finding] = {}
    for slug, own_file, hits in found:
        for rule_id, hit in hits:
            file, line, column = hit.where
            own = own_file == file
            company_text = hit.shared and file == company_file
            inherited = not (hit.shared or own or file == company_file)
            message = f"{hit.message} (for {slug}, which inherits it)" if inherited else hit.message
            finding = Finding(file, line, column, hit.severity or rules[rule_id].severity, rule_id, message,
                              hit.suggestion, None if company_text else slug)
            key = (file, line, column, rule_id, hit.message, hit.suggestion) + (() if hit.shared else (slug,))
            if key not in kept or (own and kept[key].role != slug and hit.shared):
                kept[key] = finding
    return sorted(kept.values(), key=lambda f: (f.file, f.line, f.column, f.rule, f.message))


def _hits(subject: Subject, rules: Mapping[str, Rule]) -> RuleHits:
    return tuple((rule.id, hit) for rule in rules.values() for hit in rule.check(subject))


def lint(catalogue: Catalogue, *, today: dt.date, slugs: Sequence[str] | None = None,
         rules: Mapping[str, Rule] | None = None, content: Path | None = None) -> Result:
    """Every finding of every rule (all discovered rules unless given) over the chosen roles.

    With `content` (the folder the catalogue was read from), each role's hits are kept between runs
    and a role whose files, company text and day are unchanged is not read again (lint/kept); only
    the discovered rules' hits are kept, since rolepack's code is what their key stands for.
    """
    company = catalogue.company_source
    if company is None:
        raise ValueError("the catalogue was loaded without its sources")
    kept = None
    if rules is None:
        rules = discovered()
        if content is not None:
            kept = KeptHits.for_content(content, rules, company, today)
    found, positions = [], Positions()
    for slug in slugs or catalogue.roles:
        origin = catalogue.origins.get(slug) if kept is not None else None
        known = kept.get(slug, origin) if kept is not None and origin is not None else None
        if known is None:
            chain = catalogue.chains[slug]
            subject = Subject(slug, catalogue.roles[slug], catalogue.company, chain, company, today, positions)
            known = chain[-1].file, _hits(subject, rules)
            if kept is not None and origin is not None:
                kept.keep(slug, origin, *known)
        found.append((slug, *known))
    return Result(_merged(found, rules, company.file), len(found))
