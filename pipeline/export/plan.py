"""What a build makes: one target per brand × role × document kind × format."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pipeline.render.html import KINDS, Kind

Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")


@dataclass(frozen=True, order=True)
class Target:
    brand: str
    role: str
    kind: Kind
    format: Format

    @property
    def path(self) -> str:
        """Where the file goes, relative to the output folder."""
        return f"{self.brand}/{self.role}/{self.role}-{self.kind}.{self.format}"


@dataclass(frozen=True)
class Scope:
    """The part of the output folder a build owns: outputs in scope that it did not make are stale."""

    brands: frozenset[str]
    roles: frozenset[str] | None
    formats: frozenset[str]

    def covers(self, entry: dict) -> bool:
        return (entry.get("brand") in self.brands and entry.get("format") in self.formats
                and (self.roles is None or entry.get("role") in self.roles))


def plan(roles: Iterable[str], brands: Iterable[str], formats: Iterable[Format],
         kinds: Iterable[Kind] = KINDS) -> list[Target]:
    return sorted(Target(b, r, k, f) for b, r, k, f in itertools.product(brands, roles, kinds, formats))
