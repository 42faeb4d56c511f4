"""What a build makes: one target per brand × role × document kind × format."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.render.formats import formats


@dataclass(frozen=True, order=True)
class Target:
    brand: str
    role: str
    kind: str
    format: str

    @property
    def path(self) -> str:
        """Where the file goes, relative to the output folder."""
        return f"{self.brand}/{self.role}/{self.role}-{self.kind}.{formats()[self.format].extension}"


@dataclass(frozen=True)
class Scope:
    """The part of the output folder a build owns: outputs in scope that it did not make are stale."""

    brands: frozenset[str]
    roles: frozenset[str] | None
    formats: frozenset[str]
    kinds: frozenset[str] | None = None

    def covers(self, entry: dict) -> bool:
        return (entry.get("brand") in self.brands and entry.get("format") in self.formats
                and (self.roles is None or entry.get("role") in self.roles)
                and (self.kinds is None or entry.get("kind") in self.kinds))


def plan(roles: Iterable[str], brands: Iterable[str], names: Iterable[str], kinds: Iterable[str]) -> list[Target]:
    """Every target, for the kinds each format makes."""
    registry = formats()
    return sorted(Target(b, r, k, f) for b, r, k, f in itertools.product(brands, roles, kinds, names)
                  if k in registry[f].kinds)
