"""One role, built for the preview with the real build engine into a private folder.

The preview shows what `rolepack build` makes: the job page, its assets, the PDF and the DOCX come
from `pipeline.export.run.build`; only the on-screen packet is assembled here, from the same print
HTML and stylesheets WeasyPrint reads. A content error is a result to show, never an exception that
stops the server.

Three builds, three speeds, three folders (so they never wait on each other's lock):
- `site/`: the job page and its stylesheet and logo, on every change (fast: the page reloads);
- `fonts/`: the site's web fonts, in the background (seconds of CPU each the first time, then kept
  up to date by the engine's input keys); the page reloads when they arrive;
- `files/`: the PDF and DOCX, on the first `/files` request after a change.
The fonts and files render in worker processes (workers.py), so they never slow the page down.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from pipeline.check.brands import LoadedBrand, load_brand
from pipeline.check.catalogue import Catalogue, load_catalogue
from pipeline.problems import ContentError
from pipeline.export.plan import Scope, Target, plan
from pipeline.export.executors import ExecutorError
from pipeline.export.request import RequestError, check_role, new_request
from pipeline.export.run import BuildError, BuildRequest, build, issued_date
from pipeline.export.store import atomic_write
from pipeline.preview.packet import packet
from pipeline.preview.workers import Workers
from pipeline.render.errors import RenderError
from pipeline.render.html import KINDS, Document, missing_for, render_html

FILE_FORMATS = ("pdf", "docx")
SITE = "site"


@dataclass(frozen=True)
class Snapshot:
    """The preview after one rebuild: the URL paths it serves and the files behind them, or the
    located problems that stopped it."""

    routes: Mapping[str, Path] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    heading: str = ""
    catalogue: Catalogue | None = None
    brand: LoadedBrand | None = None
    downloads: Mapping[str, str] = field(default_factory=dict)
    """The file names offered under /files/, each to the path the build engine writes it to."""
    seconds: float = 0.0


def _problems(err: ContentError) -> tuple[tuple[str, ...], str]:
    """The errors first (what keeps the role from building), then the warnings, then the notes."""
    errors = sum(p.severity == "error" for p in err.problems)
    ordered = sorted(err.problems, key=lambda p: p.severity != "error")
    lines = tuple(str(p) for p in ordered) + tuple(f"note: {n}" for n in err.notes)
    return lines, f"{errors} problem{'s keep' if errors != 1 else ' keeps'} this role from building"


class Builder:
    """Rebuilds the role on request; hands out the latest snapshot, and tells waiters when a newer
    one is ready (by a generation number that only grows)."""

    def __init__(self, content: Path, layouts: Path, role: str, brand: str, work: Path) -> None:
        self.content, self.layouts, self.role, self.brand, self.work = (
            content.resolve(), layouts.resolve(), role, brand, work)
        self.current = Snapshot(problems=("not built yet",), heading="Building")
        self.generation = 0
        self.fonts: Mapping[str, Path] = MappingProxyType({})
        self._changed = threading.Condition()
        self._closed = False
        self._files_lock = threading.Lock()
        self._files_for: Snapshot | None = None
        self._files_problems: tuple[str, ...] = ()
        self._fonts_wanted: Snapshot | None = None
        self._font_workers, self._file_workers = Workers(), Workers()
        self._fonts_thread = threading.Thread(target=self._fonts_worker, name="rolepack-preview-fonts", daemon=True)
        self._fonts_thread.start()

    # -- telling the browser -------------------------------------------------------------------

    def _bump(self) -> None:
        with self._changed:
            self.generation += 1
            self._changed.notify_all()

    def wait_newer(self, since: int, timeout: float) -> int:
        """The generation once it is newer than `since`, or after `timeout` seconds, or on close."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation > since or self._closed, timeout)
            return self.generation

    def close(self) -> None:
        """Stop at once: waiters wake, the background worker ends, renders in progress are killed."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._font_workers.close()
        self._file_workers.close()

    @property
    def closed(self) -> bool:
        return self._closed

    # -- the pages -----------------------------------------------------------------------------

    def rebuild(self) -> Snapshot:
        """Load and check the content, build the job page and the packet; never raises."""
        started = time.perf_counter()
        try:
            snapshot = self._pages()
        except ContentError as err:
            lines, heading = _problems(err)
            snapshot = Snapshot(problems=lines, heading=heading)
        except BuildError as err:
            snapshot = Snapshot(problems=tuple(err.failures), heading="A layout could not be rendered")
        except RenderError as err:
            snapshot = Snapshot(problems=(str(err),), heading="A layout could not be rendered")
        except Exception as err:  # a bug of ours must not stop the preview; it shows, with its traceback logged
            traceback.print_exc(file=sys.stderr)
            snapshot = Snapshot(problems=(f"internal error: {type(err).__name__}: {err}",),
                                heading="rolepack failed while building the preview")
        if snapshot.problems:  # the files stay offered; asking for them shows why they cannot be built
            snapshot = dataclasses.replace(snapshot, downloads=self.current.downloads)
        snapshot = dataclasses.replace(snapshot, seconds=time.perf_counter() - started)
        self.current = snapshot
        self._bump()
        if snapshot.brand is not None:
            with self._changed:
                self._fonts_wanted = snapshot
                self._changed.notify_all()
        return snapshot

    def _pages(self) -> Snapshot:
        catalogue = load_catalogue(self.content, today=dt.date.today(), layouts=self.layouts)
        draft = catalogue.drafts.get(self.role)
        if draft is not None and draft.role is None:
            return Snapshot(problems=tuple(str(p) for p in draft.lacks if p.severity == "error"),
                            heading=f"'{self.role}' is a draft; this is what it still lacks")
        if draft is not None:  # complete: its author sees it as it would print, before anyone approves it
            catalogue = dataclasses.replace(catalogue, roles={**catalogue.roles, self.role: draft.role})
        try:
            check_role(self.role, list(catalogue.roles))
        except RequestError as err:
            return Snapshot(problems=(f"{err} in {self.content / 'roles'}",), heading=f"There is no role '{self.role}'")
        brand = load_brand(self.layouts, self.brand, self.content)
        routes = {**self._site(catalogue, brand), **self._packet(catalogue, brand)}
        role = catalogue.roles[self.role]
        kinds = [k for k in KINDS if missing_for(k, role) is None]
        files = sorted(plan([self.role], {brand.slug: brand}, FILE_FORMATS, kinds),
                       key=lambda t: (KINDS.index(t.kind), FILE_FORMATS.index(t.format)))  # type: ignore[arg-type]
        downloads = {t.path.rsplit("/", 1)[-1]: t.path for t in files}
        return Snapshot(MappingProxyType(routes), catalogue=catalogue, brand=brand,
                        downloads=MappingProxyType(downloads))

    def _request(self, catalogue: Catalogue, brand: LoadedBrand, targets: list[Target], out: str,
                 formats: tuple[str, ...], options: dict[str, str] | None = None,
                 workers: Workers | None = None) -> BuildRequest:
        brands = {brand.slug: brand}
        return new_request(catalogue, brands, self.layouts, self.content, self.work / out, targets,
                           Scope(frozenset(brands), frozenset({self.role}), frozenset(formats)),
                           options=options or {}, jobs=1, executor=workers.executor if workers is not None else None)

    def _site_targets(self, brand: LoadedBrand) -> list[Target]:
        return plan([self.role], {brand.slug: brand}, ["html"], ["job-description"])

    def _site(self, catalogue: Catalogue, brand: LoadedBrand) -> dict[str, Path]:
        """The job page and the assets it links, fonts aside (they come from the background build)."""
        targets = [t for t in self._site_targets(brand) if not t.kind.startswith("font:")]
        request = self._request(catalogue, brand, targets, "site", ("html",))
        build(request)
        site = f"{brand.slug}/{SITE}/"
        routes = {"/" + t.path.removeprefix(site): request.out / t.path
                  for t in targets if t.path.startswith(site + "assets/")}
        page = next(t for t in targets if t.role == self.role)
        return {"/": request.out / page.path, **routes}

    def _packet(self, catalogue: Catalogue, brand: LoadedBrand) -> dict[str, Path]:
        """The print HTML of each document the role has, as sheets, with the files it points at
        copied beside it under their paths in the layouts folder."""
        role = catalogue.roles[self.role]
        titles = {slug: r.title for slug, r in catalogue.roles.items()}
        issued = issued_date(catalogue, self.role, os.environ.get("SOURCE_DATE_EPOCH"))
        documents = [(kind, render_html(Document(kind, role, catalogue.company, brand, issued, titles), self.layouts))
                     for kind in KINDS if missing_for(kind, role) is None]
        made = packet(documents, brand, self.layouts, title=role.title, language=role.language)
        folder = self.work / "packet"
        atomic_write(folder / "packet.html", made.html.encode("utf-8"))
        atomic_write(folder / "packet.css", made.css.encode("utf-8"))
        routes = {"/packet": folder / "packet.html", "/packet.css": folder / "packet.css"}
        for source in made.assets:
            relative = source.relative_to(self.layouts if source.is_relative_to(self.layouts) else brand.root).as_posix()
            copy = folder / relative
            if not copy.is_file() or copy.stat().st_size != source.stat().st_size \
                    or copy.stat().st_mtime_ns != source.stat().st_mtime_ns:
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
            routes["/" + relative] = copy
        return routes

    # -- the web fonts, in the background ------------------------------------------------------

    def _fonts_worker(self) -> None:
        """Builds the site's fonts for the latest snapshot that loaded; reloads the page when any
        font was (re)built."""
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._fonts_wanted is not None or self._closed)
                if self._closed:
                    return
                snapshot, self._fonts_wanted = self._fonts_wanted, None
            assert snapshot is not None and snapshot.catalogue is not None and snapshot.brand is not None
            try:
                if self._fonts(snapshot.catalogue, snapshot.brand) and not self._closed:
                    self._bump()
            except Exception:  # a font that cannot be converted leaves the page on fallback fonts
                if self._closed:  # stopped mid-build: nothing went wrong
                    return
                traceback.print_exc(file=sys.stderr)

    def _fonts(self, catalogue: Catalogue, brand: LoadedBrand) -> bool:
        targets = [t for t in self._site_targets(brand) if t.kind.startswith("font:")]
        request = self._request(catalogue, brand, targets, "fonts", ("html",), workers=self._font_workers)
        try:
            report = build(request)
        finally:
            self._font_workers.stop()  # fonts change rarely: no idle process for them
        site = f"{brand.slug}/{SITE}/"
        self.fonts = MappingProxyType({"/" + t.path.removeprefix(site): request.out / t.path for t in targets})
        return bool(report.built or report.removed)

    # -- the PDF and DOCX, on request ----------------------------------------------------------

    def files(self, snapshot: Snapshot) -> tuple[Mapping[str, Path], tuple[str, ...]]:
        """The snapshot's PDF and DOCX files by name, built now unless already built for it; or the
        build's failures. Requests for files wait for one another, not for the pages."""
        if snapshot.catalogue is None or snapshot.brand is None:
            return {}, snapshot.problems
        with self._files_lock:
            if self._files_for is not snapshot:
                role = snapshot.catalogue.roles[self.role]
                kinds = [k for k in KINDS if missing_for(k, role) is None]
                targets = plan([self.role], {snapshot.brand.slug: snapshot.brand}, FILE_FORMATS, kinds)
                request = self._request(snapshot.catalogue, snapshot.brand, targets, "files", FILE_FORMATS,
                                        {"pdf_variant": "pdf/ua-1"}, workers=self._file_workers)
                try:
                    build(request)
                    self._files_problems = ()
                except BuildError as err:
                    self._files_problems = tuple(err.failures)
                except ExecutorError as err:
                    return {}, (str(err),)
                self._files_for = snapshot
            out = self.work / "files"
            return {name: out / path for name, path in snapshot.downloads.items()}, self._files_problems
