"""What a lint rule is, what it sees and what it reports: the types every rule module and the
engine share (the engine runs rules; rules know nothing of it).

A rule is a function from one role (a `Subject`: the validated model plus the files that wrote it)
to `Hit`s, each already placed at a file, line and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pipeline.lint.printed import Passage, posting
from pipeline.source.extends import chain_origin
from pipeline.source.positions import Positions
from pipeline.source.yaml_reader import DataPath, Located

if TYPE_CHECKING:
    from pipeline.schema import Company, CompanyFile, Role

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
Where = tuple[str, int, int]
"""A file as the author names it, and the 1-based line and column in it."""


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    suggestion: str | None = None
    role: str | None = None
    """The role whose posting it is about; None for the company file's own text."""

    def __str__(self) -> str:
        try_ = f"; try “{self.suggestion}”" if self.suggestion else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity} {self.rule}: {self.message}{try_}"

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "severity": self.severity,
                "rule": self.rule, "message": self.message, "suggestion": self.suggestion, "role": self.role}


@dataclass(frozen=True)
class Hit:
    """What a rule found, where; the engine adds the rule's id and the role."""

    where: Where
    message: str
    suggestion: str | None = None
    severity: Severity | None = None
    """None: the rule's own severity."""
    shared: bool = False
    """About text or a setting that every role printing it shares (a word in a file, the company's
    headcount): reported once. A hit about one posting (its length, its pay) is reported per role."""


@dataclass(frozen=True)
class Source:
    """Where a rule's data comes from, as `--explain` prints it."""

    file: str
    source: str
    author: str
    licence: str
    date: dt.date | None = None
    url: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    """Its usual severity; a hit may carry another (a law not yet in force warns)."""
    summary: str
    explanation: str
    """What it checks and why its findings have the severity they have, for `--explain`."""
    check: Callable[[Subject], Iterable[Hit]]
    sources: Callable[[], list[Source]] = list
    """Read only when asked (`--explain`): listing rules never loads their data."""


@dataclass(frozen=True)
class Subject:
    """One role as a rule sees it: the merged model, and the files that wrote it."""

    slug: str
    role: Role
    company_file: CompanyFile
    chain: tuple[Located, ...]
    """The role's files, root ancestor first."""
    company_source: Located
    today: dt.date
    positions: Positions = field(default_factory=Positions, compare=False)

    def where(self, path: DataPath, text: str | None = None, offset: int = 0) -> Where:
        """Where `text[offset]` (the role's value at `path`) is written, or the value itself."""
        return self.positions.locate(self.chain, path, text, offset)

    def key_where(self, path: DataPath) -> Where:
        """Where the key of `path` is written in the role's own file (or the nearest file that has it)."""
        return chain_origin(list(self.chain), path, key=True)

    def where_in(self, passage: Passage, offset: int = 0) -> Where:
        """Where `passage.text[offset]` is written: in the role's files, or in company.yaml."""
        chain = (self.company_source,) if passage.company else self.chain
        return self.positions.locate(chain, passage.path, passage.text, offset)

    def company_where(self, path: DataPath) -> Where:
        return self.positions.locate((self.company_source,), path)

    @cached_property
    def company(self) -> Company:
        """The company text in the role's language, as its documents print it."""
        return self.company_file.in_language(self.role.language)

    @cached_property
    def posting(self) -> list[Passage]:
        """Every piece of text the job description prints."""
        return posting(self.role, self.company, lambda path: self.company_file.origin(path, self.role.language))

    @property
    def english(self) -> bool:
        return self.role.language.split("-")[0] == "en"
