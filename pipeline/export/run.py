"""Running a build: decide what is outdated, render it, check it, then one write phase.

Nothing is written until every document of a role has rendered and passed the checks, so a
failing role leaves its previous outputs exactly as they were, and an unattended run never
publishes a partial set. Under `--strict`, a finding anywhere stops the build before anything is
written; with `keep_going`, good roles are written and bad ones are reported and left alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.check.brands import LoadedBrand
from pipeline.check.catalogue import Catalogue
from pipeline.problems import Problem
from pipeline.export.executors import SECONDS_PER_UNIT, Executor, LocalExecutor, Outcome
from pipeline.export.indexing import changes, record
from pipeline.export.inputs import Inputs
from pipeline.export.plan import Scope, Target
from pipeline.export.seen import Seen, remember_seen
from pipeline.export.progress import Reporter, silent
from pipeline.export.store import (UNREACHABLE, Staging, entry, inside, locked, read_state,
                                   remove_emptied, walk_outputs, write_manifest, write_state)
from pipeline.render.errors import RenderError
from pipeline.render.formats import Rendered, RenderJob, formats
from pipeline.render.html import (Document, HtmlRecipe, SiteDocument, company_for, render_html,
                                  render_site_page)
from pipeline.schema import Role


class BuildError(Exception):
    """Some targets failed; each line names the target and why. Nothing was written."""

    def __init__(self, failures: list[str]) -> None:
        self.failures = failures
        super().__init__("\n".join(failures))


class StrictFailure(Exception):
    """Under --strict, findings that need a person; nothing was written."""

    def __init__(self, findings: list[Problem]) -> None:
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))


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
    options: dict[str, str] = field(default_factory=dict)
    jobs: int = 1
    strict: bool = False
    allow: frozenset[str] = frozenset()
    keep_going: bool = False
    protected: frozenset[str] = frozenset()
    """Roles whose outputs stay as they are (their content is invalid and they were not built)."""
    skipped: tuple[tuple[str, str], ...] = ()
    """Documents not built, and why: a kind the role has no content for, or an invalid role's."""
    wait: float = 0.0
    executor: Callable[[], Executor] | None = None
    withheld: tuple[tuple[str, str], ...] = ()
    """Documents that would put a role in public while it may not be (in review, closed, or with
    lint errors), and why: not built, and not an error."""
    listed: frozenset[str] | None = None
    """The roles a careers index and sitemap list (None: every role)."""
    unfed: tuple[tuple[str, str, str, str], ...] = ()
    """(brand, format, role, why): a role left out of a format's brand-wide pages (a job board's feed)
    because it lacks a value that board requires; it stays in every other format."""
    closed: frozenset[str] = frozenset()
    """Roles whose posting is closed: a format with a `closed_layout` makes that page for them."""
    drafts: bool = False
    """A drafts build (`build --drafts`): roles not approved yet, for their authors, marked DRAFT."""
    kept: frozenset[str] = frozenset()
    """Roles in review (an edit lapsed their approval): nothing is built for them and the documents
    last built from approved content stay as they were, until the edit is approved."""
    html_on_workers: bool = False
    """A role's documents reach the executor as what their HTML is made from (a cluster's: its
    workers make it), not as HTML."""


@dataclass
class BuildReport:
    written: list[dict] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    findings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    listed: int = 0
    """The entries of the manifest written."""


def issued_date(catalogue: Catalogue, slug: str, source_date_epoch: str | None) -> dt.date | None:
    """The date printed on and stored in a document: reproducible, never the clock; None when
    neither the role's `reviewed:` nor SOURCE_DATE_EPOCH says it (the documents are then undated)."""
    if source_date_epoch:
        return dt.datetime.fromtimestamp(int(source_date_epoch), dt.timezone.utc).date()
    return catalogue.reviewed(slug)


