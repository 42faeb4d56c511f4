"""The output formats, one module each: the registry that plan, build, the manifest and `--format` read.

A format module declares `FORMAT = Format(...)`: its name, file extension, the document kinds it
makes, whether the layouts' stylesheets shape it, and a pure function from a render job to bytes.
Format modules import their heavy libraries inside `render`, so listing formats, planning a build
and deciding that nothing is outdated never load WeasyPrint or python-docx.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.check.brands import LoadedBrand
from pipeline.render.findings import LayoutFinding


@dataclass(frozen=True)
class RenderJob:
    """Everything one document needs, self-contained, so any worker (a process, a cluster node) can
    turn it into bytes without reading content."""

    path: str
    role: str
    kind: str
    format: str
    html: str
    brand: LoadedBrand
    layouts: Path
    allowed: tuple[Path, ...]
    issued: dt.date | None
    options: tuple[tuple[str, str], ...] = ()
    data: bytes = b""
    """The role as JSON, for formats that carry it (the archival PDF's attachment)."""

    def option(self, name: str, default: str) -> str:
        return dict(self.options).get(name, default)


@dataclass(frozen=True)
class Rendered:
    data: bytes
    warnings: list[str] = field(default_factory=list)
    findings: list[LayoutFinding] = field(default_factory=list)


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    kinds: tuple[str, ...]
    render: Callable[[RenderJob], Rendered]
    uses_stylesheets: bool = False
    options: tuple[str, ...] = ()
    """The build options that change this format's bytes (so they belong in its input key)."""
    cost: float = 1.0
    """Relative work per character of HTML, to start the longest jobs first."""


@cache
def formats() -> dict[str, Format]:
    """Every format module in this package, by name, in a stable order."""
    found = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        declared = importlib.import_module(f"{__name__}.{module}").FORMAT
        found[declared.name] = declared
    return found
