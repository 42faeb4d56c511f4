"""`stale-pay`: salary data more than 12 months old, the same rule as `rolepack validate`'s.

The check is validate's own (`pay_date_problems` in pipeline/check/role_checks.py), so the two commands
can never disagree about what is stale. Lint reports it once per role, where validate summarises
it for the whole catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.check.role_checks import STALE_AFTER_DAYS, pay_date_problems
from pipeline.lint.rule import Hit, Rule, Source, Subject


def check(subject: Subject) -> Iterator[Hit]:
    for problem in pay_date_problems(subject.role, subject.chain, subject.today):
        if problem.rule == "stale-pay":
            yield Hit((problem.file, problem.line, problem.column), f"{problem.path}: {problem.message}")


def _sources() -> list[Source]:
    return [Source(f"pipeline/check/role_checks.py (STALE_AFTER_DAYS = {STALE_AFTER_DAYS})",
                   "rolepack validate's stale-pay rule: salary data is dated by compensation.source.published, "
                   "or as_of when no publication date is given", "rolepack", "MIT (rolepack)")]


RULE = Rule(
    id="stale-pay",
    severity="warning",
    summary="salary data more than 12 months old (validate's rule, reported per role)",
    explanation=(
        "The role's salary sources (compensation.source, and the source of each set of local bands) are dated by its publication date (`published`), or by "
        "`as_of` when it has none; more than 365 days before today, the figures are stale. This is the check "
        "`rolepack validate` runs, from the same code; lint reports it once for each role that uses the data, "
        "including a role that inherits it through `extends`, at the date that made it stale. A warning: old "
        "figures may still be right, but a posting's pay should rest on current data."),
    check=check,
    sources=_sources,
)
