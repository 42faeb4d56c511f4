"""Running a build: HTML for every target, the documents in worker processes, then one write phase.

Nothing is written until every document has rendered, so a failing role leaves the previous
outputs exactly as they were, and an unattended run never publishes a partial set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from pipeline.check.brands import LoadedBrand
from pipeline.check.catalogue import Catalogue
from pipeline.export.plan import Scope, Target
from pipeline.export.store import (atomic_write, entry, inside, locked, read_manifest, read_state, write_manifest,
                                   write_state)
from pipeline.render.html import Document, company_for, render_html
from pipeline.render.errors import RenderError
from pipeline.render.pdf import PdfJob, PdfVariant
from pipeline.render.stylesheet import stylesheets


class BuildError(Exception):
    """Some targets failed; each line names the target and why. Nothing was written."""

    def __init__(self, failures: list[str]) -> None:
        self.failures = failures
        super().__init__("\n".join(failures))


@dataclass(frozen=True)
class BuildRequest:
    catalogue: Catalogue
    brands: dict[str, LoadedBrand]
    layouts: Path
    allowed: tuple[Path, ...]
    out: Path
    targets: list[Target]
    scope: Scope
    source_date_epoch: str | None = None
    pdf_variant: PdfVariant = "pdf/ua-1"
    jobs: int = 1


@dataclass
class BuildReport:
    written: list[dict] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def issued_date(catalogue: Catalogue, slug: str, source_date_epoch: str | None) -> dt.date:
    """The date printed on and stored in a document: reproducible, never the clock."""
    if source_date_epoch:
        return dt.datetime.fromtimestamp(int(source_date_epoch), dt.timezone.utc).date()
    role = catalogue.roles[slug]
    return role.reviewed or role.compensation.source.as_of


def role_data(catalogue: Catalogue, slug: str) -> bytes:
    """The role as JSON, for the PDF/A attachment that lets a system read the role back."""
    role = catalogue.roles[slug]
    body = {"role": role.model_dump(mode="json", exclude_none=True),
            "company": company_for(role, catalogue.company).model_dump(mode="json", exclude_none=True)}
    return (json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class _Job:
    target: Target
    html: str
    brand: LoadedBrand
    layouts: Path
    allowed: tuple[Path, ...]
    variant: PdfVariant
    data: bytes
    issued: dt.date

    def key(self, engine: str) -> str:
        """Everything the output depends on; the same key means the same bytes."""
        digest = hashlib.sha256(engine.encode())
        for part in (self.target.path, self.variant, self.issued.isoformat(), self.html):
            digest.update(part.encode("utf-8") + b"\0")
        digest.update(self.data)
        for sheet in stylesheets(self.brand, self.layouts):
            digest.update(sheet.encode("utf-8"))
        for path in sorted(self.brand.folder.rglob("*")):
            if path.is_symlink():  # hash where it points, never read through it
                digest.update(path.name.encode() + b"->" + str(path.readlink()).encode())
            elif path.is_file():
                digest.update(path.name.encode() + path.read_bytes())
        return digest.hexdigest()


def engine_fingerprint(layouts: Path) -> str:
    """The code, libraries and fonts every output depends on, whatever its content."""
    digest = hashlib.sha256(" ".join(version(p) for p in ("weasyprint", "python-docx", "pydyf", "cairosvg")).encode())
    for root in (Path(__file__).resolve().parents[1], layouts / "fonts"):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes() if path.suffix in (".py", ".yaml") else str(path.stat().st_size).encode())
    return digest.hexdigest()


def _render(job: _Job) -> tuple[Target, bytes | None, list[str], str | None]:
    try:
        if job.target.format == "pdf":
            from pipeline.render.pdf import render_pdf

            data, warnings = render_pdf(PdfJob(job.html, job.brand, job.layouts, job.allowed, job.variant,
                                               f"{job.target.role}.json", job.data, job.issued))
        else:
            from pipeline.render.docx.writer import DocxJob, render_docx

            data, warnings = render_docx(DocxJob(job.html, job.brand, job.layouts, job.target.kind, job.issued))
        return job.target, data, warnings, None
    except RenderError as err:
        return job.target, None, [], str(err)


def _jobs(request: BuildRequest) -> tuple[list[_Job], list[str]]:
    """A render job per target, and the targets whose HTML could not be made."""
    catalogue = request.catalogue
    titles = {slug: role.title for slug, role in catalogue.roles.items()}
    jobs, failures = [], []
    for target in request.targets:
        issued = issued_date(catalogue, target.role, request.source_date_epoch)
        doc = Document(target.kind, catalogue.roles[target.role], catalogue.company,
                       request.brands[target.brand], issued, titles)
        try:
            html = render_html(doc, request.layouts)
        except RenderError as err:
            failures.append(f"{target.path}: {err}")
            continue
        jobs.append(_Job(target, html, request.brands[target.brand], request.layouts,
                         request.allowed, request.pdf_variant, role_data(catalogue, target.role), issued))
    return jobs, failures


def _render_jobs(jobs: list[_Job], workers: int) -> list[tuple[Target, bytes, list[str]]]:
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            results = list(pool.map(_render, jobs))
    else:
        results = [_render(job) for job in jobs]
    failures = [f"{t.path}: {error}" for t, _, _, error in results if error]
    if failures:
        raise BuildError(failures)
    return [(t, data, warnings) for t, data, warnings, _ in results if data is not None]


def render_all(request: BuildRequest) -> list[tuple[Target, bytes, list[str]]]:
    """Every target's bytes and warnings, in memory; BuildError if any target failed."""
    jobs, failures = _jobs(request)
    if failures:
        raise BuildError(failures)
    return _render_jobs(jobs, request.jobs)