def role_data(catalogue: Catalogue, slug: str) -> bytes:
    """The role as JSON, for the PDF/A attachment that lets a system read the role back."""
    role = catalogue.roles[slug]
    body = {"role": role.model_dump(mode="json", exclude_none=True),
            "company": company_for(role, catalogue.company).model_dump(mode="json", exclude_none=True)}
    return (json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def listing(request: BuildRequest, target: Target) -> dict[str, Role]:
    """The roles a brand-wide page lists: the published ones (None: every role), less those its
    format cannot take for want of a value (`request.unfed`)."""
    left_out = {slug for brand, name, slug, _ in request.unfed if (brand, name) == (target.brand, target.format)}
    return {slug: role for slug, role in sorted(request.catalogue.roles.items())
            if (request.listed is None or slug in request.listed) and slug not in left_out}


def _layouts(request: BuildRequest, target: Target) -> tuple[str, str | None]:
    """The template a target's HTML comes from, and for a feed the template of each role's entry."""
    writer = formats()[target.format]
    if not target.role:
        page = writer.site_page(request.brands[target.brand], target.kind)
        return page.layout or "", page.entry
    closed = target.role in request.closed and writer.closed_layout
    return (writer.closed_layout if closed else writer.layout_for(target.kind)) or "", None


def _heaviest_first(request: BuildRequest, targets: Iterable[Target]) -> list[Target]:
    """The targets, the most work first (so that the workers finish together), those made from the
    same HTML side by side (so that it is rendered once and dropped once it is used)."""
    registry = formats()
    return sorted(targets, key=lambda t: (-TYPICAL_HTML.get(t.kind, 13_000) * (t.role != ""), t.brand, t.role, t.kind,
                                          t.part, _layouts(request, t), -registry[t.format].cost, t.path))


def _jobs(request: BuildRequest, targets: Iterable[Target], failures: dict[str, str]) -> Iterator[RenderJob]:
    """A render job per target, each made when it is asked for, so that a worker renders the first
    while this process prepares the next; each layout rendered once per brand, role and kind
    whatever the formats that start from it, and kept only while its targets are made. A target
    whose HTML cannot be made goes into `failures`, with why. With `html_on_workers`, a role's
    document goes as the recipe of its HTML instead (HtmlRecipe), which its worker renders."""
    catalogue = request.catalogue
    titles = {slug: catalogue.title(slug) for slug in catalogue.roles}
    html: dict[tuple, str | RenderError] = {}
    data: dict[str, bytes] = {}
    registry = formats()
    for target in _heaviest_first(request, targets):
        layout, entries = _layouts(request, target)
        issued = issued_date(catalogue, target.role, request.source_date_epoch) if target.role else None
        carries, role_json = registry[target.format].carries_data, b""
        if target.role and carries is not None and carries(request.options):
            if target.role not in data:
                data = {target.role: role_data(catalogue, target.role)}  # one role's at a time, in role order
            role_json = data[target.role]
        if request.html_on_workers and target.role and layout:
            recipe = HtmlRecipe(_document(request, target, issued, titles), request.layouts, layout)
            yield _job(request, target, recipe, issued, role_json)
            continue
        listed = {} if target.role else listing(request, target)
        group = (target.brand, target.role, target.kind, target.part, layout or entries or "", tuple(listed))
        if group not in html:
            html.clear()  # the targets of the HTML before are all made
            try:
                if entries:
                    html[group] = "".join(
                        render_html(Document("job-description", role, catalogue.company, request.brands[target.brand],
                                             issued_date(catalogue, slug, request.source_date_epoch), titles),
                                    request.layouts, entries)
                        for slug, role in listed.items())
                elif not layout:
                    html[group] = ""
                elif not target.role:
                    html[group] = render_site_page(SiteDocument(listed, catalogue.company,
                                                                request.brands[target.brand]), layout, request.layouts)
                else:
                    html[group] = render_html(_document(request, target, issued, titles), request.layouts, layout)
            except RenderError as err:
                html[group] = err
        made = html[group]
        if isinstance(made, RenderError):
            failures[target.path] = str(made)
            continue
        yield _job(request, target, made, issued, role_json)


def _document(request: BuildRequest, target: Target, issued: dt.date | None, titles: dict[str, str]) -> Document:
    """A role's document, with the titles of the roles it names as related (all its layouts print)."""
    role = request.catalogue.roles[target.role]
    return Document(target.kind, role, request.catalogue.company, request.brands[target.brand], issued,  # type: ignore[arg-type]
                    {slug: titles[slug] for slug in role.related_roles if slug in titles},
                    draft=request.drafts, part=target.part)


def _job(request: BuildRequest, target: Target, html: str | HtmlRecipe, issued: dt.date | None,
         data: bytes) -> RenderJob:
    return RenderJob(target.path, target.role, target.kind, target.format, html, request.brands[target.brand],
                     request.layouts, request.allowed, issued, tuple(sorted(request.options.items())), data)


def render_all(request: BuildRequest) -> list[tuple[Target, bytes, list[str]]]:
    """Every target's bytes and warnings, in memory; BuildError if any target failed."""
    failures: dict[str, str] = {}
    jobs = list(_jobs(request, request.targets, failures))
    executor = (request.executor or (lambda: LocalExecutor(request.jobs)))()
    try:
        outcomes = {o.path: o for o in executor.run(jobs)}
    finally:
        executor.close()
    failures.update({p: o.error for p, o in outcomes.items() if o.error})
    if failures:
        raise BuildError([f"{p}: {e}" for p, e in sorted(failures.items())])
    return [(t, outcomes[t.path].rendered.data, outcomes[t.path].rendered.warnings)  # type: ignore[union-attr]
            for t in request.targets]


def _unchanged(out: Path, path: str, info: os.stat_result | None, key: str, state: dict,
               seen: Seen) -> tuple[str, int] | None:
    """The existing file's SHA-256 and size when it was made from exactly these inputs and is
    intact: as seen by the last build (its status, settled), else by reading and hashing it.
    `info` is its status as the build's walk found it (store.walk_outputs), None when it found none."""
    known = state.get(path)
    if not isinstance(known, dict) or known.get("key") != key or info is None:
        return None
    if seen.vouches(path, info) and isinstance(known.get("sha256"), str):
        return known["sha256"], info.st_size
    try:
        data = (out / path).read_bytes()
    except OSError:
        return None
    digest = hashlib.sha256(data).hexdigest()
    return (digest, len(data)) if digest == known.get("sha256") else None


def _role_files(catalogue: Catalogue, slug: str) -> list[Path]:
    """The role's file and the files of the roles it extends, nearest first."""
    if not slug:  # a site page: written from the company text and every role
        return []
    files, current = [], catalogue.roles.get(slug)
    while current is not None and current.slug in catalogue.files and len(files) < 64:
        files.append(catalogue.files[current.slug])
        current = catalogue.roles.get(current.extends) if current.extends else None
    return files


def _locate(text: str, files: list[Path]) -> tuple[str, int, int]:
    """Where the content writes the printed `text`: the first file and place holding its longest word."""
    words = sorted((w.strip(".,;:!?()“”\"'\u00ad-") for w in text.replace("\u00ad", "").split()), key=len, reverse=True)
    for word in [w for w in words if len(w) >= 3][:3]:
        for file in files:
            try:
                lines = file.read_text(encoding="utf-8").splitlines()
            except OSError:
                continue
            for number, line in enumerate(lines, 1):
                if (column := line.find(word)) >= 0:
                    return str(file), number, column + 1
    return (str(files[0]) if files else "?"), 1, 1


def _output_findings(request: BuildRequest, target: Target, rendered: Rendered) -> list[Problem]:
    """What the renderer noticed, located in the content that wrote it."""
    files = _role_files(request.catalogue, target.role)
    found = []
    for finding in rendered.findings:
        file, line, column = _locate(finding.text, files)
        found.append(Problem(file, line, column, "", f"{target.path}: {finding}", "warning", finding.rule))
    for warning in rendered.warnings:
        file = str(files[0]) if files else "?"
        found.append(Problem(file, 1, 1, "", f"{target.path}: {warning}", "warning", "render-warning"))
    return found


def _problem_record(problem: Problem) -> dict:
    return {"file": problem.file, "line": problem.line, "column": problem.column, "path": problem.path,
            "message": problem.message, "severity": problem.severity, "rule": problem.rule}


def _problem_from(record: object) -> Problem | None:
    try:
        return Problem(**record)  # type: ignore[arg-type]
    except TypeError:
        return None


def input_keys(request: BuildRequest) -> dict[Target, str]:
    """Each target's input key: a build renders a target exactly when its key differs from the one
    its output on disk was built from."""
    inputs = Inputs(request.catalogue, request.layouts)
    registry = formats()
    keys = {}
    for t in request.targets:
        brand = request.brands[t.brand]
        if t.role:
            issued = str(issued_date(request.catalogue, t.role, request.source_date_epoch))
            layout, lists_roles = registry[t.format].layout_for(t.kind), True
        else:
            page = registry[t.format].site_page(brand, t.kind)
            issued, layout, lists_roles = "", page.layout or page.entry, page.lists_roles
            if lists_roles:  # which roles it lists, and (a feed's entries carry them) the dates they were posted
                issued = json.dumps({slug: str(issued_date(request.catalogue, slug, request.source_date_epoch))
                                     for slug in listing(request, t)})
        keys[t] = inputs.key(slug=t.role, kind=t.kind, writer=registry[t.format], path=t.path, layout=layout,
                             brand_folder=brand.folder, issued=issued, options=request.options, lists_roles=lists_roles)
    return keys


def build(request: BuildRequest, *, force: bool = False, reporter: Reporter = silent) -> BuildReport:
    """Render what is outdated (all of it with `force`), check it, then write it, the manifest last."""
    started = time.perf_counter()
    out = request.out
    with locked(out, wait=request.wait):
        walked = walk_outputs(out)
        for leftover in walked.leftovers:  # the staged files of a build killed before it published them
            leftover.unlink(missing_ok=True)
        keys = input_keys(request)
        state, listed = read_state(out)
        known = {} if force else state
        seen = Seen(out)
        reused: dict[Target, tuple[str, int]] = {}
        for target, key in keys.items():
            if (digest := _unchanged(out, target.path, walked.files.get(target.path), key, known, seen)) is not None:
                reused[target] = digest
        outdated = [t for t in request.targets if t not in reused]
        report = BuildReport(unchanged=sorted(t.path for t in reused))
        findings: dict[str, list[Problem]] = {
            t.path: [p for r in state[t.path].get("findings", []) if (p := _problem_from(r)) is not None]
            for t in reused}
        reporter.start(len(outdated), len(reused))

        # Local workers start before the HTML is rendered, so that they are ready when it is; a
        # cluster is reached only when there is something to send it. Each finished document is
        # staged beside its target as it arrives, so the build holds no document's bytes.
        executor = _local_executor(request, outdated) if request.executor is None and outdated else None
        staged: dict[str, tuple[str, int]] = {}
        staging = Staging(out)
        by_path = {t.path: t for t in outdated}
        try:
            failed: dict[str, str] = {}
            unmade: dict[str, str] = {}
            try:
                jobs = _jobs(request, outdated, unmade)
                first = next(jobs, None)
                if first is not None:  # an up-to-date build needs no workers, and no cluster to be reachable
                    executor = executor or request.executor()  # type: ignore[misc]  (None only with a cluster's)
                    for outcome in executor.run(itertools.chain([first], jobs)):
                        _collect(outcome, failed, reporter)
                        if outcome.rendered is not None:
                            findings[outcome.path] = _output_findings(request, by_path[outcome.path], outcome.rendered)
                            _stage(staging, outcome, staged, failed, reporter, keep_going=request.keep_going)
            finally:
                if executor is not None:
                    executor.close()
            for path, error in unmade.items():
                reporter.document(path, "failed", 0.0, error)
            failed.update(unmade)
            report.failed = dict(sorted(failed.items()))
            report.findings = sorted({p for group in findings.values() for p in group})
            if failed and not request.keep_going:
                raise BuildError([f"{p}: {e}" for p, e in report.failed.items()])
            blocking = [p for p in report.findings if p.rule not in request.allow]
            if request.strict and blocking:
                raise StrictFailure(blocking)

            bad_roles = {by_path[p].role for p in failed} | set(request.protected) | set(request.kept)
            _write(request, report, keys, state, listed, reused, staging, staged, by_path, findings, bad_roles,
                   walked.settled())
        finally:
            staging.discard()  # whatever was not published: a failed or stopped build changes no output
    report.seconds = time.perf_counter() - started
    return report


def _local_executor(request: BuildRequest, targets: list[Target]) -> LocalExecutor:
    """The build's worker pool, started now for `targets`, its workers importing their renderers."""
    registry = formats()
    renderers = sorted({module for t in targets for module in registry[t.format].renderers})
    return LocalExecutor(request.jobs, expect=len(targets), work=expected_seconds(targets), renderers=renderers)


TYPICAL_HTML = {"hiring-guide": 64_000}
"""Characters of HTML a document of a kind has before it is rendered (the shipped roles' hiring
guides; a job description, a kit or a debrief about 13,000), to weigh a build before its HTML exists."""


def expected_seconds(targets: list[Target]) -> float:
    """The rendering a build's targets are expected to take, before their HTML exists (executors.estimate)."""
    registry = formats()
    return sum(TYPICAL_HTML.get(t.kind, 13_000) * registry[t.format].cost for t in targets) * SECONDS_PER_UNIT


def _collect(outcome: Outcome, failed: dict[str, str], reporter: Reporter) -> None:
    if outcome.rendered is not None:
        reporter.document(outcome.path, "built", outcome.seconds, None)
    else:
        failed[outcome.path] = outcome.error or "failed"
        reporter.document(outcome.path, "failed", outcome.seconds, outcome.error)


def _stage(staging: Staging, outcome: Outcome, staged: dict[str, tuple[str, int]], failed: dict[str, str],
           reporter: Reporter, *, keep_going: bool) -> None:
    """Write a finished document beside its target. A path that leaves the output folder (through
    a symbolic link) is the folder's fault, not the document's: exit 1, or with --keep-going a
    failed document while the others are published."""
    assert outcome.rendered is not None
    if inside(staging.out, outcome.path) is None and keep_going:
        failed[outcome.path] = UNREACHABLE
        reporter.document(outcome.path, "failed", 0.0, UNREACHABLE)
        return
    staged[outcome.path] = staging.add(outcome.path, outcome.rendered.data)


def _write(request: BuildRequest, report: BuildReport, keys: dict[Target, str], state: dict, listed: list[dict],
           reused: dict[Target, tuple[str, int]], staging: Staging, staged: dict[str, tuple[str, int]],
           by_path: dict[str, Target], findings: dict[str, list[Problem]], bad_roles: set[str],
           walked: dict[str, os.stat_result]) -> None:
    """The write phase: the staged files into place, then the manifest and state; a bad role's
    outputs stay as they were; `listed` is the manifest as the build found it. The statuses
    recorded for the next build are those the build's walk found of settled files (`walked`), and
    those of the files it wrote, taken now."""
    out = request.out
    made: dict[Target, tuple[str, int]] = dict(reused)
    written = staging.publish(keep=lambda path: by_path[path].role not in bad_roles)
    for path in written:
        report.built.append(path)
        made[by_path[path]] = staged[path]
    for target, digest in sorted(made.items()):
        report.written.append(entry(target.path, digest, role=target.role, kind=target.kind, format=target.format,
                                    brand=target.brand, inputs=keys[target]))
    paths = {e["path"] for e in report.written}
    kept, removed = [], []
    for old in listed:
        if old["path"] in paths:
            continue
        file = inside(out, old["path"])
        if file is None or not file.is_file():
            continue
        if request.scope.covers(old) and old.get("role") not in bad_roles:
            file.unlink()
            report.removed.append(old["path"])
            removed.append(old)
        else:
            kept.append(old)
    write_manifest(out, kept + report.written)
    report.listed = len(kept) + len(report.written)
    new_state = {e["path"]: state[e["path"]] for e in kept if e["path"] in state}
    for target in made:
        new_state[target.path] = {"key": keys[target], "sha256": made[target][0],
                                  "findings": [_problem_record(p) for p in findings.get(target.path, [])]}
    write_state(out, new_state)
    statuses = {path: walked[path] for path in new_state if path in walked and path not in written}
    for path in written:
        with contextlib.suppress(OSError):
            if (file := inside(out, path)) is not None:
                statuses[path] = file.stat()
    remember_seen(out, statuses)
    record(out, changes([e for e in report.written if e["path"] in written], removed, request.closed, request.brands))
    remove_emptied(out, report.removed)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 4))
