"""The output formats, one module each: the registry that plan, build, the manifest and `--format` read.

A format module declares `FORMAT = Format(...)`: its name, file extension, the document kinds it
makes, the layout its HTML comes from, where its files go, whether the layouts' stylesheets shape
it, the brand-wide pages it comes with (a careers site's index), and a pure function from a render
job to bytes. Formats that start from the same layout share one rendering of it.
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

from typing import TYPE_CHECKING

from pipeline.check.brands import LoadedBrand
from pipeline.render.findings import LayoutFinding

if TYPE_CHECKING:
    from pipeline.render.html import HtmlRecipe


@dataclass(frozen=True)
class RenderJob:
    """Everything one document needs, self-contained, so any worker (a process, a cluster node) can
    turn it into bytes without reading content."""

    path: str
    role: str
    kind: str
    format: str
    html: str | HtmlRecipe
    """The document's HTML; on a cluster, what the worker makes it from (executors.render_job)."""
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
class SitePage:
    """A file a format makes once per brand rather than per role: an index of every role, a sitemap,
    the stylesheet or a font the pages share."""

    kind: str
    path: str
    """Where it goes, relative to the brand's output folder."""
    layout: str | None = None
    """The template it is rendered from, with every role; None for a file the format makes itself."""
    lists_roles: bool = True
    """Whether it is made from the roles (an index) or only from the brand and layouts (a stylesheet)."""
    entry: str | None = None
    """For a job board's feed: the template each listed role's entry comes from, rendered in the role's
    own language (a single page template has one); the page is the entries, in the roles' order."""


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
    layout: str = "{kind}.html.j2"
    """The template, under the layouts folder, that a role's HTML for this format comes from."""
    path: str = "{brand}/{role}/{role}-{kind}.{extension}"
    site: Callable[[LoadedBrand], tuple[SitePage, ...]] | None = None
    """The brand-wide pages this format comes with."""
    renderers: tuple[str, ...] = ()
    """The modules `render` imports on first use, where that is slow (WeasyPrint's libraries): a
    worker imports them as it starts, while the build still prepares the jobs."""
    publishes: bool = False
    """Whether it puts a role in public (the careers site, search engines' data, a job board's text):
    then only an approved, open role with no lint error gets it. Print formats (PDF, DOCX) do not."""
    closed_layout: str | None = None
    """What a closed role's document comes from instead (a page saying the position is closed);
    None: a closed role gets none."""
    site_only: bool = False
    """It makes only brand-wide pages (a job board's feed of every role), no document per role."""
    needs: tuple[str, ...] = ()
    """What a role must say to be in this format's pages, as posting/boards.lacks names it: a role
    that lacks it is left out of them, with a located error, and stays in every other format."""
    carries_data: Callable[[dict[str, str]], bool] | None = None
    """Whether, with these build options, its document carries the role as JSON (RenderJob.data);
    a job of any other format goes without it (37 KB of a shipped role's job)."""

    def layout_for(self, kind: str) -> str:
        return self.layout.format(kind=kind)

    def site_pages(self, brand: LoadedBrand) -> tuple[SitePage, ...]:
        return self.site(brand) if self.site else ()

    def site_page(self, brand: LoadedBrand, kind: str) -> SitePage:
        """The brand-wide page of `kind`, as a planned target names it."""
        return next(page for page in self.site_pages(brand) if page.kind == kind)


FEED_ENTRY = "web/feed-entry.html.j2"


def feed_page(brand: LoadedBrand, name: str) -> tuple[SitePage, ...]:
    """A job board's feed of `brand`'s published roles, `site/feeds/<name>`: only for a site that
    knows its own address, since every board needs the job's page and where to apply."""
    if not brand.brand.site_url:
        return ()
    return (SitePage("feed", f"site/feeds/{name}", entry=FEED_ENTRY),)


@cache
def formats() -> dict[str, Format]:
    """Every format module in this package, by name, in a stable order."""
    found = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        declared = importlib.import_module(f"{__name__}.{module}").FORMAT
        found[declared.name] = declared
    return found