def _unchanged(job: _Job, key: str, state: dict, out: Path) -> bytes | None:
    """The existing file's bytes when it was made from exactly these inputs and is intact."""
    known = state.get(job.target.path)
    path = inside(out, job.target.path)
    if not isinstance(known, dict) or known.get("key") != key or path is None or not path.is_file():
        return None
    data = path.read_bytes()
    return data if hashlib.sha256(data).hexdigest() == known.get("sha256") else None


def build(request: BuildRequest, *, force: bool = False) -> BuildReport:
    """Render what is outdated (all of it with `force`), then write it, the manifest last."""
    jobs, failures = _jobs(request)
    if failures:
        raise BuildError(failures)
    engine = engine_fingerprint(request.layouts)
    state = {} if force else read_state(request.out)
    keys = {job.target: job.key(engine) for job in jobs}
    reused = {job.target: data for job in jobs
              if (data := _unchanged(job, keys[job.target], state, request.out)) is not None}
    results = _render_jobs([job for job in jobs if job.target not in reused], request.jobs)

    report = BuildReport(unchanged=sorted(t.path for t in reused))
    out = request.out
    with locked(out):
        for leftover in out.rglob(".*.tmp"):
            leftover.unlink(missing_ok=True)
        for target, data, warnings in results:
            atomic_write(out / target.path, data)
            report.warnings += [f"{target.path}: {w}" for w in warnings]
        for target, data in [(t, d) for t, d, _ in results] + list(reused.items()):
            report.written.append(entry(target.path, data, role=target.role, kind=target.kind,
                                        format=target.format, brand=target.brand))
        made = {e["path"] for e in report.written}
        kept = []
        for old in read_manifest(out):
            if old["path"] in made:
                continue
            path = inside(out, old["path"])
            if request.scope.covers(old):
                if path is not None and path.is_file():
                    path.unlink()
                    report.removed.append(old["path"])
            elif path is not None and path.is_file():
                kept.append(old)
        write_manifest(out, kept + report.written)
        new_state = {path: value for path, value in state.items() if path in {e["path"] for e in kept}}
        new_state.update({e["path"]: {"key": keys[t], "sha256": e["sha256"]}
                          for t in keys for e in report.written if e["path"] == t.path})
        write_state(out, new_state)
        for folder in sorted((p for p in out.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
    return report


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 4))
