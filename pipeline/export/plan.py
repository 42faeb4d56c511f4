"""What a build makes: one target per brand × role × document kind × format."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from pipeline.check.brands import LoadedBrand
from pipeline.render.formats import formats


@dataclass(frozen=True, order=True)
class Target:
    """One output file: a role's document, or (with no role) a page its brand's site shares."""

    brand: str
    role: str
    kind: str
    format: str
    site_path: str = ""
    """For a brand-wide page, where it goes inside the brand's folder."""
    part: str = ""
    """Which of the kind's documents, when a role has several (an interview kit's stage)."""

    @cached_property
    def path(self) -> str:
        """Where the file goes, relative to the output folder."""
        if not self.role:
            return f"{self.brand}/{self.site_path}"
        writer = formats()[self.format]
        kind = f"{self.kind}-{self.part}" if self.part else self.kind
        return writer.path.format(brand=self.brand, role=self.role, kind=kind, extension=writer.extension)


@dataclass(frozen=True)
class Scope:
    """The part of the output folder a build owns: outputs in scope that it did not make are stale."""

    brands: frozenset[str]
    roles: frozenset[str] | None
    formats: frozenset[str]
    kinds: frozenset[str] | None = None
    existing: frozenset[str] | None = None
    """The roles the content still has: every output of any other role is stale, whatever its kind."""

    def covers(self, entry: dict) -> bool:
        if entry.get("brand") not in self.brands or entry.get("format") not in self.formats:
            return False
        if not entry.get("role"):  # a site page: the build makes its site whenever it makes one of its pages
            writer = formats().get(entry.get("format", ""))
            return writer is not None and (self.kinds is None or bool(self.kinds & set(writer.kinds)))
        if self.roles is None and self.existing is not None and entry.get("role") not in self.existing:
            return True
        return ((self.roles is None or entry.get("role") in self.roles)
                and (self.kinds is None or entry.get("kind") in self.kinds))


def plan(roles: Iterable[str], brands: Mapping[str, LoadedBrand], names: Iterable[str],
         kinds: Iterable[str], parts: Callable[[str, str], Iterable[str]] = lambda role, kind: ("",)) -> list[Target]:
    """Every target, for the kinds each format makes (`parts` names a role's documents of a kind
    when it has several), and each brand's site pages for the formats that make a site (when one
    of the kinds asked for is one the format makes)."""
    registry = formats()
    names, kinds = list(names), list(kinds)
    targets = [Target(b, r, k, f, part=p) for b, r, k, f in itertools.product(brands, roles, kinds, names)
               if k in registry[f].kinds and not registry[f].site_only for p in parts(r, k)]
    for brand, name in itertools.product(brands, names):
        if set(kinds) & set(registry[name].kinds):
            targets += [Target(brand, "", page.kind, name, page.path) for page in registry[name].site_pages(brands[brand])]
    return sorted(targets)
