"""Lint findings for people (one line each, then a summary) and for programs (JSON lines)."""

from __future__ import annotations

import json
import textwrap

from pipeline.lint.rule import SEVERITIES, Rule
from pipeline.lint.engine import Result

_PLURAL = {"error": "errors", "warning": "warnings", "info": "info"}


def summary(result: Result) -> str:
    """`3 findings in 2 roles: 1 error, 2 warnings` (the roles linted; severities found)."""
    total = len(result.findings)
    head = (f"{total} finding{'s' if total != 1 else ''} in {result.roles} role{'s' if result.roles != 1 else ''}")
    counts = [(result.count(s), s) for s in SEVERITIES]
    parts = [f"{n} {severity if n == 1 else _PLURAL[severity]}" for n, severity in counts if n]
    return head + (": " + ", ".join(parts) if parts else "")


def text_lines(result: Result) -> list[str]:
    return [str(finding) for finding in result.findings] + [summary(result)]


def json_lines(result: Result) -> list[str]:
    """One object per finding, then `{"summary": {...}}` with the same counts as the text summary."""
    counts = {_PLURAL[s]: result.count(s) for s in SEVERITIES}
    lines = [json.dumps(finding.as_json(), ensure_ascii=False) for finding in result.findings]
    lines.append(json.dumps({"summary": {"findings": len(result.findings), "roles": result.roles, **counts}}))
    return lines


def explain(rule: Rule) -> str:
    """What the rule checks, its severity, and where its data comes from."""
    lines = [f"{rule.id} ({rule.severity}): {rule.summary}", ""]
    lines += textwrap.wrap(rule.explanation, 100)
    for source in rule.sources():
        lines += ["", f"Data: {source.file}"]
        lines += textwrap.wrap(f"Source: {source.source}", 100, subsequent_indent="  ")
        lines.append(f"Author: {source.author}")
        lines.append(f"Licence: {source.licence}")
        if source.url:
            lines.append(f"URL: {source.url}")
        if source.date:
            lines.append(f"Date: {source.date.isoformat()}")
    return "\n".join(lines)
